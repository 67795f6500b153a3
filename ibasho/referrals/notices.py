"""Notifications between the two sides of a referral. The subject says what happened without
naming the person; the link leads to the referral, which each side opens through the guard."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import SUPERVISOR_ROLES, Membership
from ibasho.notifications import kinds
from ibasho.notifications.services import notify

RECEIVED = "referrals.received"
WITHDRAWN = "referrals.withdrawn"
ACCEPTED = "referrals.accepted"
DECLINED = "referrals.declined"
DONE = "referrals.done"

SUBJECTS = {
    RECEIVED: _("A referral from another organisation is waiting for your answer"),
    WITHDRAWN: _("A referral to your organisation was withdrawn by its sender"),
    ACCEPTED: _("Your referral was accepted"),
    DECLINED: _("Your referral was declined"),
    DONE: _("Your referral is done: the person is with the receiving organisation"),
}


def register_kinds() -> None:
    kinds.register(RECEIVED, _("Referral received"))
    kinds.register(WITHDRAWN, _("Referral withdrawn by its sender"))
    kinds.register(ACCEPTED, _("Referral accepted"))
    kinds.register(DECLINED, _("Referral declined"))
    kinds.register(DONE, _("Referral done"))


def _link(referral: Any) -> str:
    return reverse("referrals:referral_detail", args=[referral.code])


def to_receiver(referral: Any, kind: str) -> None:
    """The receiving organisation's coordinators and admins (they answer referrals)."""
    recipients = Membership.objects.staff_of(referral.recipient_organisation_id, SUPERVISOR_ROLES)
    notify(list(recipients), kind, subject=str(SUBJECTS[kind]), link=_link(referral),
           organisation=referral.recipient_organisation)  # fmt: skip


def to_sender(referral: Any, kind: str) -> None:
    """The member who sent it, and the sending organisation's coordinators."""
    recipients = [
        *Membership.objects.staff_of(referral.organisation_id, SUPERVISOR_ROLES),
        *Membership.objects.staff_of(referral.organisation_id).filter(user_id=referral.sent_by_id),
    ]
    notify(recipients, kind, subject=str(SUBJECTS[kind]), link=_link(referral),
           organisation=referral.organisation)  # fmt: skip
