"""What of a person's record a referral shares, item group by item group, read from the
sending organisation's records (named explicitly: the reader may be the receiver, through the
referrals guard, after `sharing_allowed` said yes)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.families.models import SafetyEvent
from ibasho.outcomes.models import Administration
from ibasho.outreach.models import Contact
from ibasho.people.models import FamilyMember, Person
from ibasho.provisions.items import ItemGroup

# The person's own fields a receiver's new record is made with (through create_person).
PROFILE_FIELDS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "preferred_name",
    "birth_date",
    "birth_year",
    "gender",
    "prefecture",
    "municipality",
    "living_situation",
    "withdrawal_since",
    "earlier_episodes",
    "own_words",
    "goals",
    "things_to_avoid",
    "preferred_channels",
)


def profile_values(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in PROFILE_FIELDS}
    values["referral_source"] = Person.ReferralSource.OTHER_ORGANISATION
    return values


def profile_rows(person: Person) -> list[tuple[str, str]]:
    """(label, text) for the profile fields that hold something."""
    rows = []
    for name in PROFILE_FIELDS:
        field = Person._meta.get_field(name)
        value = getattr(person, name)
        if value in (None, "", []):
            continue
        if name == "preferred_channels":
            text = ", ".join(person.preferred_channel_labels())
        elif getattr(field, "choices", None):
            text = str(getattr(person, f"get_{name}_display")())
        else:
            text = str(value)
        rows.append((str(getattr(field, "verbose_name", name)), text))
    return rows


def _of(model: Any, person: Person) -> Any:
    return model.unscoped.filter(organisation_id=person.organisation_id, person_id=person.pk)


def history_of(person: Person, items: list[str]) -> dict[str, list[dict[str, str]]]:
    """The shared groups that are a history to read (not a record the receiver carries on):
    each entry a day and a line of text, as read now."""
    zone = person.organisation.zone
    found: dict[str, list[dict[str, str]]] = {}
    if ItemGroup.CONTACTS in items:
        found[ItemGroup.CONTACTS] = [
            {
                "on": timezone.localtime(c.occurred_at, zone).date().isoformat(),
                "text": " · ".join(
                    part
                    for part in (
                        str(c.get_channel_display()),
                        str(c.get_outcome_display()),
                        _("%(minutes)s min") % {"minutes": c.duration_minutes},
                        c.note,
                    )
                    if part
                ),
            }
            for c in _of(Contact, person).order_by("occurred_at", "id")
        ]
    if ItemGroup.INSTRUMENTS in items:
        found[ItemGroup.INSTRUMENTS] = [
            {
                "on": a.administered_on.isoformat(),
                "text": f"{a.instrument_label} {a.total} ({a.band})",
            }
            for a in _of(Administration, person).order_by("administered_on", "id")
        ]
    if ItemGroup.SAFETY in items:
        found[ItemGroup.SAFETY] = [
            {
                "on": timezone.localtime(e.created_at, zone).date().isoformat(),
                "text": " · ".join(
                    part
                    for part in (
                        str(e.get_kind_display()),
                        str(e.get_severity_display()),
                        e.description,
                    )
                    if part
                ),
            }
            for e in _of(SafetyEvent, person).order_by("created_at", "id")
        ]
    return found


def family_rows(person: Person) -> list[str]:
    if not person.household_id:
        return []
    return [
        str(member)
        for member in FamilyMember.unscoped.filter(
            organisation_id=person.organisation_id, household_id=person.household_id
        ).order_by("id")
    ]


def preview(person: Person, items: list[str]) -> dict[str, Any]:
    """What the receiver reads before answering: exactly the shared groups."""
    return {
        "profile": profile_rows(person) if ItemGroup.PROFILE in items else None,
        "family": family_rows(person) if ItemGroup.FAMILY in items else None,
        "history": history_of(person, items),
    }
