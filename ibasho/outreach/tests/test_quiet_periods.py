"""Quiet periods with care: who asked, a longest pause without a coordinator, and the
coordinator's view of current, ending and waiting pauses."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.outreach import services
from ibasho.outreach.models import OutreachPlan, OutreachSettings, QuietPeriod

ASKED = QuietPeriod.AskedBy


@pytest.fixture
def plan(person_a):
    return OutreachPlan.objects.select_related("case").get(case__person=person_a)


@pytest.fixture
def today(org_a):
    return org_a.today()


def start(plan, by, days, today, asked_by=ASKED.PERSON):
    return services.start_quiet_period(
        plan,
        until=today + dt.timedelta(days=days),
        continuing=[],
        note="",
        asked_by=asked_by,
        by=by.user,
    )


@pytest.mark.parametrize(
    ("who", "days", "in_force_days", "waiting_days", "approved"),
    [
        ("worker_a", 30, 30, None, False),
        ("worker_a", 90, 90, None, False),  # the organisation's longest, exactly
        ("worker_a", 91, 90, 91, False),  # a day longer waits for a coordinator
        ("worker_a", 400, 90, 400, False),
        ("coordinator_a", 400, 400, None, True),  # a coordinator decides as they record
        ("admin_a", 200, 200, None, True),
        ("coordinator_a", 60, 60, None, False),  # nothing to approve
    ],
)
def test_a_pause_longer_than_allowed_starts_for_the_allowed_length_and_waits(
    request, plan, today, who, days, in_force_days, waiting_days, approved
):
    member = request.getfixturevalue(who)
    quiet = start(plan, member, days, today)
    assert quiet.until == today + dt.timedelta(days=in_force_days)
    expected_waiting = today + dt.timedelta(days=waiting_days) if waiting_days else None
    assert quiet.requested_until == expected_waiting
    assert (quiet.approved_by_id == member.user.pk) is approved
    plan.refresh_from_db()
    assert plan.next_due_on == quiet.until  # the pause in force is the one the plan keeps


def test_the_longest_pause_is_the_organisations_setting(plan, today, worker_a, org_a):
    OutreachSettings.objects.create(organisation=org_a, quiet_max_days=14)
    quiet = start(plan, worker_a, 20, today)
    assert (quiet.until - today).days == 14
    assert (quiet.requested_until - today).days == 20


@pytest.mark.parametrize(
    ("days", "asked_by", "field"),
    [
        (0, ASKED.PERSON, "until"),
        (-400, ASKED.PERSON, "until"),
        (731, ASKED.PERSON, "until"),  # even a coordinator: a longer pause is a closure decision
        (10**5, ASKED.PERSON, "until"),
        (30, "neighbour", "asked_by"),
        (30, "", "asked_by"),
    ],
)
def test_refusals(plan, today, coordinator_a, days, asked_by, field):
    with pytest.raises(ValidationError) as refused:
        start(plan, coordinator_a, days, today, asked_by=asked_by)
    assert field in refused.value.message_dict
    assert not QuietPeriod.objects.exists()


def test_the_family_may_ask(plan, today, worker_a):
    quiet = start(plan, worker_a, 30, today, asked_by=ASKED.FAMILY)
    entry = AuditEntry.objects.get(action="outreach.quiet_period.started")
    assert quiet.asked_by == "family"
    assert "asked_by" in entry.fields


def test_a_coordinator_approves_the_longer_pause(plan, today, worker_a, coordinator_a):
    quiet = start(plan, worker_a, 180, today)
    services.decide_quiet_period(quiet, approve=True, by=coordinator_a.user)
    quiet.refresh_from_db()
    plan.refresh_from_db()
    assert quiet.until == today + dt.timedelta(days=180)
    assert (quiet.requested_until, quiet.approved_by) == (None, coordinator_a.user)
    assert plan.next_due_on == quiet.until
    assert AuditEntry.objects.filter(action="outreach.quiet_period.approved").count() == 1


def test_a_declined_pause_keeps_the_allowed_length(plan, today, worker_a, coordinator_a):
    quiet = start(plan, worker_a, 180, today)
    services.decide_quiet_period(quiet, approve=False, by=coordinator_a.user)
    quiet.refresh_from_db()
    assert (quiet.until, quiet.requested_until) == (today + dt.timedelta(days=90), None)
    with pytest.raises(ValidationError):  # decided once
        services.decide_quiet_period(quiet, approve=True, by=coordinator_a.user)


def test_a_worker_cannot_approve_their_own_long_pause(plan, today, worker_a):
    quiet = start(plan, worker_a, 180, today)
    with pytest.raises(ValidationError):
        services.decide_quiet_period(quiet, approve=True, by=worker_a.user)
    quiet.refresh_from_db()
    assert quiet.requested_until is not None


def test_the_form_asks_who_asked(client_for, worker_a, plan, today):
    url = reverse("outreach:quiet_create", args=[plan.case.code])
    until = (today + dt.timedelta(days=120)).isoformat()
    refused = client_for(worker_a).post(url, {"until": until})
    assert refused.status_code == 200 and not QuietPeriod.objects.exists()
    client_for(worker_a).post(url, {"until": until, "asked_by": "family"})
    quiet = QuietPeriod.objects.get()
    assert (quiet.asked_by, quiet.requested_until.isoformat()) == ("family", until)


def test_the_coordinator_sees_waiting_and_ending_pauses_and_decides(
    client_for, worker_a, coordinator_a, plan, today
):
    quiet = start(plan, worker_a, 120, today)
    client = client_for(coordinator_a)
    today_page = client.get(reverse("outreach:today")).content.decode()
    assert "1 longer pause waits for a decision" in today_page
    listing = client.get(reverse("outreach:quiet_list")).content.decode()
    assert "山田" in listing and "quiet-waiting" in listing
    assert AuditEntry.objects.filter(action="outreach.quiet_period.list", count=1).exists()
    client.post(reverse("outreach:quiet_decide", args=[quiet.code]), {"decision": "approve"})
    quiet.refresh_from_db()
    assert quiet.until == today + dt.timedelta(days=120)


def test_workers_do_not_decide_or_see_the_list(client_for, worker_a, plan, today):
    quiet = start(plan, worker_a, 120, today)
    client = client_for(worker_a)
    assert client.get(reverse("outreach:quiet_list")).status_code == 404
    assert (
        client.post(reverse("outreach:quiet_decide", args=[quiet.code]), {"decision": "approve"})
    ).status_code == 404
    quiet.refresh_from_db()
    assert quiet.requested_until is not None
