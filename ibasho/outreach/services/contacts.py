"""The one door for writing `Contact` rows: recording, editing, withdrawing, deleting. Every
write runs the same checks, keeps the previous version and ends in the plan refresh. Other
apps whose records stand for a contact (an attendance) keep it in step through
`sync_contact` and `withdraw_contact`; nothing outside this module saves or deletes one."""

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import Membership, Role
from ibasho.audit.models import AuditEntry
from ibasho.audit.services import audit_entry, record_audit
from ibasho.lib.bulk import insert
from ibasho.lib.suspensions import refuse_if_suspended, suspended_among
from ibasho.outreach import cadence as rules
from ibasho.outreach.models import (
    Cadence,
    Contact,
    ContactRevision,
    WithdrawnContact,
)
from ibasho.outreach.services.plans import refresh_plans_for, refresh_plans_of
from ibasho.people.models import FamilyMember, Person

# Fields a worker may set or edit on a contact.
CONTACT_FIELDS = (
    "occurred_at", "staff", "second_staff", "channel", "reached", "family_member",
    "direction", "outcome", "duration_minutes", "note", "next_step",
)  # fmt: skip

# What one tap on Today records, per channel: the usual outcome of an unanswered attempt and
# a typical time spent (editable afterwards). Attempts never count toward trust hours.
QUICK_ATTEMPT: dict[str, tuple[str, int]] = {
    Contact.Channel.LETTER: (Contact.Outcome.LETTER_LEFT, 15),
    Contact.Channel.POSTCARD: (Contact.Outcome.LETTER_LEFT, 10),
    Contact.Channel.DOOR_VISIT: (Contact.Outcome.NO_RESPONSE, 20),
    Contact.Channel.PHONE: (Contact.Outcome.NO_RESPONSE, 5),
    Contact.Channel.MESSAGE: (Contact.Outcome.NO_RESPONSE, 5),
    Contact.Channel.EMAIL: (Contact.Outcome.NO_RESPONSE, 10),
    Contact.Channel.VIDEO_CALL: (Contact.Outcome.NO_RESPONSE, 5),
}


def _check_contact(
    contact: Contact,
    staff: tuple[str, ...] = ("staff", "second_staff"),
    *,
    holds: Any = None,
    household_has_members: Any = None,
) -> None:
    """The rules between fields and records, the same for the form, the API and other apps:
    staff of this organisation, a family member of this person's household, and who was
    reached agreeing with the outcome and the family member named. The single-field limits
    (dates, lengths, text) are the model's own, run by `full_clean` first. Only the `staff`
    fields named are checked against current memberships: a contact made by a worker who has
    since left can still be corrected. `holds` and `household_has_members` answer the two
    questions asked of the database (a batch passes ones that remember their answers)."""
    holds = holds or Membership.objects.holds
    errors: dict[str, str] = {}
    org_id = contact.organisation_id
    for name in staff:
        user_id = getattr(contact, f"{name}_id")
        if user_id and not holds(user_id, org_id):
            errors[name] = _("Not a member of staff of this organisation.")
    member = contact.family_member
    household_id = contact.person.household_id
    if member is not None and (
        member.organisation_id != org_id or member.household_id != household_id
    ):
        errors["family_member"] = _("Not a member of this person's household.")
    elif member is not None and contact.reached != Contact.Reached.FAMILY:
        errors["reached"] = _("A family member is named: choose “A family member”.")
    elif (
        member is None
        and contact.reached == Contact.Reached.FAMILY
        and household_id is not None
        and (household_has_members or _household_has_members)(org_id, household_id)
    ):
        errors["family_member"] = _("Which family member was reached?")
    if contact.reached == Contact.Reached.NOBODY and contact.outcome in Contact.TWO_WAY_OUTCOMES:
        errors["outcome"] = _("A conversation or reply needs someone who was reached.")
    if errors:
        raise ValidationError(errors)


def _household_has_members(organisation_id: int, household_id: int) -> bool:
    return FamilyMember.objects.filter(
        organisation_id=organisation_id, household_id=household_id
    ).exists()


@transaction.atomic
def record_contact(person: Person, *, by: Any, **fields: Any) -> Contact:
    """Log a contact or attempt with a person (or their family), audit it and move the
    person's outreach plan on."""
    refuse_if_suspended(person)
    contact = Contact(
        organisation_id=person.organisation_id, person=person, created_by=by, **fields
    )
    if contact.staff_id is None and getattr(by, "pk", None):
        contact.staff = by
    # The person, the organisation and the recording user are records in hand, staff are
    # checked against the organisation's memberships next, and a new code is a fresh UUID:
    # confirming each of them again cost six queries per contact.
    contact.full_clean(
        exclude=["organisation", "person", "created_by", "staff", "second_staff", "code"]
    )
    _check_contact(contact)
    contact.save()
    record_audit(
        "outreach.contact.recorded", by=by, person=person, target=contact, fields=sorted(fields)
    )
    day = contact.occurred_at.astimezone(person.organisation.zone).date()
    refresh_plans_for(person, appended=rules.Attempt(day, contact.channel, contact.is_two_way()))
    return contact


@transaction.atomic
def record_contacts(person: Person, *, by: Any, contacts: list[dict[str, Any]]) -> list[Contact]:
    """Log a person's earlier contacts at once (an imported history): each checked and audited
    as `record_contact` does, saved together, and the plan replayed once at the end. The stored
    plan is the one logging them one by one gives, because the replay keeps it equal to a
    replay of the history (`tests` compare the two paths)."""
    return record_histories([(person, contacts)], by=by)[0]


@transaction.atomic
def record_histories(
    histories: list[tuple[Person, list[dict[str, Any]]]],
    *,
    by: Any,
    limits_checked: bool = False,
) -> list[list[Contact]]:
    """`record_contacts` for many people of one organisation: the contacts written and audited
    in large batches, and each person's plan replayed once. `limits_checked` says the caller
    has already run each contact's single-field limits (`check_record`, or `ValueChecks` as an
    import does when it checks the file): the rules between fields are still checked here.
    The contacts come back saved and known by their codes (their ids are not read back)."""
    answers: dict[Any, bool] = {}

    def remembered(question: Any) -> Any:
        def ask(*key: Any) -> bool:
            if key not in answers:
                answers[key] = question(*key)
            return answers[key]

        return ask

    holds = remembered(Membership.objects.holds)
    has_members = remembered(_household_has_members)
    # A suspension holds for an imported history too: asked once for the whole batch.
    suspended = suspended_among(person.pk for person, contacts in histories)
    staff_id = by.pk if getattr(by, "pk", None) else None
    made: list[list[Contact]] = []
    entries = []
    for person, contacts in histories:
        refuse_if_suspended(person, suspended=suspended)
        group = []
        for fields in contacts:
            contact = Contact(
                organisation_id=person.organisation_id, person_id=person.pk,
                created_by_id=staff_id, **fields,
            )  # fmt: skip
            Contact.person.field.set_cached_value(contact, person)  # the person in hand
            if contact.staff_id is None and staff_id:
                contact.staff_id = staff_id
            if not limits_checked:
                contact.full_clean(
                    exclude=[
                        "organisation",
                        "person",
                        "created_by",
                        "staff",
                        "second_staff",
                        "code",
                    ]
                )
            _check_contact(contact, holds=holds, household_has_members=has_members)
            group.append(contact)
            entries.append(
                audit_entry(
                    "outreach.contact.recorded", by=by, person=person, target=contact,
                    fields=sorted(fields),
                )
            )  # fmt: skip
        made.append(group)
    # Inserted without reading their ids back: the contacts are known by their codes.
    insert(Contact, [c for group in made for c in group])
    insert(AuditEntry, entries)
    refresh_plans_of([person for (person, contacts) in histories if contacts])
    return made


def log_attempt(item: Cadence, *, by: Any) -> Contact:
    """One tap on Today: an unanswered attempt on the cadence's channel, now."""
    outcome, minutes = QUICK_ATTEMPT.get(item.channel, (Contact.Outcome.NO_RESPONSE, 10))
    return record_contact(
        item.plan.case.person,
        by=by,
        channel=item.channel,
        reached=Contact.Reached.NOBODY,
        outcome=outcome,
        duration_minutes=minutes,
    )


# How long a worker may take back their own one-tap attempt; after that it is edited, with
# its history kept.
UNDO_MINUTES = 10


def undo_attempt(contact: Contact, *, by: Any) -> WithdrawnContact:
    """Take back a one-tap unanswered attempt tapped by mistake: only its own author, only
    within `UNDO_MINUTES`; the plan is replayed as if it had never been logged."""
    if contact.created_by_id != getattr(by, "pk", None) or contact.reached != (
        Contact.Reached.NOBODY
    ):
        raise ValidationError(_("Only the worker who logged an unanswered attempt can undo it."))
    if timezone.now() - contact.created_at > dt.timedelta(minutes=UNDO_MINUTES):
        raise ValidationError(
            _("More than %(minutes)d minutes have passed: edit the contact instead.")
            % {"minutes": UNDO_MINUTES}
        )
    return withdraw_contact(contact, by=by, reason="outreach.attempt.undone")


def _snapshot(contact: Contact) -> dict[str, Any]:
    """The editable values as stored (foreign keys as ids)."""
    return {name: contact.serializable_value(name) for name in CONTACT_FIELDS}


@transaction.atomic
def edit_contact(contact: Contact, *, by: Any, **changes: Any) -> Contact:
    """Change a contact, keeping its previous version."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    before = _snapshot(contact)
    for name, value in changes.items():
        setattr(contact, name, value)
    after = _snapshot(contact)
    changed = sorted(name for name in CONTACT_FIELDS if before[name] != after[name])
    if not changed:
        return contact
    contact.full_clean()
    _check_contact(
        contact, staff=tuple(name for name in ("staff", "second_staff") if name in changed)
    )
    contact.save()
    ContactRevision.objects.create(
        organisation_id=contact.organisation_id,
        contact=contact,
        edited_by=by,
        previous=json.dumps(before, default=str, ensure_ascii=False),
        changed_fields=changed,
    )
    record_audit(
        "outreach.contact.changed", by=by, person=contact.person, target=contact, fields=changed
    )
    refresh_plans_for(contact.person)
    return contact


def sync_contact(person: Person, contact: Contact | None, *, by: Any, **fields: Any) -> Contact:
    """Keep the contact another record stands for in step with it: recorded the first time,
    afterwards changed through `edit_contact`, so its previous version is kept."""
    if contact is None:
        return record_contact(person, by=by, **fields)
    if contact.person_id != person.pk:
        raise ValidationError({"person": _("This contact belongs to someone else.")})
    return edit_contact(contact, by=by, **fields)


@transaction.atomic
def withdraw_contact(contact: Contact, *, by: Any, reason: str) -> WithdrawnContact:
    """Take away a contact because the record it stood for no longer holds (an attendance
    corrected to absent). Not the admins' deletion of a contact recorded in error: the
    contact's last version is kept, encrypted, with who withdrew it and `reason` (a short
    code naming the change, e.g. "programmes.attendance.absent"); the plan is replayed."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contact is withdrawn.")})
    person = contact.person
    trace = WithdrawnContact.objects.create(
        organisation_id=contact.organisation_id,
        person=person,
        contact_code=contact.code,
        previous=json.dumps(_snapshot(contact), default=str, ensure_ascii=False),
        reason=reason,
        withdrawn_by=by if getattr(by, "pk", None) else None,
    )
    record_audit(
        "outreach.contact.withdrawn", by=by, person=person, target=contact, fields=CONTACT_FIELDS
    )
    contact.delete()
    refresh_plans_for(person)
    return trace


@transaction.atomic
def delete_contact(contact: Contact, *, by: Any) -> None:
    """Remove a contact recorded in error (admins only); the audit trail keeps that it existed."""
    if not Membership.objects.holds(by, contact.organisation_id, [Role.ADMIN]):
        raise PermissionDenied
    person = contact.person
    record_audit(
        "outreach.contact.deleted", by=by, person=person, target=contact, fields=CONTACT_FIELDS
    )
    contact.delete()
    refresh_plans_for(person)
