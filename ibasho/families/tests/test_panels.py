import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from ibasho.families import panels, services
from ibasho.families.models import ContingencyPlan, CrisisContact
from ibasho.families.tests.test_board import make_household
from ibasho.lib.panels import person_panels, today_panels
from ibasho.lib.prepared import together
from ibasho.people.models import CaseAssignment, FamilyMember


def request_for(membership):
    request = RequestFactory().get("/")
    request.user = membership.user
    request.membership = membership
    return request


def today_panel(request):
    """The panel as Today shows it: its reads asked for, then its context from their rows."""
    return panels.today_panel(request, together(*panels.today_queries(request)))


@pytest.fixture
def mother(person_a):
    return person_a.household.members.get(relationship=FamilyMember.Relationship.MOTHER)


class TestToday:
    def test_nothing_to_show_hides_the_panel(self, worker_a, person_a):
        ContingencyPlan.objects.create(
            organisation=person_a.organisation,
            household=person_a.household,
            last_reviewed_on=timezone.localdate(),
        )
        assert today_panel(request_for(worker_a)) is None

    def test_a_hospitalisation_reaches_the_assigned_worker_the_same_day(
        self, worker_a, person_a, mother, org_a
    ):
        services.update_health(mother, health="hospitalised", by=worker_a.user)
        # a household assigned to nobody in particular does not crowd this worker's page
        make_household(
            org_a, "他", parents=[("mother", 1940, "hospitalised", timezone.localdate())]
        )
        context = today_panel(request_for(worker_a))
        assert [h for h, _ in context["urgent"]] == [person_a.household]
        html = render_to_string("families/_today_panel.html", {"panel": context})
        assert person_a.household.name in html and 'data-code="parent_hospitalised"' in html

    def test_a_change_older_than_top_days_is_not_urgent(self, worker_a, person_a, mother):
        services.update_health(
            mother,
            health="died",
            since=timezone.localdate() - dt.timedelta(days=31),
            by=worker_a.user,
        )
        context = today_panel(request_for(worker_a))
        assert context is None or not context["urgent"]

    def test_coordinators_see_every_unacknowledged_event(
        self, coordinator_a, worker_a, person_a, org_a
    ):
        household = make_household(org_a, "別")
        other = household.people.get()
        event = services.raise_safety_event(
            other, kind="parent_collapse", severity=3, by=worker_a.user, description="倒れた"
        )
        assert today_panel(request_for(coordinator_a))["events"] == [event]
        # the worker is not assigned to that person
        assert (
            today_panel(request_for(worker_a)) is None
            or not today_panel(request_for(worker_a))["events"]
        )
        CaseAssignment.objects.create(
            organisation=org_a, case=other.cases.get(), worker=worker_a.user
        )
        assert today_panel(request_for(worker_a))["events"] == [event]

    def test_a_plan_review_due_is_listed(self, worker_a, person_a):
        ContingencyPlan.objects.create(
            organisation=person_a.organisation,
            household=person_a.household,
            last_reviewed_on=timezone.localdate() - dt.timedelta(days=200),
        )
        assert [p.household for p in today_panel(request_for(worker_a))["reviews"]] == [
            person_a.household
        ]

    def test_outsiders_get_nothing(self, worker_b, person_a, mother, worker_a):
        services.update_health(mother, health="hospitalised", by=worker_a.user)
        services.raise_safety_event(
            person_a, kind="violence", severity=3, by=worker_a.user, description="自宅で倒れた"
        )
        assert today_panel(request_for(worker_b)) is None

    def test_it_is_registered(self):
        assert "families" in today_panels.panels


class TestPersonPanels:
    def test_safety_comes_first_with_crisis_contacts(self, worker_a, person_a, org_a):
        CrisisContact.objects.create(organisation=org_a, name="夜間相談", phone="048-000-0000")
        services.raise_safety_event(
            person_a, kind="suicide_risk", severity=3, by=worker_a.user, description="自宅で倒れた"
        )
        shown = person_panels.render_list(request_for(worker_a), person_a)
        assert shown[0]["name"] == "safety"
        html = render_to_string("families/_safety_panel.html", {"panel": shown[0]["context"]})
        assert "夜間相談" in html and "048-000-0000" in html

    def test_no_open_event_hides_the_safety_panel(self, worker_a, person_a):
        assert panels.safety_panel(request_for(worker_a), person_a) is None

    def test_outsider_sees_no_events(self, worker_b, worker_a, person_a):
        services.raise_safety_event(
            person_a, kind="violence", severity=3, by=worker_a.user, description="自宅で倒れた"
        )
        assert panels.safety_panel(request_for(worker_b), person_a) is None
