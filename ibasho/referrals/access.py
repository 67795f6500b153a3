"""The one guard for reading referrals across organisations.

Tenancy hides another organisation's rows; a referral is the one record two organisations both
read. Its sender reads it as its own (`Referral.objects.visible_to`, which also holds back
restricted people); its receiver reads it here, by naming itself as the recipient. Anyone else
(a third organisation, an analyst) gets nothing, and a page answers 404."""

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404

from ibasho.referrals.models import Referral

Side = Literal["sender", "receiver"]


def outgoing(membership: Any) -> QuerySet[Referral]:
    return Referral.objects.visible_to(membership)


def incoming(membership: Any) -> QuerySet[Referral]:
    """Referrals addressed to the member's organisation, for the roles that work with people."""
    if membership is None or not membership.reads_personal_data:
        return Referral.unscoped.none()
    return Referral.unscoped.filter(recipient_organisation_id=membership.organisation_id)


def referral_for(membership: Any, code: Any) -> tuple[Referral, Side]:
    """The referral with this code as the member's organisation sees it, and which side it is
    on; 404 for anyone else."""
    related = ("person__organisation", "recipient_organisation", "organisation", "sent_by")
    found = outgoing(membership).select_related(*related).filter(code=code).first()
    if found is not None:
        return found, "sender"
    found = incoming(membership).select_related(*related).filter(code=code).first()
    if found is not None:
        return found, "receiver"
    raise Http404
