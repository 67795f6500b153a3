"""The check every service that touches contacts must pass: the plan state it leaves stored
is what a full replay of the person's history gives."""

from typing import Any

from django.db import transaction

from ibasho.outreach import services
from ibasho.outreach.models import OutreachPlan


def stored_state(person: Any) -> list[tuple[Any, ...]]:
    plans = OutreachPlan.objects.filter(case__person=person).order_by("pk")
    return [
        (
            plan.last_contact_on,
            plan.last_two_way_on,
            plan.next_due_on,
            sorted(plan.cadences.values_list("channel", "last_on", "unanswered", "next_due_on")),
        )
        for plan in plans
    ]


def assert_plans_equal_replay(person: Any) -> None:
    stored = stored_state(person)
    with transaction.atomic():
        for plan in OutreachPlan.objects.filter(case__person=person).select_related(
            "case__organisation", "case__person"
        ):
            services.refresh_plan(plan)
    assert stored == stored_state(person), "the stored plan state differs from a replay"
