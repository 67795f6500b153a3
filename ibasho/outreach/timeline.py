"""Outreach's part of a person's timeline: contacts with their notes and next steps, stage
moves and quiet periods."""

from collections.abc import Iterator
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.lib.timeline import TimelineEntry
from ibasho.lib.urls import link_by_code
from ibasho.outreach.models import Contact, QuietPeriod, StageChange

KINDS = {
    "contact": gettext_lazy("Contacts"),
    "stage": gettext_lazy("Stage moves"),
    "quiet": gettext_lazy("Quiet periods"),
}


def entries(membership: Any, person: Any) -> Iterator[TimelineEntry]:
    zone = membership.organisation.zone
    contact_url = link_by_code("outreach:contact_detail")
    contacts = (
        Contact.objects.visible_to(membership)
        .filter(person=person)
        .select_related("staff", "family_member")
    )
    for contact in contacts:
        local = contact.occurred_at.astimezone(zone)
        whom = contact.get_reached_display()
        if contact.family_member_id:
            whom = f"{whom}（{contact.family_member.name}）"  # type: ignore[union-attr]
        minutes = _("%(n)d min") % {"n": contact.duration_minutes or 0}
        yield TimelineEntry(
            on=local.date(),
            at=local.time().replace(second=0, microsecond=0),
            kind="contact",
            title=" · ".join(
                (contact.get_channel_display(), whom, contact.get_outcome_display(), minutes)
            ),
            text=contact.note,
            next_step=contact.next_step,
            by=str(contact.staff or ""),
            url=contact_url(contact.code),
        )
    stages = StageChange.objects.visible_to(membership).filter(person=person)
    for change in stages.select_related("changed_by"):
        yield TimelineEntry(
            on=change.changed_on,
            at=None,
            kind="stage",
            title=_("Stage: %(stage)s") % {"stage": change.get_stage_display()},
            text=change.note,
            by=str(change.changed_by or ""),
        )
    quiet = QuietPeriod.objects.visible_to(membership).filter(plan__case__person=person)
    for period in quiet.select_related("recorded_by"):
        yield TimelineEntry(
            on=period.starts_on,
            at=None,
            kind="quiet",
            title=_("Quiet period until %(until)s (%(who)s)")
            % {"until": date_format(period.effective_until), "who": period.get_asked_by_display()},
            text=period.note,
            by=str(period.recorded_by or ""),
        )
