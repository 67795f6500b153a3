"""What outreach adds to the person's summary and visit card: the stage, the trust figures,
a handover to read, the latest contacts and their next steps. A fixed number of queries."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _

from ibasho.accounts.http import MemberRequest
from ibasho.lib.panels import Action, Fact
from ibasho.outreach import trust
from ibasho.outreach.models import TWO_WAY_CONTACTS, Contact, Handover
from ibasho.people.models import Person


def person_facts(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    membership = request.membership
    if membership is None or not membership.reads_personal_data:
        return None
    stage = person.stage_changes.first()
    organisation = membership.organisation
    hours, consistent = trust_figures(person, organisation.today(), organisation.zone)
    code = person.code
    facts = [
        Fact(
            _("Stage"),
            stage.get_stage_display() if stage else _("No stage recorded yet."),
            reverse("people:person_records", args=[code]) + "#stage",
            terms=(("stages", _("Stage")),),
        ),
        Fact(
            _("Trust"),
            _("%(hours)s h with the person · two-way in %(n)s of %(m)s weeks")
            % {
                "hours": floatformat(hours, "-1"),
                "n": consistent,
                "m": trust.CONSISTENCY_WEEKS,
            },
            reverse("people:person_records", args=[code]) + "#trust",
            terms=(
                ("trust_hours", _("Two-way hours with the person")),
                ("consistency", _("Consistency")),
            ),
        ),
    ]
    unseen = Handover.objects.filter(case__person=person, seen_at__isnull=True).count()
    if unseen:
        facts.insert(
            0,
            Fact(
                _("Handover"),
                _("A handover note to read first"),
                reverse("people:person_records", args=[code]),
                warn=True,
            ),
        )
    actions = [
        Action(_("Record contact"), reverse("outreach:contact_create", args=[code]), True),
        Action(_("Book a visit or a call"), reverse("outreach:booking_create", args=[code])),
    ]
    return {"facts": facts, "actions": actions}


def trust_figures(person: Person, today: dt.date, zone: ZoneInfo) -> tuple[float, int]:
    """The two figures the summary shows, as `trust_summary` gives them, read more cheaply:
    two-way hours (one sum over the person's two-way contacts) and the weeks of the last
    twelve with one (the few two-way contacts of those weeks, placed in Python)."""
    contacts = Contact.objects.filter(
        TWO_WAY_CONTACTS, organisation_id=person.organisation_id, person_id=person.pk
    )
    minutes = contacts.aggregate(minutes=Sum("duration_minutes", default=0))["minutes"]
    starts = trust.week_starts(today, zone)
    recent = contacts.filter(occurred_at__gte=starts[-2], occurred_at__lt=starts[-1])
    weeks = set()
    for moment in recent.values_list("occurred_at", flat=True):
        days_ago = (today - moment.astimezone(zone).date()).days
        if 0 <= days_ago < trust.CONSISTENCY_WEEKS * 7:
            weeks.add(days_ago // 7)
    return round(minutes / 60, 2), len(weeks)


def visit_facts(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    membership = request.membership
    if membership is None or not membership.reads_personal_data:
        return None
    contacts = list(person.contacts.all()[:3])
    steps = [c.next_step for c in contacts if c.next_step]
    facts = [Fact(_("Next step"), steps[0])] if steps else []
    return {"facts": facts, "contacts": contacts}
