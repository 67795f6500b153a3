import datetime as dt

import pytest

from ibasho.accounts.models import Membership
from ibasho.families import board
from ibasho.families.models import RiskSettings, SafetyEvent
from ibasho.ops.synthetic import create_organisation
from ibasho.programmes.models import Attendance, Programme

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    return create_organisation(seed=3, people=25, today=TODAY).organisation


def test_every_risk_signal_appears_and_a_fresh_hospitalisation_leads(demo):
    coordinator = Membership.objects.get(organisation=demo, role="coordinator")
    rows = board.assess_all(
        board.board_households(coordinator), TODAY, RiskSettings.thresholds_for(demo.pk)
    )
    seen = {code for _, risk in rows for code in risk.codes}
    expected = {
        "parent_age_watch",
        "parent_age_high",
        "parent_hospitalised",
        "parent_in_care",
        "parent_died",
        "income_stopping",
        "no_outside_contact",
        "violence",
        "long_withdrawal",
    }
    assert expected <= seen
    assert rows[0][1].top_since == TODAY


def test_open_safety_events_some_waiting_for_a_coordinator(demo):
    open_events = SafetyEvent.objects.filter(organisation=demo).unresolved()
    assert open_events.count() >= 3
    assert open_events.filter(acknowledged_at__isnull=True).exists()
    assert open_events.filter(acknowledged_at__isnull=False).exists()


def test_programmes_have_a_season_and_family_courses_are_under_way(demo):
    programmes = Programme.objects.filter(organisation=demo)
    ibasho = programmes.get(name_ja="水曜の居場所")
    assert ibasho.sessions.count() >= 10
    assert (
        ibasho.sessions.filter(date__lt=TODAY).exists()
        and ibasho.sessions.filter(date__gte=TODAY).exists()
    )
    craft = programmes.get(course_template="craft")
    assert craft.sessions.count() == 12
    assert 0 < craft.sessions.filter(date__lt=TODAY).count() < 12
    assert craft.enrolments.filter(family_member__isnull=False).exists()
    present = Attendance.objects.filter(organisation=demo, status__in=Attendance.PRESENT)
    assert present.exists() and all(a.contact_id for a in present)
