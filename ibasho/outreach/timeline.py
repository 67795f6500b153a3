"""Outreach's part of a person's timeline: contacts with their notes and next steps, stage
moves and quiet periods."""

from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.accounts.models import User, staff_name
from ibasho.lib.prepared import Prepared, Slot
from ibasho.lib.timeline import Deferred, Item, TimelineEntry, person_rows, person_rows_by_clock
from ibasho.lib.urls import link_by_code
from ibasho.outreach.models import Contact, QuietPeriod, StageChange

SOURCE = "outreach"

KINDS = {
    "contact": gettext_lazy("Contacts"),
    "stage": gettext_lazy("Stage moves"),
    "quiet": gettext_lazy("Quiet periods"),
}


def _contact_times(contacts: Any) -> Any:
    return contacts.order_by("-occurred_at", "-pk").values_list("pk", "occurred_at", named=True)


def _stages(stages: Any) -> Any:
    return stages.select_related("changed_by").order_by("-changed_on", "-pk")


def _quiet(periods: Any) -> Any:
    return periods.select_related("recorded_by").order_by("-starts_on", "-pk")


def entries(membership: Any, person: Any, newest: int | None = None) -> Iterator[Item]:
    """Each kind newest first, the newest `newest` of each if given (see lib.timeline)."""
    zone = membership.organisation.zone
    # Contacts are read as dates only; `build` makes the entries of the page shown.
    contacts = person_rows_by_clock(
        Contact, _contact_times, membership, person, newest, "occurred_at", zone
    )
    for row in contacts:
        local = row.occurred_at.astimezone(zone)
        yield Deferred(
            on=local.date(),
            at=local.time().replace(second=0, microsecond=0),
            kind="contact",
            source=SOURCE,
            key=row.pk,
        )
    for change in person_rows(StageChange, _stages, membership, person, newest):
        yield TimelineEntry(
            on=change.changed_on,
            at=None,
            kind="stage",
            title=_("Stage: %(stage)s") % {"stage": change.get_stage_display()},
            text=change.note,
            by=str(change.changed_by or ""),
        )
    quiet = person_rows(QuietPeriod, _quiet, membership, person, newest, "plan__case__person")
    for period in quiet:
        yield TimelineEntry(
            on=period.starts_on,
            at=None,
            kind="quiet",
            title=_("Quiet period until %(until)s (%(who)s)")
            % {"until": date_format(period.effective_until), "who": period.get_asked_by_display()},
            text=period.note,
            by=str(period.recorded_by or ""),
        )


_STAFF_NAME = tuple(f"staff__{name}" for name in User.NAME_FIELDS)
# Only what an entry shows, as values: no model instances for a page of fifty.
_COLUMNS = (
    "pk", "code", "occurred_at", "channel", "reached", "outcome", "duration_minutes",
    "note", "next_step", "family_member__name", "staff_id", *_STAFF_NAME,
)  # fmt: skip


def _contacts(membership: Any, keys: list[Any]) -> Any:
    return (
        Contact.objects.visible_to(membership)
        .filter(pk__in=keys)
        .values_list(*_COLUMNS, named=True)
    )


# A page's contacts, compiled once per number of contacts shown (ibasho.lib.prepared).
PREPARED_KEYS = 100
_CONTACTS = Prepared(
    Contact,
    lambda member, n: _contacts(member, [Slot(f"key{i}", models.IntegerField()) for i in range(n)]),
    per_member=True,
)


def build(membership: Any, keys: list[Any]) -> dict[Any, TimelineEntry]:
    """The contacts' entries, with their notes and next steps, for the page shown."""
    zone = membership.organisation.zone
    contact_url = link_by_code("outreach:contact_detail")
    # Choice labels translated once per page, not three lookups per row.
    labels = {
        name: {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]
        for name in ("channel", "reached", "outcome")
        for field in (Contact._meta.get_field(name),)
    }
    minutes = _("%(n)d min")
    if len(keys) <= PREPARED_KEYS:
        values = {f"key{n}": key for n, key in enumerate(keys)}
        contacts = _CONTACTS.fetch(len(keys), membership=membership, **values)
    else:
        contacts = _contacts(membership, keys)
    found = {}
    for contact in contacts:
        local = contact.occurred_at.astimezone(zone)
        whom = labels["reached"].get(contact.reached, contact.reached)
        if contact.family_member__name is not None:
            whom = f"{whom}（{contact.family_member__name}）"
        by = staff_name(*contact[-len(_STAFF_NAME) :]) if contact.staff_id else ""
        channel = labels["channel"].get(contact.channel, contact.channel)
        outcome = labels["outcome"].get(contact.outcome, contact.outcome)
        found[contact.pk] = TimelineEntry(
            on=local.date(),
            at=local.time().replace(second=0, microsecond=0),
            kind="contact",
            title=" · ".join(
                (channel, whom, outcome, minutes % {"n": contact.duration_minutes or 0})
            ),
            text=contact.note,
            next_step=contact.next_step,
            by=by,
            url=contact_url(contact.code),
        )
    return found
