"""Writes to people's records: each in one transaction with its audit entry.

Services take values (from a form's cleaned data, an API schema or another app) and hold the
rules between fields; the single-field limits are the models' own (`ibasho.lib.limits`).
A refusal is a ValidationError naming the field, and nothing is written."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.audit.models import AuditEntry
from ibasho.audit.services import audit_entry, record_audit
from ibasho.lib import limits
from ibasho.lib.limits import check_record
from ibasho.lib.suspensions import refuse_if_suspended
from ibasho.people import postcodes
from ibasho.people.models import (
    Benefit,
    Case,
    CaseAssignment,
    Consent,
    ContactDetails,
    FamilyMember,
    Household,
    Person,
    Phone,
    PossibleDuplicate,
)
from ibasho.people.signals import case_opened, cases_opened


def _assign(record: Any, values: dict[str, Any]) -> list[str]:
    """Set `values` on `record`; the names of the fields whose stored value changes (for a new
    record, those given a value)."""
    unknown = sorted(set(values) - {f.name for f in record._meta.fields if f.editable})
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    new = record._state.adding
    before = {name: record.serializable_value(name) for name in values}
    for name, value in values.items():
        setattr(record, name, value)
    return sorted(
        name
        for name, value in values.items()
        if (value not in (None, "", []) if new else before[name] != record.serializable_value(name))
    )


@transaction.atomic
def save_record(
    record: Any,
    action: str,
    *,
    by: Any,
    organisation: Any,
    person: Person | None = None,
    check: Callable[[Any], None] | None = None,
    **values: Any,
) -> Any:
    """Set `values` on a tenant record of `organisation`, check them (the model's limits, then
    `check` for the rules between fields), save it and audit which fields changed (never the
    values). A new record is checked whole; an existing one on the fields given."""
    record.organisation = organisation
    new = record._state.adding
    changed = _assign(record, values)
    check_record(record, only=None if new else values)
    if check is not None:
        check(record)
    record.save()
    record_audit(
        action,
        by=by,
        organisation=organisation,
        target=record,
        person=person or (record if isinstance(record, Person) else None),
        fields=changed,
    )
    return record


def _check_person(person: Person) -> None:
    errors = {}
    if person.birth_date and person.birth_year and person.birth_date.year != person.birth_year:
        errors["birth_year"] = _("The birth year does not match the birth date.")
    household = person.household
    if household is not None and household.organisation_id != person.organisation_id:
        errors["household"] = _("Not a household of this organisation.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_person(*, by: Any, organisation: Any, assign: Any = None, **values: Any) -> Person:
    """Register a person and open a case for them, assigned to `assign` (a user) if given."""
    person: Person = save_record(
        Person(), "people.person.created", by=by, organisation=organisation,
        check=_check_person, **values,
    )  # fmt: skip
    case = open_case(person, by=by, worker=assign)
    record_audit("people.case.opened", by=by, organisation=organisation, target=case, person=person)
    note_possible_duplicates(person, by=by)
    return person


# People (and their cases, plans and audit entries) written per INSERT by `create_people`.
BATCH = 500


@transaction.atomic
def create_people(
    *, by: Any, organisation: Any, people: list[tuple[dict[str, Any], Any]]
) -> list[Person]:
    """`create_person` for many people at once (an imported name list): each `(values,
    assign)` checked by the same rules, then the people, their cases, assignments and audit
    entries written in bulk, the plans given on `cases_opened`, and the possible duplicates
    found with one query per batch. The records and audit trail are those of creating them
    one by one, in order."""
    made: list[Person] = []
    for start in range(0, len(people), BATCH):
        made += _create_batch(by, organisation, people[start : start + BATCH])
    return made


def _create_batch(
    by: Any, organisation: Any, people: list[tuple[dict[str, Any], Any]]
) -> list[Person]:
    persons, changed = [], []
    for values, _assign_to in people:
        person = Person(organisation=organisation)
        changed.append(_assign(person, values))
        check_record(person)
        _check_person(person)
        person.prepare()
        problems = limits.text_problems(person, None)
        if problems:
            raise ValidationError(problems)
        persons.append(person)
    Person.objects.bulk_create(persons)
    cases = Case.objects.bulk_create(
        [Case(organisation_id=organisation.pk, person=person) for person in persons]
    )
    CaseAssignment.objects.bulk_create(
        [
            CaseAssignment(organisation_id=organisation.pk, case=case, worker=assign)
            for case, (_values, assign) in zip(cases, people, strict=True)
            if assign is not None
        ]
    )
    cases_opened.send(sender=Case, cases=cases, by=by)
    entries = []
    for person, case, fields in zip(persons, cases, changed, strict=True):
        entries.append(
            audit_entry(
                "people.person.created", by=by, organisation=organisation, target=person,
                person=person, fields=fields,
            )
        )  # fmt: skip
        entries.append(
            audit_entry(
                "people.case.opened", by=by, organisation=organisation, target=case, person=person
            )
        )
    AuditEntry.objects.bulk_create(entries)
    _note_duplicates_of(persons, by=by)
    return persons


def _note_duplicates_of(persons: list[Person], *, by: Any) -> None:
    """`note_possible_duplicates` for people just written together, in one query: each is
    compared with the people recorded before it (earlier ones of the batch included)."""
    new = {person.pk for person in persons}
    by_key: dict[str, list[Person]] = {}
    for other in Person.objects.filter(
        organisation_id=persons[0].organisation_id, sort_key__in={p.sort_key for p in persons}
    ).order_by("pk"):
        by_key.setdefault(other.sort_key, []).append(other)
    pairs, entries = [], []
    for person in persons:
        for other in by_key.get(person.sort_key, []):
            if other.pk >= person.pk and other.pk in new:
                continue  # recorded after this one: that one notes the pair
            if other.pk == person.pk:
                continue
            reasons = duplicate_reasons(person, other)
            if reasons:
                first, second = sorted((other, person), key=lambda p: p.pk)
                pair = PossibleDuplicate(
                    organisation_id=person.organisation_id, person=first, other=second,
                    reasons=reasons, other_code=second.code,
                )  # fmt: skip
                pairs.append(pair)
                entries.append((pair, person))
    PossibleDuplicate.objects.bulk_create(pairs)
    AuditEntry.objects.bulk_create(
        audit_entry("people.duplicate.noted", by=by, target=pair, person=person)
        for pair, person in entries
    )


def duplicate_reasons(person: Person, other: Person) -> list[str]:
    """Why two records may be one person: the same reading (family and given) and birth date
    or year, or the same reading and municipality."""
    if (person.family_name_kana, person.given_name_kana) != (
        other.family_name_kana, other.given_name_kana,
    ):  # fmt: skip
        return []
    reasons = []
    if (person.birth_date and person.birth_date == other.birth_date) or (
        person.birth_year and person.birth_year == other.birth_year
    ):
        reasons.append(PossibleDuplicate.Reason.READING_BIRTH.value)
    if person.municipality and person.municipality == other.municipality:
        reasons.append(PossibleDuplicate.Reason.READING_MUNICIPALITY.value)
    return reasons


def note_possible_duplicates(person: Person, *, by: Any) -> list[PossibleDuplicate]:
    """Record, as open questions, the people already recorded who may be this one. The
    reading's sort key is indexed: a new person costs one query when nobody shares it."""
    found = []
    for other in Person.objects.filter(
        organisation_id=person.organisation_id, sort_key=person.sort_key
    ).exclude(pk=person.pk):
        reasons = duplicate_reasons(person, other)
        if reasons:
            first, second = sorted((other, person), key=lambda p: p.pk)
            pair, _created = PossibleDuplicate.objects.get_or_create(
                organisation_id=person.organisation_id, person=first, other=second,
                defaults={"reasons": reasons, "other_code": second.code},
            )  # fmt: skip
            found.append(pair)
            record_audit("people.duplicate.noted", by=by, target=pair, person=person)
    return found


@transaction.atomic
def mark_not_same(pair: PossibleDuplicate, *, by: Any) -> PossibleDuplicate:
    """Two records are different people: the question is closed and not asked again."""
    if pair.status != PossibleDuplicate.Status.OPEN:
        raise ValidationError({"status": _("This has already been decided.")})
    pair.status = PossibleDuplicate.Status.NOT_SAME
    pair.decided_by = by
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    record_audit("people.duplicate.not_same", by=by, target=pair, person=pair.person,
                 fields=["status"])  # fmt: skip
    return pair


def change_person(person: Person, *, by: Any, **values: Any) -> Person:
    refuse_if_suspended(person)
    return save_record(  # type: ignore[no-any-return]
        person, "people.person.changed", by=by, organisation=person.organisation,
        check=_check_person, **values,
    )  # fmt: skip


@transaction.atomic
def open_case(person: Person, *, by: Any, worker: Any = None) -> Case:
    """Open a case for a person; apps that keep something per case (the outreach plan) add
    it on `case_opened`, in this transaction."""
    refuse_if_suspended(person)
    case = Case.objects.create(organisation_id=person.organisation_id, person=person)
    if worker is not None:
        CaseAssignment.objects.create(
            organisation_id=person.organisation_id, case=case, worker=worker
        )
    case_opened.send(sender=Case, case=case, by=by)
    return case


@transaction.atomic
def create_household_for(person: Person, *, by: Any, **values: Any) -> Household:
    household: Household = save_record(
        Household(), "people.household.created", by=by, organisation=person.organisation,
        person=person, **values,
    )  # fmt: skip
    person.household = household
    person.save(update_fields=["household", "updated_at"])
    record_audit(
        "people.person.changed",
        by=by,
        target=person,
        person=person,
        fields=["household"],
    )
    return household


def change_household(household: Household, *, by: Any, **values: Any) -> Household:
    return save_record(  # type: ignore[no-any-return]
        household, "people.household.changed", by=by, organisation=household.organisation,
        **values,
    )  # fmt: skip


# Statuses whose date decides an alert (hospital, care, death) or ends a member's place in
# the household's pickers (death, moving out).
DATED_STATUSES = FamilyMember.SUDDEN | {FamilyMember.Health.MOVED_OUT}


def _health_dated(member: FamilyMember, values: dict[str, Any]) -> dict[str, Any]:
    """The effective date of a status change decides whether the household goes to the top of
    the risk board (within the alert window from that date). A change to a member already
    recorded is a new event: without its own date it happened today. A member entered with
    such a status is history being entered: the user says since when, or it is refused, so
    that old records raise no false alarm."""
    health = values.get("health", member.health)
    new_status = health != (FamilyMember.Health.WELL if member._state.adding else member.health)
    dated = values.get("health_changed_on", member.health_changed_on) != member.health_changed_on
    if new_status and not dated:
        if member._state.adding and health in DATED_STATUSES:
            raise ValidationError(
                {"health_changed_on": _("Say since when (e.g. the day of death): without it "
                                        "the change would count as new today.")}
            )  # fmt: skip
        return {**values, "health_changed_on": timezone.localdate()}
    return values


def add_family_member(household: Household, *, by: Any, **values: Any) -> FamilyMember:
    member = FamilyMember(household=household)
    return save_record(  # type: ignore[no-any-return]
        member, "people.family_member.created", by=by, organisation=household.organisation,
        **_health_dated(member, values),
    )  # fmt: skip


def change_family_member(member: FamilyMember, *, by: Any, **values: Any) -> FamilyMember:
    return save_record(  # type: ignore[no-any-return]
        member, "people.family_member.changed", by=by, organisation=member.organisation,
        **_health_dated(member, values),
    )  # fmt: skip


def _check_consent(consent: Consent) -> None:
    proxy = consent.proxy
    if consent.given_by_person and proxy is not None:
        message = _("Choose a proxy only when the person did not give consent themself.")
        raise ValidationError({"proxy": message})
    if not consent.given_by_person and proxy is None:
        raise ValidationError({"proxy": _("Say which family member gave consent on their behalf.")})
    person = consent.person
    if proxy is not None and (
        proxy.organisation_id != person.organisation_id
        or proxy.household_id is None
        or proxy.household_id != person.household_id
    ):
        raise ValidationError({"proxy": _("Not a member of this person's household.")})


def record_consent(person: Person, *, by: Any, **values: Any) -> Consent:
    return save_record(  # type: ignore[no-any-return]
        Consent(person=person), "people.consent.recorded", by=by,
        organisation=person.organisation, person=person, check=_check_consent, **values,
    )  # fmt: skip


@transaction.atomic
def withdraw_consent(consent: Consent, *, by: Any) -> Consent:
    if consent.withdrawn_on is None:
        consent.withdrawn_on = consent.organisation.today()
        consent.save(update_fields=["withdrawn_on", "updated_at"])
        record_audit(
            "people.consent.withdrawn",
            by=by,
            target=consent,
            person=consent.person,
            fields=["withdrawn_on"],
        )
    return consent


# Contact details -------------------------------------------------------------------------

CONTACT_FIELDS = (
    "postcode", "street", "directions", "email", "line_name", "emergency_name",
    "emergency_relation", "emergency_phone", "medical_name", "medical_phone",
)  # fmt: skip
# The address's prefecture and municipality are the person's own fields.
ADDRESS_FIELDS = ("prefecture", "municipality")
MAX_PHONES = 5
MAX_BENEFITS = 8


def filled_address(person: Person, values: dict[str, Any]) -> dict[str, Any]:
    """The address with what its postcode tells filled in where it is empty: the prefecture,
    the municipality and the town (as the start of the street). A postcode Japan Post does not
    know is refused; a postcode is written 123-4567."""
    code = values.get("postcode")
    if not code:
        return values
    found = postcodes.lookup(code)
    if found is None:
        raise ValidationError({"postcode": _("Japan Post knows no such postcode.")})
    filled = {**values, "postcode": found.postcode}
    if not values.get("prefecture", person.prefecture):
        filled["prefecture"] = found.prefecture
    if not values.get("municipality", person.municipality):
        filled["municipality"] = found.municipality
    if "street" in values and not values["street"]:
        filled["street"] = found.town
    return filled


def _rows(
    kind: str, model: type, person: Person, rows: list[dict[str, Any]], most: int
) -> tuple[list[Any], dict[str, Any]]:
    """New records (unsaved) for `rows`, each checked by the model's limits; blank rows are
    skipped. The problems, by `kind`."""
    if len(rows) > most:
        return [], {kind: [_("At most %(most)s.") % {"most": most}]}
    records, problems = [], []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            problems.append(_("Row %(row)s is not understood.") % {"row": index + 1})
            continue
        if not any(v not in (None, "") for v in row.values()):
            continue
        record = model(organisation_id=person.organisation_id, person=person, position=index)
        try:
            _assign(record, row)
            check_record(record)
            start, end = getattr(record, "valid_from", None), getattr(record, "valid_until", None)
            if start and end and end < start:
                raise ValidationError(_("The end is before the start."))
        except ValidationError as error:
            for message in error.messages:
                problems.append(
                    _("Row %(row)s: %(problem)s") % {"row": index + 1, "problem": message}
                )
            continue
        records.append(record)
    return records, ({kind: problems} if problems else {})


@transaction.atomic
def save_contact_details(
    person: Person,
    *,
    by: Any,
    phones: list[dict[str, Any]] | None = None,
    benefits: list[dict[str, Any]] | None = None,
    **values: Any,
) -> ContactDetails:
    """Set how to reach a person: the address (its prefecture and municipality on the person),
    e-mail, LINE name, emergency and medical contacts; `phones` and `benefits`, when given,
    replace the person's lists (each row a dict: `label`, `number`; `kind`, `grade`,
    `valid_from`, `valid_until`). Every form, the API and the importer write through here.
    Audited by field name, never by value."""
    refuse_if_suspended(person)
    unknown = sorted(set(values) - set(CONTACT_FIELDS) - set(ADDRESS_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    values = filled_address(person, values)
    on_person = {k: values.pop(k) for k in ADDRESS_FIELDS if k in values}
    details = ContactDetails.objects.filter(person=person).first() or ContactDetails(
        organisation_id=person.organisation_id, person=person
    )
    new = details._state.adding
    errors: dict[str, Any] = {}
    changed = _assign(details, values)
    try:
        check_record(details, only=None if new else values)
    except ValidationError as error:
        errors.update(error.message_dict)
    person_changed = _assign(person, on_person)
    try:
        check_record(person, only=on_person)
    except ValidationError as error:
        errors.update(error.message_dict)
    new_phones: list[Phone] = []
    new_benefits: list[Benefit] = []
    if phones is not None:
        new_phones, problems = _rows("phones", Phone, person, phones, MAX_PHONES)
        errors.update(problems)
    if benefits is not None:
        new_benefits, problems = _rows("benefits", Benefit, person, benefits, MAX_BENEFITS)
        errors.update(problems)
    if errors:
        raise ValidationError(errors)
    details.save()
    if person_changed:
        person.save(update_fields=[*person_changed, "updated_at"])
    fields = [*changed, *person_changed]
    if phones is not None and _replace(person.phones.all(), new_phones, ("label", "number")):
        fields.append("phones")
    if benefits is not None and _replace(
        person.benefits.all(), new_benefits, ("kind", "grade", "valid_from", "valid_until")
    ):
        fields.append("benefits")
    record_audit(
        "people.contact_details.changed" if not new else "people.contact_details.created",
        by=by,
        organisation=person.organisation,
        target=details,
        person=person,
        fields=sorted(fields),
    )
    return details


def _replace(current: Any, new: list[Any], compared: tuple[str, ...]) -> bool:
    """Put `new` in place of the records in `current`; whether anything differed."""
    before = [tuple(getattr(r, name) for name in compared) for r in current]
    after = [tuple(getattr(r, name) for name in compared) for r in new]
    if before == after:
        return False
    current.delete()
    for record in new:
        record.save()
    return True
