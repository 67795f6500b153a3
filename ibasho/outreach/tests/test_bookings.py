"""A day that is planned: visits and calls booked for a time, today's sessions beside them,
one Today row per person, and the week ahead."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ibasho.accounts.models import Organisation
from ibasho.audit.models import AuditEntry
from ibasho.lib.agenda import agenda
from ibasho.outreach import services
from ibasho.outreach.models import Booking, Contact, OutreachPlan
from ibasho.programmes.models import Programme, Session

C = Contact.Channel
TODAY_URL = reverse("outreach:today")


def at(org, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), org.zone)


def book(person, member, when, channel=C.DOOR_VISIT, note=""):
    return services.book(
        person, worker=member.user, starts_at=when, channel=channel, note=note, by=member.user
    )


def test_a_visit_booked_for_tomorrow_leads_tomorrows_today(client_for, worker_a, person_a, org_a):
    tomorrow = org_a.today() + dt.timedelta(days=1)
    client = client_for(worker_a)
    response = client.post(
        reverse("outreach:booking_create", args=[person_a.code]),
        {"day": tomorrow.isoformat(), "time": "14:00", "channel": C.DOOR_VISIT,
         "worker": worker_a.user.pk, "note": "玄関先で"},
    )  # fmt: skip
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.starts_at == at(org_a, tomorrow, 14)
    assert "山田" not in client.get(TODAY_URL).context["day_plan"].__repr__()
    # The next morning, as the organisation counts days.
    with mock.patch.object(Organisation, "today", return_value=tomorrow):
        page = client.get(TODAY_URL)
    [item] = page.context["day_plan"]
    assert (item.time, item.title, item.done) == (dt.time(14), person_a.full_name, False)
    html = page.content.decode()
    assert html.index('id="day-plan"') < html.index("Your outreach due today")


def test_bookings_and_facilitated_sessions_in_time_order(client_for, worker_a, person_a, org_a):
    today = org_a.today()
    programme = Programme.objects.create(
        organisation=org_a, kind=Programme.Kind.GROUP_IBASHO, name_ja="居場所", name_en="Ibasho",
        duration_minutes=120,
    )  # fmt: skip
    session = Session.objects.create(
        organisation=org_a, programme=programme, date=today, starts_at=dt.time(10),
        duration_minutes=120,
    )  # fmt: skip
    session.facilitators.add(worker_a.user)
    Session.objects.create(  # not facilitated by this worker: not on their agenda
        organisation=org_a, programme=programme, date=today, starts_at=dt.time(9),
        duration_minutes=60,
    )  # fmt: skip
    with mock.patch("django.utils.timezone.now", return_value=at(org_a, today, 7)):
        book(person_a, worker_a, at(org_a, today, 15, 30), channel=C.PHONE)
        book(person_a, worker_a, at(org_a, today, 8, 30))
        plan = client_for(worker_a).get(TODAY_URL).context["day_plan"]
    assert [(i.time, i.kind) for i in plan] == [
        (dt.time(8, 30), "Door visit"),
        (dt.time(10), "Session"),
        (dt.time(15, 30), "Phone"),
    ]


def test_a_booking_is_done_once_a_contact_is_logged_that_day(worker_a, person_a, org_a):
    now = timezone.now()
    day = now.astimezone(org_a.zone).date()
    book(person_a, worker_a, now)
    [before] = agenda(worker_a, day, day)
    services.record_contact(
        person_a, by=worker_a.user, occurred_at=now, channel=C.DOOR_VISIT,
        reached=Contact.Reached.PERSON, outcome=Contact.Outcome.FACE_TO_FACE, duration_minutes=60,
    )  # fmt: skip
    [after] = agenda(worker_a, day, day)
    assert (before.done, after.done) == (False, True)


@pytest.mark.parametrize(
    ("shift", "channel", "note", "field"),
    [
        (dt.timedelta(hours=-2), C.DOOR_VISIT, "", "starts_at"),
        (dt.timedelta(days=-3650), C.DOOR_VISIT, "", "starts_at"),
        (dt.timedelta(days=367), C.DOOR_VISIT, "", "starts_at"),
        (dt.timedelta(days=1), "carrier_pigeon", "", "channel"),
        (dt.timedelta(days=1), C.DOOR_VISIT, "門\x00の前", "note"),
        (dt.timedelta(days=1), C.DOOR_VISIT, "x" * 20_001, "note"),
    ],
)
def test_refusals(worker_a, person_a, shift, channel, note, field):
    with pytest.raises(ValidationError) as refused:
        book(person_a, worker_a, timezone.now() + shift, channel=channel, note=note)
    assert field in refused.value.message_dict
    assert not Booking.objects.exists()


def test_another_organisations_worker_cannot_be_booked(worker_a, worker_b, person_a):
    with pytest.raises(ValidationError) as refused:
        services.book(
            person_a, worker=worker_b.user, starts_at=timezone.now() + dt.timedelta(days=1),
            channel=C.PHONE, note="", by=worker_a.user,
        )  # fmt: skip
    assert "worker" in refused.value.message_dict


def test_cancelling_takes_it_off_the_day_and_is_audited(client_for, worker_a, person_a, org_a):
    booking = book(person_a, worker_a, timezone.now() + dt.timedelta(days=1))
    url = reverse("outreach:booking_cancel", args=[booking.code])
    asked = client_for(worker_a).post(url)
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    booking.refresh_from_db()
    assert booking.cancelled_at is None
    client_for(worker_a).post(url, {"confirmed": "yes"})
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert AuditEntry.objects.filter(action="outreach.booking.cancelled").count() == 1
    tomorrow = org_a.today() + dt.timedelta(days=1)
    assert agenda(worker_a, tomorrow, tomorrow) == []


def test_outsiders_and_analysts_neither_book_nor_cancel(
    client_for, worker_a, worker_b, analyst_a, person_a
):
    booking = book(person_a, worker_a, timezone.now() + dt.timedelta(days=1))
    for member in (worker_b, analyst_a):
        client = client_for(member)
        form = client.get(reverse("outreach:booking_create", args=[person_a.code]))
        assert form.status_code == 404
        cancel = client.post(
            reverse("outreach:booking_cancel", args=[booking.code]), {"confirmed": "yes"}
        )
        assert cancel.status_code == 404
    assert client_for(analyst_a).get(reverse("outreach:week")).status_code == 404
    booking.refresh_from_db()
    assert booking.cancelled_at is None


def test_the_week_ahead_shows_each_days_bookings_and_what_falls_due(
    client_for, worker_a, person_a, org_a
):
    today = org_a.today()
    book(person_a, worker_a, at(org_a, today + dt.timedelta(days=3), 11))
    plan = OutreachPlan.objects.get(case__person=person_a)
    plan.cadences.update(next_due_on=today + dt.timedelta(days=2))
    days = client_for(worker_a).get(reverse("outreach:week")).context["days"]
    assert [d["day"] for d in days] == [today + dt.timedelta(days=n) for n in range(7)]
    assert [len(d["items"]) for d in days] == [0, 0, 0, 1, 0, 0, 0]
    assert [d["due"] for d in days] == [0, 0, 1, 0, 0, 0, 0]
    assert AuditEntry.objects.filter(action="outreach.week.viewed", count=1).exists()


def test_today_has_one_row_per_person_with_the_other_channels_folded_in(
    client_for, worker_a, person_a, org_a
):
    plan = OutreachPlan.objects.get(case__person=person_a)
    services.set_plan(
        plan, cadences={C.LETTER: 14, C.PHONE: 7}, backoff_factor=plan.backoff_factor,
        backoff_ceiling_days=plan.backoff_ceiling_days, by=worker_a.user,
    )  # fmt: skip
    today = org_a.today()
    plan.cadences.filter(channel=C.PHONE).update(next_due_on=today - dt.timedelta(days=3))
    plan.cadences.filter(channel=C.LETTER).update(next_due_on=today)
    page = client_for(worker_a).get(TODAY_URL)
    [row] = page.context["due"]
    assert row.channel_label == "Phone"
    assert row.also == ("Letter",)
    assert page.context["due_total"] == 1
