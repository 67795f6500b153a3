"""What outreach adds to the person's summary and visit card: the stage, the trust figures,
a handover to read, the latest contacts and their next steps. A fixed number of queries."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _

from ibasho.accounts.http import MemberRequest
from ibasho.lib.panels import Action, Fact
from ibasho.lib.prepared import (
    ORGANISATION,
    PERSON,
    Pending,
    Prepared,
    Slot,
    count_of,
    counted,
    together,
)
from ibasho.outreach import trust
from ibasho.outreach.models import TWO_WAY_CONTACTS, Contact, Handover, StageChange
from ibasho.people.models import Person

# Read on every view of the summary: compiled once (ibasho.lib.prepared).
_STAGE = Prepared(
    StageChange,
    lambda: StageChange.objects.filter(organisation_id=ORGANISATION, person_id=PERSON)[:1],
)
_UNSEEN_HANDOVERS = Prepared(
    Handover,
    lambda: counted(
        Handover.objects.filter(
            organisation_id=ORGANISATION, case__person_id=PERSON, seen_at__isnull=True
        )
    ),
)


def _two_way() -> Any:
    return Contact.objects.filter(TWO_WAY_CONTACTS, organisation_id=ORGANISATION, person_id=PERSON)


# The person's two-way minutes in all (one row, none when there are no such contacts).
_TWO_WAY_MINUTES = Prepared(
    Contact,
    lambda: (
        _two_way()
        .order_by()
        .values("person_id")
        .annotate(minutes=Sum("duration_minutes"))
        .values_list("minutes", flat=True)
    ),
)
_TWO_WAY_BETWEEN = Prepared(
    Contact,
    lambda: (
        _two_way()
        .filter(
            occurred_at__gte=Slot("start", models.DateTimeField()),
            occurred_at__lt=Slot("end", models.DateTimeField()),
        )
        .order_by()
        .values_list("occurred_at", flat=True)
    ),
)


def person_facts(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    membership = request.membership
    if membership is None or not membership.reads_personal_data:
        return None
    organisation = membership.organisation
    today, zone = organisation.today(), organisation.zone
    about = {"organisation": person.organisation_id, "person": person.pk}
    stages, *trust_rows, unseen = together(
        _STAGE.later(**about),
        *trust_queries(person, today, zone),
        _UNSEEN_HANDOVERS.later(**about),
    )
    stage = stages[0] if stages else None
    hours, consistent = trust_figures_of(trust_rows, today, zone)
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
    if count_of(unseen):
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


def trust_queries(person: Person, today: dt.date, zone: ZoneInfo) -> list[Pending]:
    """The reads of the two figures the summary shows, as `trust_summary` gives them, read more
    cheaply: two-way hours (one sum over the person's two-way contacts) and the weeks of the
    last twelve with one (the few two-way contacts of those weeks, placed in Python by
    `trust_figures_of`)."""
    about = {"organisation": person.organisation_id, "person": person.pk}
    starts = trust.week_starts(today, zone)
    return [
        _TWO_WAY_MINUTES.later(**about),
        _TWO_WAY_BETWEEN.later(**about, start=starts[-2], end=starts[-1]),
    ]


def trust_figures_of(found: list[list[Any]], today: dt.date, zone: ZoneInfo) -> tuple[float, int]:
    """Two-way hours and the weeks with a two-way contact, from the rows of `trust_queries`."""
    summed, moments = found
    minutes = (summed[0] if summed else None) or 0
    weeks = set()
    for moment in moments:
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
