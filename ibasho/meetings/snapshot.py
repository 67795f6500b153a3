"""What a member shows the meeting about a person: the chosen item groups of the person's
record, copied when shared (a snapshot, read-only, for the meeting's purpose only). Later
changes to the record do not reach the meeting."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.families.models import SafetyEvent
from ibasho.outcomes.models import Administration
from ibasho.outreach.models import Contact
from ibasho.people.models import Person
from ibasho.provisions.items import ITEM_GROUPS, ItemGroup

CONTACTS_SHOWN = 20


def _row(label: Any, value: Any) -> list[str]:
    return [str(label), "" if value is None else str(value)]


def _profile(person: Person) -> list[list[str]]:
    rows = [
        _row(_("name"), person.full_name),
        _row(_("reading"), person.full_name_kana),
        _row(_("birth date"), person.birth_date or person.birth_year or ""),
        _row(_("gender"), person.get_gender_display()),
        _row(_("municipality"), f"{person.get_prefecture_display()} {person.municipality}".strip()),
        _row(_("living situation"), person.get_living_situation_display()),
        _row(_("withdrawn since"), person.withdrawal_since or ""),
        _row(_("in their own words"), person.own_words),
        _row(_("their goals"), person.goals),
        _row(_("things to avoid"), person.things_to_avoid),
    ]
    return [r for r in rows if r[1]]


def _contacts(person: Person) -> list[list[str]]:
    contacts = Contact.unscoped.filter(
        organisation_id=person.organisation_id, person=person
    ).order_by("-occurred_at")[:CONTACTS_SHOWN]
    return [
        _row(
            timezone.localtime(c.occurred_at).date(),
            " · ".join(x for x in (c.get_channel_display(), c.get_outcome_display(), c.note) if x),
        )
        for c in contacts
    ]


def _instruments(person: Person) -> list[list[str]]:
    found = Administration.unscoped.filter(
        organisation_id=person.organisation_id, person=person
    ).order_by("-administered_on")
    return [_row(a.administered_on, f"{a.instrument} {a.total}") for a in found]


def _family(person: Person) -> list[list[str]]:
    household = person.household
    if household is None:
        return []
    rows = [_row(_("household"), household.name)]
    for member in household.members.model.unscoped.filter(household=household):
        rows.append(
            _row(
                member.get_relationship_display(),
                " · ".join(
                    str(x)
                    for x in (member.name, member.birth_year, member.get_health_display())
                    if x
                ),
            )
        )
    return rows


def _safety(person: Person) -> list[list[str]]:
    events = SafetyEvent.unscoped.filter(
        organisation_id=person.organisation_id, person=person
    ).order_by("-created_at")
    return [
        _row(
            timezone.localtime(e.created_at).date(),
            " · ".join(x for x in (e.get_kind_display(), e.description) if x),
        )
        for e in events
    ]


BUILDERS = {
    ItemGroup.PROFILE: _profile,
    ItemGroup.CONTACTS: _contacts,
    ItemGroup.INSTRUMENTS: _instruments,
    ItemGroup.FAMILY: _family,
    ItemGroup.SAFETY: _safety,
}


def take(person: Person, items: list[str]) -> list[dict[str, Any]]:
    """The chosen groups, each with its title and rows of (label, value)."""
    names = dict(ItemGroup.choices)
    return [
        {"group": item, "title": str(names[item]), "rows": BUILDERS[ItemGroup(item)](person)}
        for item in ITEM_GROUPS
        if item in items
    ]
