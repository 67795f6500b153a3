"""The outreach panel on the person page."""

from typing import Any

from django.db.models import Prefetch
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ibasho.accounts.http import MemberRequest
from ibasho.lib import charts
from ibasho.outreach import services, trust
from ibasho.outreach.models import (
    Closure,
    Handover,
    OutreachPlan,
)
from ibasho.people.models import Person


def person_panel(request: MemberRequest, person: Person) -> dict[str, Any] | None:
    """The outreach part of the person page: handover notes first, then trust, stage, plan
    and recent contacts. A fixed number of queries whatever the history's length."""
    membership = request.membership
    if membership is None or not membership.reads_personal_data:
        return None
    day = membership.organisation.today()
    summary = services.trust_summary(person, day)
    pending = Prefetch(
        "case__closures",
        queryset=Closure.objects.filter(status__in=Closure.UNDECIDED),
        to_attr="pending_closures",
    )
    plans = (
        OutreachPlan.objects.filter(case__person=person)
        .select_related("case")
        .prefetch_related("cadences", "quiet_periods", pending)
        .order_by("-case__opened_on")
    )
    return {
        "trust": summary,
        "progress_percent": round(summary.milestone_progress * 100),
        "chart": hours_chart(summary, f"hours-{person.code.hex[:8]}"),
        "stages": list(person.stage_changes.all()[:24]),
        "plans": [
            {
                "plan": plan,
                "quiet": services.current_quiet(plan, day),
                "pending": (plan.case.pending_closures or [None])[0],
            }
            for plan in plans
        ],
        "handovers": list(
            Handover.objects.filter(case__person=person, seen_at__isnull=True).select_related(
                "from_worker"
            )
        ),
        "recent": list(person.contacts.all()[:10]),
    }


def hours_chart(summary: trust.TrustSummary, chart_id: str) -> str:
    bars = charts.month_bars(
        [(m.year, m.month, (m.two_way_hours, m.family_hours)) for m in summary.months],
        get_language() or "ja",
    )
    series = [
        charts.BarSeries(str(_("with the person")), "#2a6f97"),
        charts.BarSeries(str(_("family support")), "#9cc9d9"),
    ]
    svg = charts.bar_chart_svg(
        bars, series, title=str(_("Hours per month")), unit=str(_("h")), chart_id=chart_id
    )
    return mark_safe(svg)  # noqa: S308 -- every text in the chart is escaped by the builder
