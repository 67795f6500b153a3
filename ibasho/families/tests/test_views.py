import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.families import services
from ibasho.families.models import (
    BehaviourChange,
    ContingencyPlan,
    CrisisContact,
    HouseholdCircumstances,
    RiskSettings,
    SafetyEvent,
)
from ibasho.families.tests.test_board import make_household
from ibasho.outreach.models import Contact
from ibasho.people.models import FamilyMember


@pytest.fixture
def mother(person_a):
    return person_a.household.members.get(relationship=FamilyMember.Relationship.MOTHER)


class TestRiskBoard:
    def test_a_just_hospitalised_parent_is_on_top(
        self, client_for, coordinator_a, person_a, org_a, django_assert_num_queries
    ):
        today = timezone.localdate()
        for n in range(4):
            make_household(org_a, f"世帯{n}", parents=[("mother", 1935 + n, "ill", None)])
        top = make_household(org_a, "入院", parents=[("father", 1950, "hospitalised", today)])
        client = client_for(coordinator_a)
        client.get(reverse("families:risk_board"))
        # 10: the board's nine and the unread notifications badge
        with django_assert_num_queries(10):
            response = client.get(reverse("families:risk_board"))
        rows = response.context["rows"]
        assert rows[0][0] == top and len(rows) == 6
        assert response.content.decode().index("入院") < response.content.decode().index("山田家")

    def test_it_lists_unacknowledged_safety_events(
        self, client_for, coordinator_a, person_a, worker_a
    ):
        services.raise_safety_event(person_a, kind="self_neglect", severity=2, by=worker_a.user)
        response = client_for(coordinator_a).get(reverse("families:risk_board"))
        assert len(response.context["events"]) == 1

    @pytest.mark.parametrize("who", ["worker_a", "analyst_a", "worker_b"])
    def test_others_get_404(self, request, client_for, who):
        membership = request.getfixturevalue(who)
        assert client_for(membership).get(reverse("families:risk_board")).status_code == 404


class TestHouseholdPage:
    def test_it_shows_risk_plan_and_consultation_form(self, client_for, worker_a, person_a, mother):
        services.update_health(mother, health="hospitalised", by=worker_a.user)
        response = client_for(worker_a).get(
            reverse("people:household_detail", args=[person_a.household.code])
        )
        body = response.content.decode()
        assert 'id="household-risk"' in body and 'data-code="parent_hospitalised"' in body
        assert 'id="contingency-plan"' in body
        assert reverse("families:consultation_create", args=[person_a.household.code]) in body

    def test_consultation_from_the_household_page(self, client_for, worker_a, person_a, mother):
        url = reverse("families:consultation_create", args=[person_a.household.code])
        when = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "family_member": mother.pk,
            "person": person_a.pk,
            "occurred_at": when,
            "duration_minutes": 45,
            "direction": "incoming",
            "note": "父の入院の相談",
        }
        assert client_for(worker_a).post(url, data).status_code == 302
        contact = Contact.objects.get()
        assert (contact.channel, contact.reached, contact.duration_minutes) == (
            "family_consultation",
            "family",
            45,
        )

    def test_consultation_with_bad_input_saves_nothing(
        self, client_for, worker_a, person_a, mother
    ):
        url = reverse("families:consultation_create", args=[person_a.household.code])
        data = {
            "family_member": mother.pk,
            "person": person_a.pk,
            "occurred_at": "2099-01-01T10:00",
            "duration_minutes": 0,
            "direction": "incoming",
        }
        response = client_for(worker_a).post(url, data)
        assert response.status_code == 422
        assert set(response.context["form"].errors) == {"occurred_at", "duration_minutes"}
        assert not Contact.objects.exists()

    def test_outsider_cannot_consult(self, client_for, worker_b, person_a, mother):
        url = reverse("families:consultation_create", args=[person_a.household.code])
        data = {
            "family_member": mother.pk,
            "person": person_a.pk,
            "occurred_at": "2026-01-01T10:00",
            "duration_minutes": 30,
            "direction": "incoming",
        }
        assert client_for(worker_b).post(url, data).status_code == 404
        assert not Contact.objects.exists()


class TestHealthView:
    def test_worker_records_a_hospitalisation(self, client_for, worker_a, mother):
        url = reverse("families:health_update", args=[mother.code])
        today = timezone.localdate()
        data = {"health": "hospitalised", "since": today.isoformat()}
        assert client_for(worker_a).post(url, data).status_code == 302
        mother.refresh_from_db()
        assert (mother.health, mother.health_changed_on) == ("hospitalised", timezone.localdate())

    def test_outsider_gets_404(self, client_for, worker_b, mother):
        url = reverse("families:health_update", args=[mother.code])
        assert client_for(worker_b).post(url, {"health": "died"}).status_code == 404
        mother.refresh_from_db()
        assert mother.health == "well"


class TestPlanAndCircumstances:
    plan = {
        "who_to_notify": "叔父 090-0000-0000",
        "money_and_housing": "持ち家",
        "utilities_and_accounts": "",
        "public_assistance": "knows_how",
        "abilities_and_wishes": "自分で買い物はできる",
        "last_reviewed_on": "2026-01-10",
        "review_every_months": 6,
    }

    def test_worker_writes_and_reviews_the_plan(self, client_for, worker_a, person_a):
        url = reverse("families:plan_edit", args=[person_a.household.code])
        client = client_for(worker_a)
        assert client.post(url, self.plan).status_code == 302
        plan = ContingencyPlan.objects.get()
        assert plan.who_to_notify == "叔父 090-0000-0000" and plan.household == person_a.household
        assert (
            client.post(
                url, {**self.plan, "last_reviewed_on": str(timezone.localdate())}
            ).status_code
            == 302
        )
        assert ContingencyPlan.objects.count() == 1
        assert AuditEntry.objects.filter(action="families.contingency_plan.changed").count() == 2

    def test_a_future_review_date_is_refused(self, client_for, worker_a, person_a):
        url = reverse("families:plan_edit", args=[person_a.household.code])
        response = client_for(worker_a).post(url, {**self.plan, "last_reviewed_on": "2099-01-01"})
        assert "last_reviewed_on" in response.context["form"].errors
        assert not ContingencyPlan.objects.exists()

    def test_circumstances(self, client_for, worker_a, person_a):
        url = reverse("families:circumstances_edit", args=[person_a.household.code])
        assert client_for(worker_a).post(url, {"income_stopping": "on"}).status_code == 302
        assert HouseholdCircumstances.objects.get().income_stopping

    def test_outsider_gets_404(self, client_for, worker_b, person_a):
        client = client_for(worker_b)
        assert (
            client.post(
                reverse("families:plan_edit", args=[person_a.household.code]), self.plan
            ).status_code
            == 404
        )
        url = reverse("families:circumstances_edit", args=[person_a.household.code])
        assert client.post(url, {"violence": "on"}).status_code == 404
        assert not ContingencyPlan.objects.exists() and not HouseholdCircumstances.objects.exists()


class TestBehaviourChange:
    def test_worker_records_a_step(self, client_for, worker_a, person_a, mother):
        url = reverse("families:behaviour_create", args=[person_a.code])
        data = {"kind": "first_contact", "occurred_on": "2026-01-05", "reported_by": mother.pk}
        assert client_for(worker_a).post(url, data).status_code == 302
        change = BehaviourChange.objects.get()
        assert (change.person, change.reported_by, change.recorded_by) == (
            person_a,
            mother,
            worker_a.user,
        )

    def test_outsider_gets_404(self, client_for, worker_b, person_a):
        url = reverse("families:behaviour_create", args=[person_a.code])
        assert (
            client_for(worker_b)
            .post(url, {"kind": "used_service", "occurred_on": "2026-01-05"})
            .status_code
            == 404
        )
        assert not BehaviourChange.objects.exists()


class TestSafetyViews:
    def test_raise_then_coordinator_acknowledges_then_worker_resolves(
        self, client_for, worker_a, coordinator_a, person_a
    ):
        worker, coordinator = client_for(worker_a), client_for(coordinator_a)
        url = reverse("families:safety_create", args=[person_a.code])
        assert (
            worker.post(
                url, {"kind": "violence", "severity": 2, "description": "物を投げた"}
            ).status_code
            == 302
        )
        event = SafetyEvent.objects.get()
        page = worker.get(reverse("people:person_records", args=[person_a.code])).content.decode()
        assert 'id="safety-panel"' in page
        # a worker cannot acknowledge; the coordinator must
        assert (
            worker.post(reverse("families:safety_acknowledge", args=[event.code])).status_code
            == 404
        )
        resolve = reverse("families:safety_resolve", args=[event.code])
        response = worker.post(resolve, {"resolution": "落ち着いた"})
        assert response.status_code == 200 and "acknowledge" in response.content.decode()
        assert (
            coordinator.post(reverse("families:safety_acknowledge", args=[event.code])).status_code
            == 302
        )
        assert worker.post(resolve, {"resolution": "落ち着いた"}).status_code == 302
        event.refresh_from_db()
        assert event.is_resolved
        page = worker.get(reverse("people:person_records", args=[person_a.code])).content.decode()
        assert 'id="safety-panel"' not in page

    def test_outsider_gets_404(self, client_for, worker_b, org_b, person_a, worker_a):
        from conftest import make_member

        event = services.raise_safety_event(person_a, kind="violence", severity=1, by=worker_a.user)
        coordinator_b = make_member(org_b, "coordinator_b", "coordinator")
        assert (
            client_for(worker_b)
            .post(
                reverse("families:safety_create", args=[person_a.code]),
                {"kind": "violence", "severity": 1},
            )
            .status_code
            == 404
        )
        assert (
            client_for(coordinator_b)
            .post(reverse("families:safety_acknowledge", args=[event.code]))
            .status_code
            == 404
        )
        assert (
            client_for(worker_b)
            .post(reverse("families:safety_resolve", args=[event.code]), {"resolution": "x"})
            .status_code
            == 404
        )
        event.refresh_from_db()
        assert SafetyEvent.objects.count() == 1 and not event.is_acknowledged


class TestSettings:
    def test_admin_sets_thresholds_and_crisis_contacts(self, client_for, admin_a):
        data = {
            "parent_age_watch": 70,
            "parent_age_high": 78,
            "person_age": 40,
            "withdrawn_years": 5,
            "top_days": 14,
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 0,
            "form-0-name": "精神保健福祉センター",
            "form-0-phone": "048-000-0000",
            "form-0-hours": "平日 9–17時",
            "form-0-order": 1,
        }
        assert client_for(admin_a).post(reverse("families:risk_settings"), data).status_code == 302
        assert RiskSettings.thresholds_for(admin_a.organisation_id).parent_age_watch == 70
        assert CrisisContact.objects.get().organisation == admin_a.organisation

    def test_watch_above_high_is_refused(self, client_for, admin_a):
        data = {
            "parent_age_watch": 85,
            "parent_age_high": 80,
            "person_age": 40,
            "withdrawn_years": 10,
            "top_days": 30,
            "form-TOTAL_FORMS": 0,
            "form-INITIAL_FORMS": 0,
        }
        response = client_for(admin_a).post(reverse("families:risk_settings"), data)
        assert "parent_age_watch" in response.context["form"].errors
        assert not RiskSettings.objects.exists()

    @pytest.mark.parametrize("who", ["worker_a", "coordinator_a", "worker_b"])
    def test_only_admins(self, request, client_for, who):
        membership = request.getfixturevalue(who)
        assert client_for(membership).get(reverse("families:risk_settings")).status_code == 404


def test_a_hospitalisation_entered_on_the_family_member_form_is_dated_today(
    client_for, worker_a, mother
):
    url = reverse("people:family_member_edit", args=[mother.code])
    data = {
        "name": mother.name,
        "relationship": "mother",
        "birth_year": mother.birth_year,
        "health": "hospitalised",
        "income_source": "pension",
        "contactable": "on",
    }
    assert client_for(worker_a).post(url, data).status_code == 302
    mother.refresh_from_db()
    assert (mother.health, mother.health_changed_on) == ("hospitalised", timezone.localdate())
