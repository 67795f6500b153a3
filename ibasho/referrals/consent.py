"""The one check before anything of a person crosses to another organisation.

`sharing_allowed` is asked by every place that shares or shows a person's data across
organisations: sending a referral, accepting it (the copy), the referral letter and its export,
and showing the shared record to the receiver before acceptance. It answers at that moment:
a consent withdrawn since the referral was sent stops what follows."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from ibasho.lib.suspensions import is_suspended
from ibasho.people.models import Consent, Person
from ibasho.provisions.items import ITEM_GROUPS


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # why, in the reader's language
    basis: str = ""  # "consent" or "support_meeting" when allowed
    consent: Consent | None = None
    # The sharing consent withdrawn most recently, when that is why sharing stopped.
    withdrawn_on: dt.date | None = None
    # What is missing, for the form's offer: "consent", "items", "recipient"; "" if nothing.
    missing: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def sharing_consent(person: Person, on: dt.date) -> Consent | None:
    """The person's consent to sharing in force on `on`: given that day or before, not
    withdrawn by then. Read with the person's own organisation named, whichever organisation
    asks (the receiver's check reads the sender's consent, and nothing else of it)."""
    return (
        Consent.unscoped.filter(
            organisation_id=person.organisation_id,
            person_id=person.pk,
            purpose=Consent.Purpose.SHARING,
            given_on__lte=on,
        )
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .order_by("-given_on", "-id")
        .first()
    )


def _last_withdrawn(person: Person, on: dt.date) -> dt.date | None:
    return (
        Consent.unscoped.filter(
            organisation_id=person.organisation_id,
            person_id=person.pk,
            purpose=Consent.Purpose.SHARING,
            withdrawn_on__lte=on,
        )
        .order_by("-withdrawn_on")
        .values_list("withdrawn_on", flat=True)
        .first()
    )


def meeting_basis(meeting_code: Any, person: Person, recipient_organisation: Any) -> bool:
    """Whether a support meeting (支援会議) lets this person's data go to the recipient."""
    if not meeting_code or recipient_organisation is None:
        return False
    if not apps.is_installed("ibasho.meetings"):
        return False
    from ibasho.meetings.models import SupportMeeting
    from ibasho.meetings.services import meeting_allows_sharing

    meeting = SupportMeeting.unscoped.filter(code=meeting_code).first()
    return bool(
        meeting is not None
        and meeting_allows_sharing(
            meeting, person=person, recipient_organisation=recipient_organisation
        )
    )


def sharing_allowed(
    person: Person,
    recipient_organisation: Any,
    items: Sequence[str],
    *,
    on: dt.date,
    meeting_code: Any = None,
) -> Decision:
    """May `items` (item groups) of `person`'s record go to `recipient_organisation` (None for
    an organisation outside this installation) on `on`? Allowed under a consent to sharing in
    force that day (given by the person or by a family member as proxy), or under a support
    meeting the person was discussed at and the recipient belongs to. Never while the use of
    the person's record is suspended at their request."""
    if not items or any(item not in ITEM_GROUPS for item in items):
        return Decision(False, _("Choose what is shared."), missing="items")
    if recipient_organisation is not None and recipient_organisation.pk == person.organisation_id:
        return Decision(False, _("Choose another organisation."), missing="recipient")
    if is_suspended(person):
        return Decision(
            False, _("Use of this person's record is suspended at their request."),
            missing="suspended",
        )  # fmt: skip
    consent = sharing_consent(person, on)
    if consent is not None:
        if consent.given_by_person:
            reason = _("The person consented to sharing on %(day)s.")
        else:
            reason = _("A family member consented to sharing on the person's behalf on %(day)s.")
        return Decision(True, reason % {"day": consent.given_on}, "consent", consent)
    if meeting_basis(meeting_code, person, recipient_organisation):
        return Decision(
            True, _("Shared under a support meeting (支援会議) the person was discussed at."),
            "support_meeting",
        )  # fmt: skip
    withdrawn = _last_withdrawn(person, on)
    if withdrawn is not None:
        reason = _(
            "The consent to sharing was withdrawn on %(day)s: nothing more may be shared."
        ) % {"day": withdrawn}
        return Decision(False, reason, withdrawn_on=withdrawn, missing="consent")
    return Decision(
        False,
        _("No consent to sharing with another organisation is on record, and no support "
          "meeting covers it. Record the consent first."),
        missing="consent",
    )  # fmt: skip
