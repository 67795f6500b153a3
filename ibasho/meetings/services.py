"""The one write door for support meetings: every rule lives here, and the pages, the API and
the admin site call these functions."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.accounts.models import SUPERVISOR_ROLES, Membership, Organisation, User
from ibasho.audit.services import record_audit
from ibasho.lib import limits, suspensions
from ibasho.meetings import snapshot
from ibasho.meetings.access import Seat, organisation_ids
from ibasho.meetings.models import (
    Law,
    MeetingMember,
    MeetingOrganisation,
    OutsideParticipant,
    SharedPerson,
    SupportMeeting,
)
from ibasho.notifications import kinds
from ibasho.notifications.services import notify
from ibasho.people.models import Consent, Person
from ibasho.provisions.items import ITEM_GROUPS
from ibasho.provisions.models import Basis, Via
from ibasho.provisions.services import record_provision, record_receipt

MEETING = kinds.register(
    "support_meeting",
    gettext_lazy("A support meeting you take part in (added, or something shared)"),
)


def _one_line(value: str, field: str, most: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")}, code="required")
    try:
        limits.check_text(value, max_length=most, lines=False)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return value


def _open(meeting: SupportMeeting) -> None:
    if meeting.is_withdrawn:
        raise ValidationError(_("This meeting was withdrawn."), code="withdrawn")


def _manages(seat: Seat) -> None:
    if not seat.manages:
        raise ValidationError(
            _("Only a coordinator or admin of the convening organisation can do this."),
            code="not_convener",
        )


def _acknowledged(seat: Seat) -> None:
    if not seat.acknowledged:
        raise ValidationError(
            _("Acknowledge the duty of confidentiality first."), code="not_acknowledged"
        )


def _link(meeting: SupportMeeting) -> str:
    return reverse("meetings:detail", kwargs={"code": meeting.code})


def _notify_members(meeting: SupportMeeting, members: Iterable[Membership], subject: str) -> None:
    """One inbox item for each member, organisation by organisation (no names in it)."""
    by_organisation: dict[int, list[Membership]] = defaultdict(list)
    for membership in members:
        by_organisation[membership.organisation_id].append(membership)
    for group in by_organisation.values():
        notify(group, MEETING.key, subject=subject, link=_link(meeting))


def _members(meeting: SupportMeeting) -> list[Membership]:
    return [
        m.membership
        for m in MeetingMember.unscoped.filter(meeting=meeting).select_related("membership")
    ]


# -- the meeting ----------------------------------------------------------------------------


def create_meeting(
    membership: Membership,
    *,
    title: str,
    held_on: dt.date,
    law: str,
    organisations: Sequence[Organisation] = (),
) -> SupportMeeting:
    """A coordinator or admin convenes a meeting for their organisation; they are its first
    member. Audited."""
    if not (membership.is_active and membership.role in SUPERVISOR_ROLES):
        raise ValidationError(_("Only a coordinator or admin can convene a support meeting."))
    problems: dict[str, Any] = {}
    try:
        title = _one_line(title, "title", 100)
    except ValidationError as error:
        problems.update(error.message_dict)
    if law not in Law.values:
        problems["law"] = [_("Choose the law the meeting is held under.")]
    try:
        limits.validate(held_on=(limits.planned_day, held_on))
    except ValidationError as error:
        problems.update(error.message_dict)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        meeting = SupportMeeting.objects.create(
            organisation=membership.organisation,
            title=title,
            held_on=held_on,
            law=law,
            convened_by=membership.user,
        )
        MeetingMember.objects.create(
            organisation=membership.organisation, meeting=meeting, membership=membership
        )
        record_audit(
            "meetings.meeting.created", by=membership.user, target=meeting,
            fields=["title", "held_on", "law"],
        )  # fmt: skip
        seat = Seat(meeting, MeetingMember.unscoped.get(meeting=meeting), membership)
        for organisation in organisations:
            add_organisation(seat, organisation)
    return meeting


def add_organisation(seat: Seat, organisation: Organisation) -> MeetingOrganisation:
    """Another organisation of this installation takes part. What was already shared at the
    meeting is provided to it too, and recorded."""
    _manages(seat)
    meeting = seat.meeting
    _open(meeting)
    if organisation.pk == meeting.organisation_id:
        raise ValidationError({"organisation": _("The convening organisation takes part already.")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                added = MeetingOrganisation.objects.create(
                    organisation_id=meeting.organisation_id, meeting=meeting, member=organisation
                )
        except IntegrityError:
            raise ValidationError(
                {"organisation": _("This organisation takes part already.")}
            ) from None
        record_audit(
            "meetings.organisation.added", by=seat.membership.user,
            organisation=meeting.organisation, target=meeting, fields=["organisations"],
        )  # fmt: skip
        for entry in SharedPerson.unscoped.filter(meeting=meeting).exclude(items=[]):
            _record_provisions(seat, entry, list(entry.items), [organisation.pk])
    return added


def add_member(seat: Seat, membership: Membership) -> MeetingMember:
    """A member of staff of the convening or a member organisation, present at the meeting.
    They are told, and see nothing shared until they acknowledge the duty of confidentiality."""
    _manages(seat)
    meeting = seat.meeting
    _open(meeting)
    if (
        not membership.is_active
        or not membership.reads_personal_data
        or membership.organisation_id not in organisation_ids(meeting)
    ):
        raise ValidationError(
            {"membership": _("Choose a member of staff of an organisation taking part.")}
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                member = MeetingMember.objects.create(
                    organisation_id=meeting.organisation_id, meeting=meeting, membership=membership
                )
        except IntegrityError:
            raise ValidationError({"membership": _("This member is listed already.")}) from None
        record_audit(
            "meetings.member.added", by=seat.membership.user, organisation=meeting.organisation,
            target=meeting, fields=["members"],
        )  # fmt: skip
        _notify_members(meeting, [membership], _("You were added to a support meeting"))
    return member


def add_outside_participant(seat: Seat, *, name: str, affiliation: str) -> OutsideParticipant:
    """Someone present from an organisation that does not use Ibasho."""
    _manages(seat)
    _open(seat.meeting)
    problems: dict[str, Any] = {}
    for field, value, most in (("name", name, 100), ("affiliation", affiliation, 200)):
        try:
            _one_line(value, field, most)
        except ValidationError as error:
            problems.update(error.message_dict)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        participant = OutsideParticipant.objects.create(
            organisation_id=seat.meeting.organisation_id, meeting=seat.meeting,
            name=name.strip(), affiliation=affiliation.strip(),
        )  # fmt: skip
        record_audit(
            "meetings.participant.added", by=seat.membership.user,
            organisation=seat.meeting.organisation, target=seat.meeting, fields=["participants"],
        )  # fmt: skip
    return participant


def acknowledge(seat: Seat) -> MeetingMember:
    """The member acknowledges the duty of confidentiality (守秘義務: 社会福祉法 106条の6 第5項,
    生活困窮者自立支援法 9条 第5項). Only then do they see what is shared."""
    member = seat.member
    if member.acknowledged_at is None:
        with transaction.atomic():
            member.acknowledged_at = timezone.now()
            member.save(update_fields=["acknowledged_at", "updated_at"])
            record_audit(
                "meetings.confidentiality.acknowledged", by=seat.membership.user,
                organisation=seat.meeting.organisation, target=seat.meeting,
            )  # fmt: skip
    return member


def save_minutes(seat: Seat, minutes: str) -> SupportMeeting:
    """The minutes (非公開), kept encrypted; written by the convening organisation."""
    _manages(seat)
    _acknowledged(seat)
    try:
        limits.check_text(minutes)
    except ValidationError as error:
        raise ValidationError({"minutes": error.messages}) from error
    meeting = seat.meeting
    with transaction.atomic():
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes", "updated_at"])
        record_audit(
            "meetings.minutes.saved", by=seat.membership.user, organisation=meeting.organisation,
            target=meeting, fields=["minutes"],
        )  # fmt: skip
    return meeting


def withdraw_meeting(meeting: SupportMeeting, *, by: User) -> SupportMeeting:
    """Withdraw a meeting recorded in error, or one that will not be held: nothing more is
    shared under it. A coordinator or admin of the convening organisation who is a member,
    or an operator (the admin site)."""
    allowed = by.is_superuser or (
        MeetingMember.unscoped.filter(
            meeting=meeting,
            membership__user=by,
            membership__organisation_id=meeting.organisation_id,
            membership__role__in=SUPERVISOR_ROLES,
            membership__is_active=True,
        ).exists()
    )
    if not allowed:
        raise ValidationError(
            _("Only a coordinator or admin of the convening organisation can do this.")
        )
    if meeting.withdrawn_at is None:
        with transaction.atomic():
            meeting.withdrawn_at = timezone.now()
            meeting.save(update_fields=["withdrawn_at", "updated_at"])
            record_audit(
                "meetings.meeting.withdrawn", by=by, organisation=meeting.organisation,
                target=meeting, fields=["withdrawn_at"],
            )  # fmt: skip
    return meeting


# -- people discussed and what is shared -----------------------------------------------------


def sharing_consent(person: Person) -> Consent | None:
    """The person's consent to sharing with another organisation, if one stands."""
    return (
        Consent.unscoped.filter(
            organisation_id=person.organisation_id,
            person=person,
            purpose=Consent.Purpose.SHARING,
            withdrawn_on__isnull=True,
        )
        .order_by("-given_on")
        .first()
    )


def bring_person(seat: Seat, person: Person) -> SharedPerson:
    """A member brings a person of their own organisation to the meeting (nothing is shared
    until they choose what). The view finds the person through `visible_to`, so a restricted
    record the member may not open cannot be brought."""
    _acknowledged(seat)
    _open(seat.meeting)
    if person.organisation_id != seat.membership.organisation_id:
        raise ValidationError({"person": _("Choose a person of your organisation.")})
    suspensions.refuse_if_suspended(person)
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = SharedPerson.objects.create(
                    organisation_id=person.organisation_id, meeting=seat.meeting, person=person,
                    brought_by=seat.membership.user,
                )  # fmt: skip
        except IntegrityError:
            raise ValidationError(
                {"person": _("This person is discussed at the meeting already.")}
            ) from None
        record_audit(
            "meetings.person.brought", by=seat.membership.user, organisation=person.organisation,
            target=entry, person=person,
        )  # fmt: skip
    return entry


def _basis(person: Person, chosen: str | None) -> str:
    """Sharing rests on the person's consent once they gave it (the case moves to ordinary
    consent); the meeting's basis is used then only when a member chooses it again."""
    consent = sharing_consent(person)
    if not chosen:
        return Basis.CONSENT if consent else Basis.SUPPORT_MEETING
    if chosen == Basis.CONSENT and consent is None:
        raise ValidationError({"basis": _("No consent to sharing is on record for this person.")})
    if chosen not in (Basis.CONSENT, Basis.SUPPORT_MEETING):
        raise ValidationError({"basis": _("Choose consent or the support meeting.")})
    return chosen


def share(
    seat: Seat, entry: SharedPerson, *, items: Sequence[str], basis: str | None = None
) -> SharedPerson:
    """The member who brings the person (or another member of the person's organisation)
    chooses the item groups shared with the meeting. The members see a snapshot of them; each
    organisation it reaches gets a receipt record and the person's organisation a provision
    record for it (and one for each outside participant). Items once shared stay shared."""
    _acknowledged(seat)
    meeting = seat.meeting
    _open(meeting)
    person = entry.person
    if entry.meeting_id != meeting.pk or person.organisation_id != seat.membership.organisation_id:
        raise ValidationError(_("Only the person's own organisation can share about them."))
    if isinstance(items, str) or not all(isinstance(i, str) for i in items):
        raise ValidationError({"items": _("Choose the items shared.")})
    unknown = [i for i in items if i not in ITEM_GROUPS]
    if unknown:
        raise ValidationError({"items": _("Unknown item group.")})
    new = [i for i in ITEM_GROUPS if i in items and i not in entry.items]
    if not new:
        raise ValidationError({"items": _("Choose an item group not shared yet.")})
    suspensions.refuse_if_suspended(person)
    chosen_basis = _basis(person, basis)
    with transaction.atomic():
        entry.items = [i for i in ITEM_GROUPS if i in entry.items or i in new]
        entry.basis = chosen_basis
        entry.snapshot = snapshot.take(person, entry.items)
        entry.shared_at = timezone.now()
        entry.save(update_fields=["items", "basis", "snapshot", "shared_at", "updated_at"])
        record_audit(
            "meetings.person.shared", by=seat.membership.user, organisation=person.organisation,
            target=entry, person=person, fields=new,
        )  # fmt: skip
        others = [o for o in organisation_ids(meeting) if o != person.organisation_id]
        _record_provisions(seat, entry, new, others, outside=True)
        members = [m for m in _members(meeting) if m.pk != seat.membership.pk]
        _notify_members(meeting, members, _("Something was shared at a support meeting"))
    return entry


def _record_provisions(
    seat: Seat,
    entry: SharedPerson,
    items: list[str],
    organisation_ids_: Iterable[int],
    *,
    outside: bool = False,
) -> None:
    meeting, person = seat.meeting, entry.person
    source = person.organisation
    reference = f"{meeting.title} ({meeting.held_on.isoformat()})"[:100]
    actor = seat.membership if seat.membership.organisation_id == source.pk else None
    basis = entry.basis or Basis.SUPPORT_MEETING
    for organisation in Organisation.objects.filter(pk__in=list(organisation_ids_)):
        record_provision(
            organisation=source, person=person, recipient_organisation=organisation,
            items=items, basis=basis, via=Via.SUPPORT_MEETING, actor=actor, reference=reference,
        )  # fmt: skip
        record_receipt(
            organisation=organisation, person=person, source_organisation=source, items=items,
            basis=basis, via=Via.SUPPORT_MEETING, actor=None, reference=reference,
            how_obtained=_("Shared at a support meeting from the source's own support records"),
        )  # fmt: skip
    if outside:
        for participant in OutsideParticipant.unscoped.filter(meeting=meeting):
            record_provision(
                organisation=source, person=person,
                recipient_name=f"{participant.affiliation} {participant.name}",
                items=items, basis=basis, via=Via.SUPPORT_MEETING, actor=actor,
                reference=reference,
            )  # fmt: skip


def meeting_allows_sharing(
    meeting: SupportMeeting, *, person: Person, recipient_organisation: Organisation
) -> bool:
    """Whether `meeting` is a basis for sharing about `person` with `recipient_organisation`:
    the person was discussed at it, the recipient takes part, and it was not withdrawn."""
    if meeting.is_withdrawn:
        return False
    if recipient_organisation.pk not in organisation_ids(meeting):
        return False
    return SharedPerson.unscoped.filter(meeting=meeting, person=person).exists()
