"""Checking and importing the rows of one file.

`check` reads every row against the mapping and the organisation's records, writing nothing:
each row comes back with its values, its errors (row, column, reason) and what importing it
would do (create, update, nothing). `apply` then writes the rows through the domain services,
all in one transaction: rows with errors are either a reason to write nothing or, when the
user chose so, left out.

Idempotency: every row has an external id (its ID column, or one derived from the values that
say who or what it is). `ImportedRow` remembers what each id became and a digest of its
values, so the same row again is unchanged, and a corrected row updates its record."""

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ibasho.accounts.models import Membership
from ibasho.imports import columns
from ibasho.imports.models import ImportedRow, Kind
from ibasho.imports.readers import Table, column_letter
from ibasho.imports.values import parse_date, parse_minutes, parse_time, parse_year, text
from ibasho.imports.vocab import choose
from ibasho.lib.bulk import insert
from ibasho.lib.japanese import normalise_kana
from ibasho.lib.limits import ValueChecks, check_record
from ibasho.outreach.models import Contact, Stage
from ibasho.outreach.services.cases import change_stage, current_stage
from ibasho.outreach.services.contacts import edit_contact, record_histories
from ibasho.people import postcodes
from ibasho.people.models import (
    PREFECTURE_CHOICES,
    Consent,
    ContactDetails,
    FamilyMember,
    Gender,
    Person,
    Phone,
)
from ibasho.people.services import (
    add_family_member,
    change_family_member,
    change_person,
    create_household_for,
    create_people,
    record_consent,
    save_contact_details,
    save_record,
)

Progress = Callable[[int, int], None]
# People whose imported contacts are written together.
PEOPLE_PER_WRITE = 250
PREFECTURES = {name: code for code, name in PREFECTURE_CHOICES}
# An address that starts with its postcode: 〒123-4567 or 123-4567.
_POSTCODE_FIRST = re.compile(r"^〒?\s*(\d{3}-?\d{4})\s*")
# A day without a time of day: noon in the organisation's zone keeps it on that day.
NOON = dt.time(12, 0)
# Model fields → the import fields a refusal of theirs is shown against.
FIELD_COLUMNS = {
    "family_name": ("family_name", "name"),
    "given_name": ("given_name", "name"),
    "family_name_kana": ("family_name_kana", "reading"),
    "given_name_kana": ("given_name_kana", "reading"),
    "birth_date": ("birth_date",),
    "birth_year": ("birth_year", "birth_date", "member_birth_year"),
    "prefecture": ("address",),
    "municipality": ("municipality", "address"),
    "occurred_at": ("date", "time"),
    "duration_minutes": ("minutes",),
    "name": ("member_name",),
    "name_kana": ("member_reading",),
    "health_changed_on": ("health_since",),
}


@dataclass
class Checked:
    number: int
    cells: list[Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    external_id: str = ""
    digest: str = ""
    action: str = ""  # "create", "update" or "unchanged"
    target: Any = None  # the record an update changes
    person: Any = None  # the person a contact, family member or consent belongs to

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


class Importer:
    def __init__(self, organisation: Any, kind: str, table: Table, mapping: dict[str, str]):
        self.organisation = organisation
        self.kind = kind
        self.contact_limits = ValueChecks(Contact)
        self.table = table
        # field key → column index (a field filled from one column)
        self.columns: dict[str, int] = {}
        for index, header in enumerate(table.headers):
            key = mapping.get(header, "")
            if key and key not in self.columns:
                self.columns[key] = index

    # -- errors and cells ------------------------------------------------------------------

    def column_name(self, key: str) -> tuple[str, str]:
        index = self.columns.get(key)
        if index is None:
            return "", columns.label(self.kind, key)
        return column_letter(index), self.table.headers[index]

    def fail(self, row: Checked, key: str, message: Any) -> None:
        letter, header = self.column_name(key)
        row.errors.append({"column": letter, "header": header, "message": str(message)})

    def fail_model(self, row: Checked, error: ValidationError) -> None:
        for name, problems in error.message_dict.items():
            keys = FIELD_COLUMNS.get(name, (name,))
            key = next((k for k in keys if k in self.columns), keys[0])
            if any(e["header"] == self.column_name(key)[1] for e in row.errors):
                continue  # the column's own error already says what is wrong
            for message in problems:
                self.fail(row, key, message)

    def cell(self, row: Checked, key: str) -> Any:
        index = self.columns.get(key)
        if index is None or index >= len(row.cells):
            return None
        value = row.cells[index]
        return None if text(value) == "" else value

    def parse(self, row: Checked, key: str, parser: Callable[[Any], Any]) -> Any:
        value = self.cell(row, key)
        if value is None:
            return None
        try:
            return parser(value)
        except ValueError as error:
            self.fail(row, key, error)
            return None

    # -- the whole file ------------------------------------------------------------------

    def check(self) -> list[Checked]:
        self.load()
        checker = getattr(self, f"check_{self.kind}")
        rows = []
        seen: dict[str, int] = {}
        occurrences: dict[str, int] = defaultdict(int)
        for source in self.table.rows:
            row = Checked(source.number, source.values)
            checker(row)
            if row.ok or row.external_id:
                self.identify(row, seen, occurrences)
            rows.append(row)
        return rows

    def identify(self, row: Checked, seen: dict[str, int], occurrences: dict[str, int]) -> None:
        """Give the row its external id (the ID column, or one derived), refuse an id the file
        already used, and decide what importing it does."""
        given = text(self.cell(row, "external_id"))
        if given:
            row.external_id = given
        else:
            base = row.external_id  # the derived key the checker left
            occurrences[base] += 1
            row.external_id = (
                "~" + hashlib.sha256(f"{base}#{occurrences[base]}".encode()).hexdigest()[:32]
            )
        if row.external_id in seen:
            self.fail(
                row,
                "external_id",
                _("This ID is also used in row %(row)s.") % {"row": seen[row.external_id]},
            )
            return
        seen[row.external_id] = row.number
        if not row.ok:
            return
        row.digest = hashlib.sha256(
            json.dumps(row.values, sort_keys=True, default=str, ensure_ascii=False).encode()
        ).hexdigest()
        known = self.imported.get(row.external_id)
        if known is None:
            row.action = "create"
            if self.kind == Kind.PEOPLE and row.target is not None:
                row.action = "update"  # an existing person, matched by name and birth date
        elif known.digest == row.digest:
            row.action = "unchanged"
        else:
            row.action = "update"
            row.target = self.target_of(known)
            if row.target is None:
                row.action = "create"  # its record was deleted since: bring it back

    def load(self) -> None:
        org = self.organisation
        self.imported = {
            r.external_id: r for r in ImportedRow.objects.filter(organisation=org, kind=self.kind)
        }
        people_codes = dict(
            ImportedRow.objects.filter(organisation=org, kind=Kind.PEOPLE).values_list(
                "external_id", "target_code"
            )
        )
        self.people = {p.code: p for p in Person.objects.filter(organisation=org)}
        self.people_by_external_id = {
            ext: self.people[code] for ext, code in people_codes.items() if code in self.people
        }
        self.people_by_reading: dict[str, list[Person]] = defaultdict(list)
        for person in self.people.values():
            self.people_by_reading[person.family_name_kana + person.given_name_kana].append(person)
        self.staff: dict[str, Any] = {}
        for membership in Membership.objects.staff_of(org.pk).select_related("user"):
            user = membership.user
            for name in (user.username, user.display_name, user.get_full_name(), str(user)):
                if name:
                    self.staff[name.replace(" ", "").replace("\u3000", "")] = user
        self.members: dict[int, list[FamilyMember]] = defaultdict(list)
        for member in FamilyMember.objects.filter(organisation=org):
            self.members[member.household_id].append(member)

    def target_of(self, known: ImportedRow) -> Any:
        models: dict[str, Any] = {
            Kind.PEOPLE: Person,
            Kind.CONTACTS: Contact,
            Kind.FAMILY: FamilyMember,
            Kind.CONSENTS: Consent,
        }
        model = models[self.kind]
        if model is Person:
            return self.people.get(known.target_code)
        return model.objects.filter(organisation=self.organisation, code=known.target_code).first()

    # -- shared pieces -------------------------------------------------------------------

    def split_name(self, row: Checked, whole: str, parts: tuple[str, str]) -> tuple[str, str]:
        first, second = (self.cell(row, parts[0]), self.cell(row, parts[1]))
        if first is not None:
            return text(first), text(second)
        value = " ".join(text(self.cell(row, whole)).split())
        family, _sep, given = value.partition(" ")
        return family, given

    def staff_member(self, row: Checked, key: str) -> Any:
        name = text(self.cell(row, key)).replace(" ", "")
        if not name:
            return None
        user = self.staff.get(name)
        if user is None:
            self.fail(row, key, _("No member of staff of this organisation has this name."))
        return user

    def find_person(
        self, row: Checked, *, name_key: str = "name", reading_key: str = "reading"
    ) -> Person | None:
        """The person a row is about: by the ID they were imported with, else by reading,
        name and birth date. Several matches are an error, never a guess."""
        given_id = text(self.cell(row, "person_id"))
        if given_id:
            person = self.people_by_external_id.get(given_id)
            if person is None:
                self.fail(row, "person_id", _("No person was imported with this ID."))
            return person
        family, given = self.split_name(row, name_key, ("", ""))
        reading = normalise_kana(text(self.cell(row, reading_key)))
        if not reading:
            key = reading_key if reading_key in self.columns else name_key
            self.fail(row, key, _("Say who this is: an ID column, or the name with its reading."))
            return None
        found = self.people_by_reading.get(reading, [])
        if family:
            found = [p for p in found if p.family_name == family and p.given_name == given]
        birth = self.parse(row, "birth_date", parse_date) if "birth_date" in self.columns else None
        if birth is not None:
            found = [p for p in found if p.birth_date in (None, birth)]
        if len(found) > 1:
            self.fail(
                row,
                reading_key,
                _("This matches %(count)s people: add an ID or a birth date column to say which.")
                % {"count": len(found)},
            )
            return None
        if not found:
            self.fail(row, reading_key, _("No person with this name and reading."))
            return None
        return found[0]

    def required(self, row: Checked, key: str, message: Any) -> None:
        self.fail(row, key, message)

    # -- people --------------------------------------------------------------------------

    def check_people(self, row: Checked) -> None:
        family, given = self.split_name(row, "name", ("family_name", "given_name"))
        if self.cell(row, "family_name_kana") is not None:
            kana_family = text(self.cell(row, "family_name_kana"))
            kana_given = text(self.cell(row, "given_name_kana"))
        else:
            reading = " ".join(text(self.cell(row, "reading")).split())
            kana_family, _sep, kana_given = reading.partition(" ")
        if not family:
            self.fail(row, "name", _("The name is missing."))
        if not kana_family:
            key = "family_name_kana" if "family_name_kana" in self.columns else "reading"
            self.fail(
                row,
                key,
                _(
                    "The reading (ふりがな) is missing: Ibasho never guesses how a "
                    "name is read. Add it to the file."
                ),
            )
        elif given and not kana_given:
            self.fail(row, "reading", _("Write the reading of both names, separated by a space."))
        values: dict[str, Any] = {
            "family_name": family,
            "given_name": given,
            "family_name_kana": normalise_kana(kana_family),
            "given_name_kana": normalise_kana(kana_given),
        }
        birth_date = self.parse(row, "birth_date", parse_date)
        if birth_date is not None:
            values["birth_date"] = birth_date
        birth_year = self.parse(row, "birth_year", parse_year)
        if birth_year is not None:
            values["birth_year"] = birth_year
        gender = self.parse(row, "gender", lambda v: choose(Gender, v))
        if gender:
            values["gender"] = gender
        contact: dict[str, Any] = {}
        address = text(self.cell(row, "address"))
        written = _POSTCODE_FIRST.match(unicodedata.normalize("NFKC", address))
        if written:
            contact["postcode"] = written.group(1)
            address = address[written.end() :].strip()
        if address:
            prefecture = next((p for p in PREFECTURES if address.startswith(p)), "")
            rest = address[len(prefecture) :].strip()
            municipality = _municipality(rest)
            values["prefecture"] = PREFECTURES.get(prefecture, "")
            values["municipality"] = municipality
            if rest[len(municipality) :].strip():
                contact["street"] = rest[len(municipality) :].strip()
        if self.cell(row, "municipality") is not None:
            values["municipality"] = text(self.cell(row, "municipality"))
        self.check_contact_details(row, contact)
        if contact:
            values["contact"] = contact
        stage = self.parse(row, "stage", lambda v: choose(Stage, v))
        if stage:
            values["stage"] = stage
            values["stage_since"] = self.parse(row, "stage_since", parse_date)
        worker = self.staff_member(row, "worker")
        if worker is not None:
            values["worker"] = worker.pk
        person = Person(organisation=self.organisation, **_person_fields(values))
        try:
            check_record(person)
        except ValidationError as error:
            self.fail_model(row, error)
        if birth_date and birth_year and birth_date.year != birth_year:
            self.fail(row, "birth_year", _("The birth year does not match the birth date."))
        row.values = values
        row.external_id = "people:" + "|".join(
            (
                family,
                given,
                values["family_name_kana"],
                values["given_name_kana"],
                str(birth_date or birth_year or ""),
            )
        )
        if row.ok and text(self.cell(row, "external_id")) not in self.people_by_external_id:
            # Not imported before: an existing person with this name, reading and birth date
            # is this row's person; more than one is an error.
            person.prepare()
            same = [
                p
                for p in self.people_by_reading.get(
                    person.family_name_kana + person.given_name_kana, []
                )
                if p.family_name == family
                and p.given_name == given
                and (birth_date is None or p.birth_date in (None, birth_date))
            ]
            if len(same) > 1:
                self.fail(
                    row,
                    "name",
                    _(
                        "This matches %(count)s people already recorded: add "
                        "an ID column to say which."
                    )
                    % {"count": len(same)},
                )
            elif same:
                row.target = same[0]

    def check_contact_details(self, row: Checked, contact: dict[str, Any]) -> None:
        """The postcode, street, phone and e-mail of a person's row, checked as the contact
        details service will check them when the row is applied."""
        if text(self.cell(row, "postcode")):
            contact["postcode"] = text(self.cell(row, "postcode"))
        if contact.get("postcode") and postcodes.lookup(contact["postcode"]) is None:
            key = "postcode" if "postcode" in self.columns else "address"
            self.fail(row, key, _("Japan Post knows no such postcode."))
        if text(self.cell(row, "email")):
            contact["email"] = text(self.cell(row, "email"))
        if text(self.cell(row, "phone")):
            contact["phones"] = [{"label": "", "number": text(self.cell(row, "phone"))}]
            try:
                check_record(Phone(organisation=self.organisation, **contact["phones"][0]))
            except ValidationError as error:
                for message in error.messages:
                    self.fail(row, "phone", message)
        details = {k: v for k, v in contact.items() if k in ("street", "email")}
        if details:
            try:
                check_record(
                    ContactDetails(organisation=self.organisation, **details), only=details
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    key = {"street": "address"}.get(name, name)
                    for message in messages:
                        self.fail(row, key, message)

    # -- contacts ------------------------------------------------------------------------

    def check_contacts(self, row: Checked) -> None:
        person = self.find_person(row)
        day = self.parse(row, "date", parse_date)
        if day is None and not any(e["header"] == self.column_name("date")[1] for e in row.errors):
            self.fail(row, "date", _("The date is missing."))
        moment = self.parse(row, "time", parse_time) or NOON
        channel = self.parse(row, "channel", lambda v: choose(Contact.Channel, v))
        if channel is None and self.cell(row, "channel") is None:
            self.fail(row, "channel", _("Say how the contact was made (e.g. 電話, 訪問, 手紙)."))
        reached, relationship = self.parse(row, "reached", _reached) or (Contact.Reached.NOBODY, "")
        minutes = self.parse(row, "minutes", parse_minutes) or 0
        outcome = self.parse(row, "outcome", lambda v: choose(Contact.Outcome, v))
        staff = self.staff_member(row, "staff")
        member = None
        if person is not None and reached == Contact.Reached.FAMILY:
            member = self.family_member(row, person, relationship)
        values = {
            "day": day,
            "time": moment,
            "channel": channel,
            "reached": reached,
            "minutes": minutes,
            "note": text(self.cell(row, "note")),
            "outcome": outcome or _outcome(channel, reached),
            "staff": staff.pk if staff else None,
            "family_member": member.pk if member else None,
        }
        row.values = values
        row.person = person
        if person is not None and day is not None and channel is not None:
            # The contact's own limits, on its values: the record itself is built once, when
            # it is written. A file repeats its values, and each distinct one is checked once.
            problems = self.contact_limits.problems(self.contact_fields(values))
            if problems:
                self.fail_model(row, ValidationError(problems))
        row.external_id = f"contacts:{person.code if person else ''}|{day}|{moment}|{channel}"

    def family_member(self, row: Checked, person: Person, relationship: str) -> Any:
        members = self.members.get(person.household_id or 0, [])
        name = text(self.cell(row, "family_member")).replace(" ", "")
        if not members and not name:
            return None  # nobody of the family is recorded yet: the contact names no one
        if name:
            found = [m for m in members if m.name.replace(" ", "").replace("\u3000", "") == name]
        elif relationship:
            found = [m for m in members if m.relationship == relationship]
        else:
            found = members if len(members) == 1 else []
        if len(found) != 1:
            key = "family_member" if name else "reached"
            self.fail(
                row,
                key,
                _(
                    "Say which family member was reached (their name, or 母, 父 "
                    "… when there is one)."
                ),
            )
            return None
        return found[0]

    def contact_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        zone = self.organisation.zone
        return {
            "occurred_at": dt.datetime.combine(values["day"], values["time"], tzinfo=zone),
            "channel": values["channel"],
            "reached": values["reached"],
            "outcome": values["outcome"],
            "duration_minutes": values["minutes"],
            "note": values["note"],
            "staff_id": values["staff"],
            "family_member_id": values["family_member"],
        }

    # -- family --------------------------------------------------------------------------

    def check_family(self, row: Checked) -> None:
        person = self.find_person(row, name_key="person_name", reading_key="person_reading")
        name = text(self.cell(row, "member_name"))
        if not name:
            self.fail(row, "member_name", _("The family member's name is missing."))
        relationship = self.parse(
            row, "relationship", lambda v: choose(FamilyMember.Relationship, v)
        )
        if relationship is None and self.cell(row, "relationship") is None:
            self.fail(row, "relationship", _("The relationship (続柄) is missing."))
        health = self.parse(row, "health", lambda v: choose(FamilyMember.Health, v))
        since = self.parse(row, "health_since", parse_date)
        if health and health != FamilyMember.Health.WELL and since is None:
            self.fail(
                row,
                "health_since",
                _(
                    "Give the date of this health status (e.g. the day "
                    "of death): without it the change would count as new today."
                ),
            )
        values = {
            "name": name,
            "name_kana": normalise_kana(text(self.cell(row, "member_reading"))),
            "relationship": relationship or "",
            "birth_year": self.parse(row, "member_birth_year", parse_year),
            "health": health or FamilyMember.Health.WELL,
            "health_changed_on": since,
            "income_source": self.parse(row, "income", lambda v: choose(FamilyMember.Income, v))
            or FamilyMember.Income.UNKNOWN,
            "phone": text(self.cell(row, "phone")),
        }
        try:
            check_record(FamilyMember(organisation=self.organisation, **values))
        except ValidationError as error:
            self.fail_model(row, error)
        row.values = {**values, "household": text(self.cell(row, "household"))}
        row.person = person
        row.external_id = f"family:{person.code if person else ''}|{name}|{relationship}"

    # -- consents ------------------------------------------------------------------------

    def check_consents(self, row: Checked) -> None:
        person = self.find_person(row)
        purpose = self.parse(row, "purpose", lambda v: choose(Consent.Purpose, v))
        if purpose is None and self.cell(row, "purpose") is None:
            self.fail(row, "purpose", _("The purpose of the consent is missing."))
        given_on = self.parse(row, "given_on", parse_date)
        if given_on is None and self.cell(row, "given_on") is None:
            self.fail(row, "given_on", _("The date the consent was given is missing."))
        by = text(self.cell(row, "given_by")).replace(" ", "")
        proxy = None
        if by and by != "本人" and person is not None:
            members = self.members.get(person.household_id or 0, [])
            found = [m for m in members if m.name.replace(" ", "").replace("\u3000", "") == by]
            if len(found) != 1:
                self.fail(row, "given_by", _("Not a member of this person's household."))
            else:
                proxy = found[0]
        values = {
            "purpose": purpose,
            "given_on": given_on,
            "withdrawn_on": self.parse(row, "withdrawn_on", parse_date),
            "note": text(self.cell(row, "note")),
            "proxy": proxy.pk if proxy else None,
        }
        if given_on is not None:
            try:
                check_record(
                    Consent(
                        organisation=self.organisation,
                        given_on=given_on,
                        note=values["note"],
                        purpose=purpose or "contact",
                    )
                )
            except ValidationError as error:
                self.fail_model(row, error)
        row.values = values
        row.person = person
        row.external_id = f"consents:{person.code if person else ''}|{purpose}|{given_on}"

    # -- writing -------------------------------------------------------------------------

    def apply(
        self, rows: list[Checked], *, by: Any, only_valid: bool, progress: Progress | None = None
    ) -> Summary:
        """Write the rows in one transaction. With errors and not `only_valid`, nothing."""
        summary = Summary(rows=len(rows))
        rejected = [r for r in rows if not r.ok]
        summary.rejected = len(rejected)
        summary.errors = [{"row": r.number, **e} for r in rejected for e in r.errors]
        if rejected and not only_valid:
            return summary
        todo = [r for r in rows if r.ok and r.action != "unchanged"]
        summary.unchanged = sum(1 for r in rows if r.ok and r.action == "unchanged")
        done = 0
        with transaction.atomic():
            writer = getattr(self, f"apply_{self.kind}")
            for count in writer(todo, by):
                done += count
                if progress:
                    progress(done, len(todo))
            records = []
            for row in todo:
                if row.action == "create":
                    summary.created += 1
                else:
                    summary.updated += 1
                records.append(row)
            # Only ids met before have a row to replace; a first import has none.
            known = [r.external_id for r in records if r.external_id in self.imported]
            for start in range(0, len(known), 2000):
                ImportedRow.objects.filter(
                    organisation=self.organisation,
                    kind=self.kind,
                    external_id__in=known[start : start + 2000],
                ).delete()
            insert(
                ImportedRow,
                [
                    ImportedRow(
                        organisation_id=self.organisation.pk,
                        kind=self.kind,
                        external_id=r.external_id,
                        target_code=r.target.code,
                        digest=r.digest,
                    )
                    for r in records
                ],
            )
        return summary

    def apply_people(self, rows: list[Checked], by: Any):  # type: ignore[no-untyped-def]
        staff = {u.pk: u for u in self.staff.values()}
        new = [row for row in rows if row.target is None]
        created = {id(row) for row in new}
        for start in range(0, len(new), PEOPLE_PER_WRITE):
            batch = new[start : start + PEOPLE_PER_WRITE]
            made = create_people(
                by=by,
                organisation=self.organisation,
                people=[
                    (_person_fields(row.values), staff.get(row.values.get("worker")))
                    for row in batch
                ],
            )
            for row, person in zip(batch, made, strict=True):
                row.target = person
                self.people[person.code] = person
        for row in rows:
            values = dict(row.values)
            stage = values.pop("stage", None)
            since = values.pop("stage_since", None)
            contact = values.pop("contact", None)
            if id(row) not in created:
                change_person(row.target, by=by, **_person_fields(values))
            if contact:
                save_contact_details(row.target, by=by, **contact)
            if stage:
                current = current_stage(row.target)
                if current is None or current.stage != stage:
                    change_stage(
                        row.target, stage=stage, by=by, on=since or self.organisation.today()
                    )
            yield 1

    def apply_contacts(self, rows: list[Checked], by: Any):  # type: ignore[no-untyped-def]
        new: dict[Any, list[Checked]] = defaultdict(list)
        for row in rows:
            if row.action == "create":
                new[row.person.pk].append(row)
            else:
                fields = self.contact_fields(row.values)
                fields["staff"] = _user(fields.pop("staff_id"), row.target.staff)
                member = fields.pop("family_member_id")
                fields["family_member"] = (
                    FamilyMember.objects.get(organisation=self.organisation, pk=member)
                    if member
                    else None
                )
                edit_contact(row.target, by=by, **fields)
                yield 1
        # The rows were checked against the contact's limits already (`check_contacts`):
        # the service checks the rules between fields, and writes a few hundred people at once.
        groups = list(new.values())
        for start in range(0, len(groups), PEOPLE_PER_WRITE):
            batch = groups[start : start + PEOPLE_PER_WRITE]
            made = record_histories(
                [(g[0].person, [self.contact_fields(r.values) for r in g]) for g in batch],
                by=by,
                limits_checked=True,
            )
            for group, contacts in zip(batch, made, strict=True):
                for row, contact in zip(group, contacts, strict=True):
                    row.target = contact
            yield sum(len(g) for g in batch)

    def apply_family(self, rows: list[Checked], by: Any):  # type: ignore[no-untyped-def]
        for row in rows:
            values = dict(row.values)
            household_name = values.pop("household")
            if row.target is not None:
                change_family_member(row.target, by=by, **values)
            else:
                person = row.person
                household = person.household
                if household is None:
                    household = create_household_for(
                        person,
                        by=by,
                        name=household_name or f"{person.family_name}家",
                        name_kana=person.family_name_kana,
                    )
                row.target = add_family_member(household, by=by, **values)
            yield 1

    def apply_consents(self, rows: list[Checked], by: Any):  # type: ignore[no-untyped-def]
        for row in rows:
            values = dict(row.values)
            proxy = values.pop("proxy")
            values["proxy"] = FamilyMember.objects.get(pk=proxy) if proxy else None
            values["given_by_person"] = proxy is None
            if row.target is not None:
                save_record(
                    row.target,
                    "people.consent.changed",
                    by=by,
                    organisation=self.organisation,
                    person=row.person,
                    **values,
                )
            else:
                row.target = record_consent(row.person, by=by, **values)
            yield 1


def _user(user_id: int | None, current: Any) -> Any:
    if user_id is None:
        return current
    from ibasho.accounts.models import User

    return User.objects.get(pk=user_id)


def _person_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v for k, v in values.items() if k not in ("stage", "stage_since", "worker", "contact")
    }


def _municipality(rest: str) -> str:
    """The municipality at the start of an address after the prefecture: up to the first
    市, 区, 町 or 村 (a ward of a designated city keeps its city: 横浜市)."""
    for index, char in enumerate(rest):
        if char in "市区町村" and index > 0:
            return rest[: index + 1]
    return ""


def _reached(value: Any) -> tuple[str, str]:
    """Who was reached; a relationship word (母, 父 …) means that family member."""
    try:
        return choose(Contact.Reached, value), ""
    except ValueError:
        relationship = choose(FamilyMember.Relationship, value)
        return Contact.Reached.FAMILY, relationship


def _outcome(channel: str | None, reached: str) -> str:
    """What a centre's log means when it records no outcome: someone reached and the usual
    way of answering on that channel; nobody reached, a letter left or no response."""
    if reached == Contact.Reached.FAMILY:
        return Contact.Outcome.FAMILY_ONLY
    if reached == Contact.Reached.NOBODY:
        if channel in (Contact.Channel.LETTER, Contact.Channel.POSTCARD):
            return Contact.Outcome.LETTER_LEFT
        return Contact.Outcome.NO_RESPONSE
    usual: dict[str, str] = {
        Contact.Channel.PHONE: Contact.Outcome.SPOKE_BY_PHONE,
        Contact.Channel.DOOR_VISIT: Contact.Outcome.SPOKE_THROUGH_DOOR,
        Contact.Channel.LETTER: Contact.Outcome.WRITTEN_REPLY,
        Contact.Channel.POSTCARD: Contact.Outcome.WRITTEN_REPLY,
        Contact.Channel.MESSAGE: Contact.Outcome.MESSAGE_EXCHANGE,
        Contact.Channel.EMAIL: Contact.Outcome.MESSAGE_EXCHANGE,
        Contact.Channel.GROUP_SESSION: Contact.Outcome.ATTENDED,
    }
    return usual.get(channel or "", Contact.Outcome.FACE_TO_FACE)
