"""What outreach tells staff: a closure waiting, a handover received, a quiet period ending
(a daily job and a command that remind once per quiet period)."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from ibasho.notifications.models import Notification
from ibasho.outreach import notices, services
from ibasho.outreach.models import CloseReason, OutreachPlan, QuietPeriod


def _told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_a_closure_request_tells_the_coordinators(
    person_a, worker_a, coordinator_a, admin_a, analyst_a
):
    services.request_closure(person_a.cases.get(), reason=CloseReason.MOVED_AWAY, by=worker_a.user)
    assert _told("closure_pending") == sorted([coordinator_a.user_id, admin_a.user_id])
    item = Notification.objects.filter(kind="closure_pending").first()
    assert person_a.family_name not in item.subject and "/closures/" in item.link


def test_a_handover_tells_the_receiving_worker_once(
    person_a, worker_a, coordinator_a, org_a, django_capture_on_commit_callbacks
):
    from conftest import make_member

    newcomer = make_member(org_a, "newcomer", "worker")
    newcomer.user.email = "newcomer@example.org"
    newcomer.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.hand_over(
            [services.HandoverItem(person_a.cases.get(), newcomer.user, "手紙は読んでいる")],
            from_worker=worker_a.user,
            by=coordinator_a.user,
        )
    assert _told("handover_received") == [newcomer.user_id]
    assert [m.to for m in mail.outbox] == [["newcomer@example.org"]]
    assert "手紙" not in mail.outbox[0].body


@pytest.fixture
def quiet(person_a, worker_a, org_a):
    plan = OutreachPlan.objects.get(case__person=person_a)
    today = org_a.today()
    return QuietPeriod.objects.create(
        organisation=org_a, plan=plan, starts_on=today - dt.timedelta(days=20), until=today,
        recorded_by=worker_a.user,
    )  # fmt: skip


def test_the_worker_is_reminded_once_on_the_day_a_quiet_period_ends(
    quiet, worker_a, coordinator_a, org_a
):
    out = StringIO()
    call_command("remind_quiet_endings", stdout=out)
    assert "1 quiet period" in out.getvalue()
    assert _told("quiet_ending") == [worker_a.user_id]
    call_command("remind_quiet_endings", stdout=StringIO())
    assert notices.remind_quiet_endings(org_a) == 0
    assert _told("quiet_ending") == [worker_a.user_id]
    quiet.refresh_from_db()
    assert quiet.reminded_on == org_a.today()


def test_no_reminder_before_the_day_or_for_a_period_ended_early(quiet, org_a):
    quiet.until = org_a.today() + dt.timedelta(days=1)
    quiet.save()
    assert notices.remind_quiet_endings(org_a) == 0
    quiet.until, quiet.ended_on = org_a.today(), org_a.today() - dt.timedelta(days=2)
    quiet.save()
    assert notices.remind_quiet_endings(org_a) == 0
    assert not Notification.objects.exists()


def test_the_daily_job_can_be_queued(quiet):
    out = StringIO()
    call_command("remind_quiet_endings", "--enqueue", stdout=out)
    assert out.getvalue().strip() == "queued"
    # The test settings run tasks at once.
    assert Notification.objects.filter(kind="quiet_ending").count() == 1
