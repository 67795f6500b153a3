"""The one write door for referrals: sending, answering, withdrawing, finishing; the
organisation's decline reasons and age limit. Every state change is audited, notifies the other
side and, where data goes across, asks `consent.sharing_allowed` at that moment.

`by` is the acting Membership (the organisation it acts for decides which side it is on)."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import CASE_ROLES, SUPERVISOR_ROLES, Membership, Organisation
from ibasho.accounts.tenancy import organisation_scope
from ibasho.audit.services import record_audit
from ibasho.lib import limits
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact
from ibasho.outreach.services.reads import trust_totals
from ibasho.people import services as people
from ibasho.people.models import Case, FamilyMember, Person
from ibasho.provisions.items import ITEM_GROUPS, ItemGroup
from ibasho.provisions.services import record_provision, record_receipt
from ibasho.referrals import notices
from ibasho.referrals.consent import Decision, sharing_allowed
from ibasho.referrals.models import DeclineReason, ReceivedHistory, Referral, ReferralSettings
from ibasho.referrals.shared import history_of, profile_values

NAME_LENGTH = 200


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _require(by: Membership, organisation_id: int, roles: Sequence[str]) -> None:
    if by is None or by.organisation_id != organisation_id or by.role not in roles:
        raise ValidationError(_("Your role in this organisation may not do this."))


def _checked_items(items: Any) -> list[str]:
    if isinstance(items, str) or not isinstance(items, list | tuple):
        raise _refuse("items", _("Choose what is shared."))
    if any(not isinstance(i, str) or i not in ITEM_GROUPS for i in items):
        raise _refuse("items", _("Unknown item group."))
    if ItemGroup.PROFILE not in items:
        raise _refuse("items", _("A referral always names the person: include the profile."))
    return [i for i in ITEM_GROUPS if i in items]


def refuse_unless(decision: Decision) -> None:
    """Turn a refusal of `sharing_allowed` into the services' ValidationError."""
    if not decision.allowed:
        field = "items" if decision.missing == "items" else (
            "recipient_organisation" if decision.missing == "recipient" else "basis"
        )  # fmt: skip
        raise ValidationError({field: decision.reason}, code=decision.missing or "refused")


def months_between(first: dt.date, last: dt.date) -> int:
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month


def trust_snapshot(person: Person, on: dt.date) -> dict[str, Any]:
    """The outreach trust figures at sending: two-way minutes, attempts before the first
    reply (and whether there was one), and the months from the first contact to `on`."""
    contacts = Contact.unscoped.filter(organisation_id=person.organisation_id, person_id=person.pk)
    totals = trust_totals(contacts)
    first = contacts.aggregate(first=Min("occurred_at"))["first"]
    zone = person.organisation.zone
    return {
        "two_way_minutes": totals.two_way_minutes,
        "attempts_before_reply": totals.first_response.attempts,
        "replied": totals.first_response.responded,
        "months_of_contact": months_between(first.astimezone(zone).date(), on) if first else 0,
    }


def _basis_for_provision(basis: str) -> str:
    return "support_meeting" if basis == Referral.Basis.SUPPORT_MEETING else "consent"


@transaction.atomic
def send_referral(
    person: Person,
    *,
    by: Membership,
    kind: str = Referral.Kind.REFERRAL,
    recipient_organisation: Organisation | None = None,
    recipient_name: str = "",
    items: Any,
    note: str = "",
    handover_note: str = "",
    meeting_code: Any = None,
    previous: Referral | None = None,
) -> Referral:
    """Refer (or transfer) a person to another organisation: on this installation (it is
    notified and answers in Ibasho) or outside it (a printed letter). Possible only under a
    consent to sharing in force today, or a support meeting that covers the recipient. The
    trust figures are taken now, for the receiver's "before us"."""
    _require(by, person.organisation_id, CASE_ROLES)
    if kind not in Referral.Kind.values:
        raise _refuse("kind", _("Choose referral or transfer."))
    if kind == Referral.Kind.TRANSFER and by.role not in SUPERVISOR_ROLES:
        raise _refuse("kind", _("Only a coordinator or admin may transfer a case."))
    chosen = _checked_items(items)
    recipient_name = (recipient_name or "").strip()
    if (recipient_organisation is None) == (not recipient_name):
        raise _refuse(
            "recipient_organisation",
            _("Choose an organisation on Ibasho, or name one outside it — not both."),
        )
    if recipient_organisation is not None and recipient_organisation.pk == person.organisation_id:
        raise _refuse("recipient_organisation", _("Choose another organisation."))
    if kind == Referral.Kind.TRANSFER and not handover_note.strip():
        raise _refuse("handover_note", _("Write what the receiving worker should know."))
    limits.validate(
        recipient_name=(lambda v: limits.check_text(v, max_length=NAME_LENGTH, lines=False),
                        recipient_name),
        note=(limits.check_text, note),
        handover_note=(limits.check_text, handover_note),
    )  # fmt: skip
    if kind == Referral.Kind.TRANSFER and not person.cases.filter(status=Case.Status.OPEN).exists():
        raise _refuse("kind", _("The person has no open case to transfer."))
    open_to_same = Referral.objects.filter(
        person=person, state=Referral.State.PENDING,
        recipient_organisation=recipient_organisation, recipient_name=recipient_name,
    )  # fmt: skip
    if open_to_same.exists():
        raise _refuse("recipient_organisation", _("A referral to them is already waiting."))
    today = person.organisation.today()
    decision = sharing_allowed(
        person, recipient_organisation, chosen, on=today, meeting_code=meeting_code
    )
    refuse_unless(decision)
    referral = Referral.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        kind=kind,
        recipient_organisation=recipient_organisation,
        recipient_name=recipient_name,
        items=chosen,
        basis=decision.basis,
        consent=decision.consent,
        meeting_code=meeting_code if decision.basis == Referral.Basis.SUPPORT_MEETING else None,
        note=note,
        handover_note=handover_note,
        sent_by=by.user,
        sent_on=today,
        previous=previous,
        **trust_snapshot(person, today),
    )
    record_audit(
        "referrals.referral.sent", by=by.user, target=referral, person=person,
        fields=["state", *chosen],
    )  # fmt: skip
    # What the receiver can now read (the shared record before acceptance) is a provision.
    record_provision(
        organisation=person.organisation,
        person=person,
        recipient_organisation=recipient_organisation,
        recipient_name=recipient_name,
        items=chosen,
        basis=_basis_for_provision(decision.basis),
        via="transfer" if kind == Referral.Kind.TRANSFER else "referral",
        actor=by,
        on=today,
        reference=referral.reference,
    )
    if recipient_organisation is not None:
        notices.to_receiver(referral, notices.RECEIVED)
    return referral


def send_again(previous: Referral, *, by: Membership, **values: Any) -> Referral:
    """A declined referral sent once more (the same person and recipient; what is shared and
    the messages may change)."""
    if previous.state != Referral.State.DECLINED:
        raise _refuse("state", _("Only a declined referral can be sent again."))
    return send_referral(
        previous.person,
        by=by,
        recipient_organisation=previous.recipient_organisation,
        recipient_name=previous.recipient_name,
        previous=previous,
        **values,
    )


def _locked(referral: Referral) -> Referral:
    return (
        Referral.unscoped.select_for_update(of=("self",))
        .select_related("person__organisation", "recipient_organisation", "organisation")
        .get(pk=referral.pk)
    )


def _answerable(referral: Referral, by: Membership) -> Referral:
    referral = _locked(referral)
    if referral.recipient_organisation_id is None:
        raise _refuse("state", _("An organisation outside Ibasho answers by letter."))
    if by is None or by.organisation_id != referral.recipient_organisation_id:
        raise _refuse("state", _("Only the receiving organisation answers a referral."))
    _require(by, referral.recipient_organisation_id, SUPERVISOR_ROLES)
    if referral.state != Referral.State.PENDING:
        raise _refuse("state", _("This referral has already been answered or withdrawn."))
    return referral


@transaction.atomic
def decline_referral(
    referral: Referral, *, by: Membership, reason: DeclineReason | None, note: str = ""
) -> Referral:
    """The receiver declines, giving one of its own reasons (and a note if it wishes)."""
    referral = _answerable(referral, by)
    if reason is None or reason.organisation_id != by.organisation_id or not reason.active:
        raise _refuse("reason", _("Choose one of your organisation's reasons."))
    limits.validate(note=(limits.check_text, note))
    referral.state = Referral.State.DECLINED
    referral.decline_reason = reason.label
    referral.decline_note = note
    referral.answered_by, referral.answered_at = by.user, timezone.now()
    referral.save()
    _audit("referrals.referral.declined", referral, by, ["state", "decline_reason"])
    notices.to_sender(referral, notices.DECLINED)
    return referral


@transaction.atomic
def accept_referral(referral: Referral, *, by: Membership, assign: Any = None) -> Referral:
    """The receiver accepts: it gets a new person record holding what was shared and nothing
    else, made through the domain services, with the "before us" history; the provision and
    receipt are recorded; a transfer hands the case over (to `assign`, with the sender's
    handover note) and closes the sender's case as transferred."""
    referral = _answerable(referral, by)
    receiver = by.organisation
    if assign is not None and not Membership.objects.holds(assign, receiver.pk):
        raise _refuse("assign", _("Not a member of staff of this organisation."))
    if referral.kind == Referral.Kind.TRANSFER and assign is None:
        raise _refuse("assign", _("Choose the worker who takes the case over."))
    source = referral.person
    today = receiver.today()
    refuse_unless(
        sharing_allowed(
            source, receiver, referral.items, on=today, meeting_code=referral.meeting_code
        )
    )
    transfer = referral.kind == Referral.Kind.TRANSFER
    person = people.create_person(
        by=by.user, organisation=receiver, assign=None if transfer else assign,
        **profile_values(source),
    )  # fmt: skip
    if ItemGroup.FAMILY in referral.items and source.household_id:
        _copy_family(source, person, by=by)
    ReceivedHistory.objects.create(
        organisation=receiver,
        person=person,
        referral_code=referral.code,
        source_code=referral.organisation.code,
        source_name=referral.organisation.name,
        kind=referral.kind,
        items=referral.items,
        received_on=today,
        two_way_minutes=referral.two_way_minutes,
        attempts_before_reply=referral.attempts_before_reply,
        replied=referral.replied,
        months_of_contact=referral.months_of_contact,
        note=referral.note,
        handover_note=referral.handover_note,
        history=history_of(source, referral.items),
    )
    if transfer:
        case = person.cases.get()
        outreach.hand_over(
            [outreach.HandoverItem(case, assign, referral.handover_note)],
            from_worker=None,
            by=by.user,
        )
    referral.state = Referral.State.ACCEPTED
    referral.answered_by, referral.answered_at = by.user, timezone.now()
    referral.save()
    _audit("referrals.referral.accepted", referral, by, ["state"])
    record_audit(
        "referrals.referral.received", by=by.user, organisation=receiver, target=person,
        person=person, fields=list(referral.items),
    )  # fmt: skip
    record_receipt(
        organisation=receiver,
        person=person,
        source_organisation=referral.organisation,
        items=referral.items,
        basis=_basis_for_provision(referral.basis),
        via="transfer" if transfer else "referral",
        how_obtained=str(
            _("From its own support record, with the person's consent")
            if referral.basis == Referral.Basis.CONSENT
            else _("From its own support record, for a support meeting (支援会議)")
        ),
        actor=by,
        on=today,
        reference=referral.reference,
    )
    if transfer:
        # The sender's case is the sender's record: closed in the sender's scope.
        with organisation_scope(referral.organisation_id):
            for case in Case.objects.filter(person_id=source.pk, status=Case.Status.OPEN):
                outreach.close_as_transferred(
                    case, requested_by=referral.sent_by, reference=referral.reference
                )
    notices.to_sender(referral, notices.ACCEPTED)
    return referral


def _copy_family(source: Person, person: Person, *, by: Membership) -> None:
    """The household and its members, through people's services (never a raw copy)."""
    household = source.household
    assert household is not None
    made = people.create_household_for(
        person, by=by.user, name=household.name, name_kana=household.name_kana,
        prefecture=household.prefecture, municipality=household.municipality,
    )  # fmt: skip
    for member in FamilyMember.unscoped.filter(
        organisation_id=source.organisation_id, household_id=household.pk
    ).order_by("id"):
        people.add_family_member(
            made, by=by.user, name=member.name, name_kana=member.name_kana,
            relationship=member.relationship, birth_year=member.birth_year,
            health=member.health, health_changed_on=member.health_changed_on,
            care_notes=member.care_notes, income_source=member.income_source,
            contactable=member.contactable, phone=member.phone,
        )  # fmt: skip


@transaction.atomic
def withdraw_referral(referral: Referral, *, by: Membership) -> Referral:
    """The sender takes back a referral that has not been answered."""
    referral = _locked(referral)
    _require(by, referral.organisation_id, CASE_ROLES)
    if referral.state != Referral.State.PENDING:
        raise _refuse("state", _("Only a referral waiting for an answer can be withdrawn."))
    referral.state = Referral.State.WITHDRAWN
    referral.save(update_fields=["state", "updated_at"])
    _audit("referrals.referral.withdrawn", referral, by, ["state"])
    if referral.recipient_organisation_id is not None:
        notices.to_receiver(referral, notices.WITHDRAWN)
    return referral


@transaction.atomic
def mark_done(referral: Referral, *, by: Membership) -> Referral:
    """The referral has reached its end: on this installation, the receiver says the person
    is with them; outside it, the sender records that the letter was handed over."""
    referral = _locked(referral)
    if referral.outside:
        _require(by, referral.organisation_id, CASE_ROLES)
        if referral.state != Referral.State.PENDING:
            raise _refuse("state", _("This referral is not waiting."))
        if not sharing_allowed(referral.person, None, referral.items,
                               on=referral.organisation.today()).allowed:  # fmt: skip
            raise _refuse("basis", _("The consent to sharing has been withdrawn."))
    else:
        if by is None or by.organisation_id != referral.recipient_organisation_id:
            raise _refuse("state", _("Only the receiving organisation says a referral is done."))
        _require(by, referral.recipient_organisation_id, SUPERVISOR_ROLES)
        if referral.state != Referral.State.ACCEPTED:
            raise _refuse("state", _("Only an accepted referral can be marked done."))
    referral.state = Referral.State.DONE
    referral.save(update_fields=["state", "updated_at"])
    _audit("referrals.referral.done", referral, by, ["state"])
    if not referral.outside:
        notices.to_sender(referral, notices.DONE)
    return referral


def _audit(action: str, referral: Referral, by: Membership, fields: list[str]) -> None:
    """On the sender's trail (the person's), and on the receiver's when it is the receiver
    that acted (naming the referral, not the person)."""
    record_audit(action, by=by.user, target=referral, person=referral.person, fields=fields)
    if by.organisation_id != referral.organisation_id:
        record_audit(action, by=by.user, organisation=by.organisation, target=referral,
                     fields=fields)  # fmt: skip


# -- the organisation's settings ----------------------------------------------------------------


@transaction.atomic
def add_decline_reason(*, by: Membership, label: str) -> DeclineReason:
    _require(by, by.organisation_id, SUPERVISOR_ROLES)
    label = (label or "").strip()
    if not label:
        raise _refuse("label", _("Write the reason."))
    limits.validate(label=(lambda v: limits.check_text(v, max_length=100, lines=False), label))
    if DeclineReason.objects.filter(organisation_id=by.organisation_id, label=label).exists():
        raise _refuse("label", _("This reason is already on the list."))
    reason = DeclineReason.objects.create(organisation_id=by.organisation_id, label=label)
    record_audit("referrals.decline_reason.added", by=by.user, organisation=by.organisation,
                 target=reason, fields=["label"])  # fmt: skip
    return reason


@transaction.atomic
def set_decline_reason_offered(reason: DeclineReason, *, by: Membership, active: bool) -> None:
    _require(by, reason.organisation_id, SUPERVISOR_ROLES)
    reason.active = bool(active)
    reason.save(update_fields=["active", "updated_at"])
    record_audit("referrals.decline_reason.changed", by=by.user, organisation=by.organisation,
                 target=reason, fields=["active"])  # fmt: skip


@transaction.atomic
def change_settings(*, by: Membership, age_limit: int, months_ahead: int) -> ReferralSettings:
    _require(by, by.organisation_id, SUPERVISOR_ROLES)
    found = ReferralSettings.for_organisation(by.organisation_id)
    found.age_limit, found.months_ahead = age_limit, months_ahead
    limits.check_record(found)
    found.save()
    record_audit("referrals.settings.changed", by=by.user, organisation=by.organisation,
                 target=found, fields=["age_limit", "months_ahead"])  # fmt: skip
    return found
