"""The person's story on one page: every app's records merged newest first, with notes and
next steps, filterable, paginated, audited, and nobody else's."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.families import services as families
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact, Stage

C, R, OC = Contact.Channel, Contact.Reached, Contact.Outcome


def url(person, **query):
    base = reverse("people:person_timeline", args=[person.code])
    return base + ("?" + "&".join(f"kind={k}" for k in query.get("kinds", [])) if query else "")


def visit(person, member, days_ago, note, next_step=""):
    return outreach.record_contact(
        person, by=member.user, occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        channel=C.DOOR_VISIT, reached=R.PERSON, outcome=OC.FACE_TO_FACE, duration_minutes=60,
        note=note, next_step=next_step,
    )  # fmt: skip


def test_the_story_reads_newest_first_with_notes_and_next_steps(
    client_for, worker_a, person_a, org_a
):
    visit(person_a, worker_a, 10, "玄関で5分話せた", next_step="来週も同じ時間に")
    visit(person_a, worker_a, 2, "部屋から出てきた")
    outreach.change_stage(
        person_a, stage=Stage.FAMILY_SUPPORT, on=org_a.today() - dt.timedelta(days=5),
        by=worker_a.user,
    )  # fmt: skip
    families.raise_safety_event(person_a, kind="self_neglect", severity=1, by=worker_a.user)
    page = client_for(worker_a).get(url(person_a))
    entries = [entry for entry, *_ in page.context["page"].object_list]
    assert [e.kind for e in entries] == ["safety", "contact", "stage", "contact"]
    html = page.content.decode()
    assert html.index("部屋から出てきた") < html.index("玄関で5分話せた")
    assert "来週も同じ時間に" in html
    assert AuditEntry.objects.filter(
        action="people.person_timeline.viewed", person_code=person_a.code
    ).exists()


def test_filtered_to_contacts_only(client_for, worker_a, person_a):
    visit(person_a, worker_a, 1, "会えた")
    families.raise_safety_event(person_a, kind="self_neglect", severity=1, by=worker_a.user)
    page = client_for(worker_a).get(url(person_a, kinds=["contact", "no-such-kind"]))
    assert [e.kind for e, *_ in page.context["page"].object_list] == ["contact"]


def test_long_histories_are_paginated(client_for, worker_a, person_a):
    for n in range(55):
        visit(person_a, worker_a, n + 1, f"訪問{n}")
    first = client_for(worker_a).get(url(person_a)).context["page"]
    second = client_for(worker_a).get(url(person_a) + "?page=2").context["page"]
    assert (len(first.object_list), len(second.object_list)) == (50, 5)
    assert first.object_list[0][0].text == "訪問0"


def test_a_long_history_costs_the_queries_of_a_short_one(
    client_for, worker_a, person_a, django_assert_num_queries
):
    """Each source reads only the newest of its records; only the page shown is built."""
    visit(person_a, worker_a, 1, "会えた")
    client = client_for(worker_a)
    client.get(url(person_a))
    with CaptureQueriesContext(connection) as short:
        client.get(url(person_a))
    for n in range(60):
        visit(person_a, worker_a, n + 2, f"訪問{n}")
    with django_assert_num_queries(len(short.captured_queries)):
        page = client.get(url(person_a)).context["page"]
    assert page.has_next
    with django_assert_num_queries(len(short.captured_queries)):
        page = client.get(url(person_a) + "?page=2").context["page"]
    assert [entry.text for entry, *_ in page.object_list][-1] == "訪問59"


def test_nobody_else_reads_it(client_for, worker_b, analyst_a, person_a, worker_a):
    visit(person_a, worker_a, 1, "会えた")
    for member in (worker_b, analyst_a):
        assert client_for(member).get(url(person_a)).status_code == 404


def test_printed_as_a_japanese_case_record(client_for, worker_a, person_a):
    import io

    from pypdf import PdfReader

    visit(person_a, worker_a, 3, "玄関で5分話せた", next_step="来週も同じ時間に")
    client = client_for(worker_a)
    response = client.get(
        reverse("people:person_timeline_pdf", args=[person_a.code]), HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("経過記録", "山田", "玄関で5分話せた", "来週も同じ時間に"):
        assert expected in text.replace(" ", "").replace("\n", "")
    assert AuditEntry.objects.filter(action="people.person_timeline.printed").count() == 1


def test_nobody_else_prints_it(client_for, worker_b, analyst_a, person_a):
    for member in (worker_b, analyst_a):
        pdf = client_for(member).get(reverse("people:person_timeline_pdf", args=[person_a.code]))
        assert pdf.status_code == 404


def contact_at(person, member, when, note=""):
    return outreach.record_contact(
        person, by=member.user, occurred_at=when, channel=C.PHONE, reached=R.PERSON,
        outcome=OC.FACE_TO_FACE, duration_minutes=10, note=note,
    )  # fmt: skip


def crowded_story(person, member, org):
    """Every kind, most of them on the same three days and many in the same minute."""
    from ibasho.families.models import BehaviourChange, SafetyEvent
    from ibasho.outcomes.models import Administration
    from ibasho.outreach.models import OutreachPlan, QuietPeriod, StageChange
    from ibasho.programmes.models import Attendance, Enrolment, Programme, Session

    today = org.today()
    days = [today - dt.timedelta(days=n) for n in (1, 2, 9)]
    noon = [dt.datetime.combine(day, dt.time(12), tzinfo=org.zone) for day in days]
    for n in range(24):  # pairs in the same minute, some at the same instant
        contact_at(person, member, noon[n % 3] + dt.timedelta(seconds=(n % 4) * 20), f"c{n}")
    contact_at(person, member, noon[0].replace(hour=0, minute=0), "midnight")
    for n in range(6):
        StageChange.objects.create(
            organisation=org, person=person, stage=Stage.values[n % 3], changed_on=days[n % 2],
            changed_by=member.user,
        )  # fmt: skip
        BehaviourChange.objects.create(
            organisation=org, person=person, kind=BehaviourChange.Kind.values[0],
            occurred_on=days[n % 3], recorded_by=member.user,
        )  # fmt: skip
        Administration.objects.create(
            organisation=org, person=person, instrument="k6", instrument_version="1",
            administered_on=days[n % 2], respondent="self", answers={}, total=n, band="low",
            band_set="default", band_set_version="1", created_by=member.user,
        )  # fmt: skip
        event = families.raise_safety_event(person, kind="self_neglect", severity=1, by=member.user)
        SafetyEvent.objects.filter(pk=event.pk).update(created_at=noon[n % 3])
    plan = OutreachPlan.objects.get(case__person=person)
    for day in days[:2] * 2:
        QuietPeriod.objects.create(
            organisation=org, plan=plan, starts_on=day, until=day + dt.timedelta(days=9),
        )  # fmt: skip
    programme = Programme.objects.create(
        organisation=org, kind=Programme.Kind.GROUP_IBASHO, name_ja="居場所", duration_minutes=60
    )
    enrolment = Enrolment.objects.create(organisation=org, programme=programme, person=person)
    for day in days:  # untimed, at midnight and at noon, on the days of the contacts
        for starts_at in (None, dt.time(0), dt.time(12), None):
            session = Session.objects.create(
                organisation=org, programme=programme, date=day, starts_at=starts_at,
                duration_minutes=60,
            )  # fmt: skip
            Attendance.objects.create(
                organisation=org, session=session, enrolment=enrolment, status="attended"
            )


def test_the_newest_of_each_source_merge_into_the_newest_of_the_whole_story(
    worker_a, person_a, org_a
):
    """Cutting each source to its newest N loses nothing of the newest N, ties included."""
    from ibasho.lib.timeline import timeline, timeline_kinds

    crowded_story(person_a, worker_a, org_a)
    for kinds in (None, {"contact"}, {"stage", "safety", "instrument"}, {"programme", "quiet"}):
        whole = timeline(worker_a, person_a, kinds)
        assert {entry.kind for entry in whole} == (kinds or set(timeline_kinds()))
        for newest in (1, 2, 3, 5, 8, 13, 21, 34, 55, len(whole) - 1, len(whole) + 5):
            assert timeline(worker_a, person_a, kinds, newest=newest) == whole[:newest]


def test_where_the_clock_goes_back_the_later_reading_is_still_newest(worker_a, person_a, org_a):
    """In London the clock read 01:50 (summer time) before it read 01:10 (winter time): the
    timeline sorts by what the clock read, so the cut keeps the earlier instant first."""
    from ibasho.lib.timeline import timeline

    worker_a.organisation.time_zone = "Europe/London"
    worker_a.organisation.save()
    fold = dt.datetime(2025, 10, 26, tzinfo=dt.UTC)
    summer = contact_at(person_a, worker_a, fold + dt.timedelta(minutes=50), "01:50 BST")
    winter = contact_at(person_a, worker_a, fold + dt.timedelta(minutes=70), "01:10 GMT")
    contact_at(person_a, worker_a, fold - dt.timedelta(hours=5), "earlier")
    whole = timeline(worker_a, person_a, {"contact"})
    assert [item.key for item in whole[:2]] == [summer.pk, winter.pk]
    for newest in (1, 2, 3):
        assert timeline(worker_a, person_a, {"contact"}, newest=newest) == whole[:newest]


def page_of(client, person, page):
    return client.get(reverse("people:person_timeline", args=[person.code]), {"page": page})


def test_pages_go_older_and_newer_without_counting_the_story(client_for, worker_a, person_a):
    for n in range(101):
        visit(person_a, worker_a, n + 1, f"訪問{n}")
    client = client_for(worker_a)
    first, second, third = (page_of(client, person_a, n) for n in (1, 2, 3))
    assert [len(p.context["page"].object_list) for p in (first, second, third)] == [50, 50, 1]
    assert [(p.context["page"].has_previous, p.context["page"].has_next) for p in (
        first, second, third
    )] == [(False, True), (True, True), (True, False)]  # fmt: skip
    assert second.context["page"].object_list[0][0].text == "訪問50"
    html = second.content.decode()
    assert "page=1" in html and "page=3" in html and "Page 2" in html
    assert "Older" in html and "Newer" in html
    ja = client.get(
        reverse("people:person_timeline", args=[person_a.code]), {"page": 3},
        HTTP_ACCEPT_LANGUAGE="ja",
    ).content.decode()  # fmt: skip
    assert "3ページ目" in ja and "新しい記録" in ja and "古い記録" not in ja


def test_a_page_of_exactly_the_entries_left_has_no_older_page(client_for, worker_a, person_a):
    for n in range(50):
        visit(person_a, worker_a, n + 1, f"訪問{n}")
    page = page_of(client_for(worker_a), person_a, 1).context["page"]
    assert (len(page.object_list), page.has_next, page.has_other_pages) == (50, False, False)
    assert "pagination" not in page_of(client_for(worker_a), person_a, 1).content.decode()


def test_a_page_that_is_not_there_shows_the_last_that_is(client_for, worker_a, person_a):
    for n in range(55):
        visit(person_a, worker_a, n + 1, f"訪問{n}")
    client = client_for(worker_a)
    for junk, shown in [
        ("abc", 1), ("-1", 1), ("0", 1), ("", 1), ("1e9", 1), ("\x00", 1), ("2\x00", 1),
        ("1" * 5000, 1), ("99999", 2), ("9" * 30, 2), ("3", 2),
    ]:  # fmt: skip
        response = page_of(client, person_a, junk)
        assert response.status_code == 200, junk
        assert response.context["page"].number == shown, junk
        assert len(response.context["page"].object_list) == (50 if shown == 1 else 5), junk


def test_a_page_past_an_empty_story_is_page_one(client_for, worker_a, person_a):
    response = page_of(client_for(worker_a), person_a, "7")
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert "Nothing is recorded yet." in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no round trips")
def test_on_postgresql_a_pages_sources_are_read_in_one_pipeline(worker_a, person_a, org_a):
    """Every source's rows for a page are asked for together: one wait for the server."""
    from psycopg import pq

    from ibasho.lib.timeline import timeline, timeline_kinds

    crowded_story(person_a, worker_a, org_a)
    modes = []

    def noting_the_mode(execute, sql, params, many, context):
        modes.append(connection.connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noting_the_mode):
        page = timeline(worker_a, person_a, newest=51)
    assert {entry.kind for entry in page} == set(timeline_kinds())
    # One read per kind's table or more (contacts, stages, quiet periods, instruments…).
    assert modes.count(pq.PipelineStatus.ON) >= 6
    assert modes[: modes.count(pq.PipelineStatus.ON)] == [pq.PipelineStatus.ON] * modes.count(
        pq.PipelineStatus.ON
    )


def test_notes_are_printed_as_written_escaped_with_their_line_breaks(
    client_for, worker_a, person_a
):
    visit(person_a, worker_a, 1, '<b>"玄関"</b> & 窓\n次は手紙', next_step="<i>来週</i>")
    html = client_for(worker_a).get(url(person_a)).content.decode()
    assert (
        '<div class="note">&lt;b&gt;&quot;玄関&quot;&lt;/b&gt; &amp; 窓<br>次は手紙</div>' in html
    )
    assert "&lt;i&gt;来週&lt;/i&gt;</p>" in html and "<b>" not in html
    assert f"· {worker_a.user}</span>" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no round trips")
def test_on_postgresql_the_summary_and_a_timeline_page_wait_for_the_database_a_few_times(
    client_for, worker_a, person_a, org_a
):
    """The summary: the session; the user with their memberships; the person; the audit
    entry; the safety facts; the outreach facts (with the unread count); the phones, workers and
    household; the lifecycle and referral panels; with a safety event open, the crisis
    contacts to call. A timeline page: the session; the user; the
    person; every source (with the unread count); the page's contacts; the audit entry."""
    from conftest import round_trips

    crowded_story(person_a, worker_a, org_a)
    client = client_for(worker_a)
    summary = reverse("people:person_detail", args=[person_a.code])
    for page, trips in ((summary, 10), (url(person_a), 6)):
        client.get(page)
        assert round_trips(client, page) == trips
