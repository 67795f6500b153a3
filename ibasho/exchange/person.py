"""Everything held on one person, for a disclosure request (APPI 開示請求) or a handover to
another service: every record reached from the person (see `tables.person_rows`) with its
fields named as the app names them, and the audit trail of who read or changed them.

The same content comes as JSON (values as stored, keys as the field names) and as a PDF for
reading (field labels and choices in the reader's language)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import User
from ibasho.audit.services import record_audit
from ibasho.exchange.tables import audit_about, person_rows
from ibasho.lib.pdf import html_to_pdf
from ibasho.people.models import Person
from ibasho.provisions.items import ITEM_GROUPS
from ibasho.provisions.models import ProvisionRecord, Via
from ibasho.provisions.services import record_provision

FORMAT = "ibasho-person"
VERSION = 1
# Internal keys: the record's code says which record it is.
HIDDEN = {"id", "organisation", "key_check"}


@dataclass
class Item:
    name: str
    label: str
    value: Any  # as JSON
    text: str  # as read


@dataclass
class Section:
    model: str
    title: str
    records: list[list[Item]] = field(default_factory=list)


@dataclass
class Disclosure:
    person: Person
    made_at: dt.datetime
    sections: list[Section]
    audit: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "organisation": self.person.organisation.name,
            "person": str(self.person.code),
            "made_at": self.made_at.isoformat(),
            "records": {
                s.model: [{i.name: i.value for i in record} for record in s.records]
                for s in self.sections
            },
            "audit_trail": self.audit,
        }


def _staff_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _item(row: models.Model, f: models.Field[Any, Any]) -> Item:
    value = getattr(row, f.name)
    label = str(f.verbose_name)
    if isinstance(f, models.ForeignKey):
        if value is None:
            return Item(f.name, label, None, "")
        if isinstance(value, User):
            return Item(f.name, label, _staff_name(value), _staff_name(value))
        code = getattr(value, "code", value.pk)
        return Item(f.name, label, str(code), str(value))
    if value is None or value == "":
        return Item(f.name, label, value, "")
    if f.choices:
        return Item(f.name, label, value, str(getattr(row, f"get_{f.name}_display")()))
    if isinstance(value, bool):
        return Item(f.name, label, value, _("Yes") if value else _("No"))
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
        return Item(f.name, label, value.isoformat(), value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, dt.date | dt.time):
        return Item(f.name, label, value.isoformat(), value.isoformat())
    if isinstance(f, models.JSONField):
        return Item(f.name, label, value, json.dumps(value, ensure_ascii=False))
    if isinstance(value, int | float | str):
        return Item(f.name, label, value, str(value))
    return Item(f.name, label, str(value), str(value))


def _plain_many_to_many(field: Any) -> bool:
    """A many-to-many without a model of its own (one with a model is a record of its own)."""
    return bool(field.remote_field.through._meta.auto_created)


def _record(row: models.Model) -> list[Item]:
    items = [_item(row, f) for f in row._meta.concrete_fields if f.name not in HIDDEN]
    many = [
        Item(m.name, str(m.verbose_name), names, ", ".join(names))
        for m in row._meta.local_many_to_many
        if _plain_many_to_many(m)
        for names in [sorted(str(r) for r in getattr(row, m.name).all())]
    ]
    return items + many


def disclosure(person: Person) -> Disclosure:
    sections = [
        Section(model._meta.label, str(model._meta.verbose_name_plural).capitalize(),
                [_record(row) for row in rows])
        for model, rows in person_rows(person).items()
    ]  # fmt: skip
    audit = [
        {
            "at": timezone.localtime(entry.at).isoformat(),
            "by": _staff_name(entry.actor) if entry.actor else "",
            "action": entry.action,
            "record_type": entry.target_type,
            "fields": entry.fields,
            "channel": entry.channel,
        }
        for entry in audit_about(person)
    ]
    return Disclosure(person, timezone.now(), sections, audit)


def export_person(person: Person, fmt: str, *, by: Any) -> bytes:
    """The person's records as `json` or `pdf`. Audited (with the format)."""
    found = disclosure(person)
    if fmt == "pdf":
        html = render_to_string("exchange/person_pdf.html", {"d": found})
        content = html_to_pdf(html)
    else:
        content = json.dumps(found.as_json(), ensure_ascii=False, indent=1).encode()
    record_audit("exchange.person_exported", by=by, target=person, person=person, fields=[fmt])
    return content


class ForWhom:
    """Whom an export is made for: the person (or their proxy) asking to see their records,
    or a third party, which is a provision and is recorded (APPI Art. 29)."""

    PERSON = "person"
    THIRD_PARTY = "third_party"


def record_third_party(person: Person, *, recipient: str, basis: str, by: Any) -> ProvisionRecord:
    """The provision record of an export made for a third party: every item group, since the
    export holds the whole record. `by` is the membership that made it."""
    return record_provision(
        organisation=person.organisation,
        person=person,
        recipient_name=recipient,
        items=ITEM_GROUPS,
        basis=basis,
        via=Via.EXPORT,
        actor=by,
    )


def file_name(person: Person, fmt: str) -> str:
    return f"ibasho-person-{person.code}-{timezone.localdate().isoformat()}.{fmt}"
