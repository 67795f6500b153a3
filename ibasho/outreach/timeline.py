"""Outreach's part of a person's timeline: contacts with their notes and next steps, stage
moves and quiet periods."""

from collections.abc import Iterator
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.lib.timeline import Deferred, Item, TimelineEntry, newest_by_clock, newest_rows
from ibasho.lib.urls import link_by_code
from ibasho.outreach.models import Contact, QuietPeriod, StageChange

SOURCE = "outreach"

KINDS = {
    "contact": gettext_lazy("Contacts"),
    "stage": gettext_lazy("Stage moves"),
    "quiet": gettext_lazy("Quiet periods"),
}


def entries(membership: Any, person: Any, newest: int | None = None) -> Iterator[Item]:
    """Each kind newest first, the newest `newest` of each if given (see lib.timeline)."""
    zone = membership.organisation.zone
    # Contacts are read as dates only; `build` makes the entries of the page shown.
    contacts = (
        Contact.objects.visible_to(membership)
        .filter(person=person)
        .order_by("-occurred_at", "-pk")
        .values_list("pk", "occurred_at", named=True)
    )
    for row in newest_by_clock(contacts, newest, "occurred_at", zone):
        local = row.occurred_at.astimezone(zone)
        yield Deferred(
            on=local.date(),
            at=local.time().replace(second=0, microsecond=0),
            kind="contact",
            source=SOURCE,
            key=row.pk,
        )
    stages = StageChange.objects.visible_to(membership).filter(person=person)
    stages = stages.select_related("changed_by").order_by("-changed_on", "-pk")
    for change in newest_rows(stages, newest):
        yield TimelineEntry(
            on=change.changed_on,
            at=None,
            kind="stage",
            title=_("Stage: %(stage)s") % {"stage": change.get_stage_display()},
            text=change.note,
            by=str(change.changed_by or ""),
        )
    quiet = QuietPeriod.objects.visible_to(membership).filter(plan__case__person=person)
    quiet = quiet.select_related("recorded_by").order_by("-starts_on", "-pk")
    for period in newest_rows(quiet, newest):
        yield TimelineEntry(
            on=period.starts_on,
            at=None,
            kind="quiet",
            title=_("Quiet period until %(until)s (%(who)s)")
            % {"until": date_format(period.effective_until), "who": period.get_asked_by_display()},
            text=period.note,
            by=str(period.recorded_by or ""),
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
    contacts = (
        Contact.objects.visible_to(membership)
        .filter(pk__in=keys)
        .select_related("staff", "family_member")
    )
    found = {}
    for contact in contacts:
        local = contact.occurred_at.astimezone(zone)
        whom = labels["reached"].get(contact.reached, contact.reached)
        if contact.family_member_id:
            whom = f"{whom}（{contact.family_member.name}）"  # type: ignore[union-attr]
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
            by=str(contact.staff or ""),
            url=contact_url(contact.code),
        )
    return found
