import datetime as dt

import pytest
from django.utils import timezone

from ibasho.families import board, risk
from ibasho.families.models import HouseholdCircumstances, RiskSettings
from ibasho.families.services import raise_safety_event
from ibasho.outreach.services import ensure_plan
from ibasho.people.models import Case, FamilyMember, Household, Person


def make_household(
    org, name, *, parents=(), person_birth_year=1990, withdrawn_since=None, open_case=True
):
    household = Household.objects.create(organisation=org, name=name)
    for relationship, birth_year, health, since in parents:
        FamilyMember.objects.create(
            organisation=org,
            household=household,
            name=f"{name}{relationship}",
            relationship=relationship,
            birth_year=birth_year,
            health=health,
            health_changed_on=since,
        )
    person = Person.objects.create(
        organisation=org,
        family_name=name,
        family_name_kana="かな",
        birth_year=person_birth_year,
        household=household,
        withdrawal_since=withdrawn_since,
    )
    case = Case.objects.create(
        organisation=org,
        person=person,
        status=Case.Status.OPEN if open_case else Case.Status.CLOSED,
    )
    ensure_plan(case)  # as every loader of cases does
    return household


def codes(rows, household):
    return next(sorted(r.codes) for h, r in rows if h == household)


class TestFacts:
    def test_household_records_become_risk_facts(self, org_a, coordinator_a):
        today = timezone.localdate()
        household = make_household(
            org_a,
            "高橋",
            parents=[
                ("mother", today.year - 81, "hospitalised", today),
                ("father", None, "died", None),
            ],
            person_birth_year=today.year - 45,
            withdrawn_since=dt.date(today.year - 12, 1, 1),
        )
        HouseholdCircumstances.objects.create(
            organisation=org_a, household=household, income_stopping=True
        )
        rows = board.assess_all(board.board_households(coordinator_a), today, risk.Thresholds())
        assert codes(rows, household) == sorted(
            [
                "parent_age_high",
                "parent_hospitalised",
                "parent_died",
                "income_stopping",
                "long_withdrawal",
            ]
        )

    def test_an_open_violence_event_is_a_household_signal_until_resolved(
        self, org_a, coordinator_a, person_a
    ):
        today = timezone.localdate()
        event = raise_safety_event(person_a, kind="violence", severity=2, by=coordinator_a.user)
        rows = board.assess_all(board.board_households(coordinator_a), today, risk.Thresholds())
        assert "violence" in codes(rows, person_a.household)
        event.resolved_at = timezone.now()
        event.save()
        rows = board.assess_all(board.board_households(coordinator_a), today, risk.Thresholds())
        assert "violence" not in codes(rows, person_a.household)

    def test_closed_cases_and_quiet_households_are_left_off(self, org_a, coordinator_a):
        today = timezone.localdate()
        closed = make_household(
            org_a, "閉", parents=[("mother", 1930, "well", None)], open_case=False
        )
        quiet = make_household(org_a, "静", parents=[("mother", today.year - 60, "well", None)])
        rows = board.assess_all(board.board_households(coordinator_a), today, risk.Thresholds())
        assert {h for h, _ in rows}.isdisjoint({closed, quiet})


class TestOrder:
    def test_a_parent_hospitalised_today_is_on_top(self, org_a, coordinator_a, person_a):
        today = timezone.localdate()
        raise_safety_event(
            person_a, kind="violence", severity=3, by=coordinator_a.user, description="自宅で倒れた"
        )
        make_household(
            org_a, "古", parents=[("mother", 1935, "hospitalised", today - dt.timedelta(days=40))]
        )
        last_week = make_household(
            org_a, "先週", parents=[("father", 1950, "in_care", today - dt.timedelta(days=7))]
        )
        just_now = make_household(org_a, "今日", parents=[("mother", 1950, "hospitalised", today)])
        rows = board.assess_all(board.board_households(coordinator_a), today, risk.Thresholds())
        assert [h for h, _ in rows][:3] == [just_now, last_week, person_a.household]

    def test_organisation_thresholds_apply(self, org_a, coordinator_a):
        today = timezone.localdate()
        household = make_household(
            org_a, "七十", parents=[("mother", today.year - 72, "well", None)]
        )
        limits = RiskSettings.thresholds_for(org_a.pk)
        assert household not in [
            h for h, _ in board.assess_all(board.board_households(coordinator_a), today, limits)
        ]
        RiskSettings.objects.create(organisation=org_a, parent_age_watch=70)
        limits = RiskSettings.thresholds_for(org_a.pk)
        rows = board.assess_all(board.board_households(coordinator_a), today, limits)
        assert codes(rows, household) == ["parent_age_watch"]


@pytest.mark.parametrize("role_fixture", ["worker_b", "analyst_a"])
def test_others_see_no_households(request, person_a, role_fixture):
    membership = request.getfixturevalue(role_fixture)
    assert not board.board_households(membership).exists()
