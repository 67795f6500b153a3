import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import round_trips
from ibasho.outreach import services
from ibasho.outreach.models import Contact, Handover, OutreachPlan, WithdrawnContact
from ibasho.people.models import Case, CaseAssignment, Person

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached
TODAY_URL = reverse("outreach:today")
# 11 for the outreach queue and coordinator lists (closures and quiet periods waiting for a
# decision among them, overdue counts with the workers' names; a queue shorter than the page
# needs no count), 2 for the day's agenda, 4 for the families panel, 1 to audit the read, 1 for
# the notifications badge.
COORDINATOR_TODAY_QUERIES = 19


def make_person(org, worker, name: str, *, opened_days_ago: int = 0) -> Person:
    person = Person.objects.create(
        organisation=org,
        family_name=name,
        family_name_kana="てすと",
        things_to_avoid=f"{name}: 夕方は避ける",
    )
    opened = org.today() - dt.timedelta(days=opened_days_ago)
    case = Case.objects.create(organisation=org, person=person, opened_on=opened)
    services.ensure_plan(case)  # as a loader of older cases does
    if worker is not None:
        CaseAssignment.objects.create(organisation=org, case=case, worker=worker.user)
    return person


def test_home_is_today_for_staff(client_for, worker_a):
    response = client_for(worker_a).get(reverse("home"))
    assert response.status_code == 302 and response.url == TODAY_URL


def test_worker_sees_due_work_most_overdue_first_with_things_to_avoid(client_for, worker_a, org_a):
    recent = make_person(org_a, worker_a, "最近", opened_days_ago=1)
    older = make_person(org_a, worker_a, "以前", opened_days_ago=20)
    make_person(org_a, None, "担当なし", opened_days_ago=5)
    response = client_for(worker_a).get(TODAY_URL)
    assert response.status_code == 200
    due = [Person.objects.get(code=row.person.code) for row in response.context["due"]]
    assert due == [older, recent]
    assert "以前: 夕方は避ける" in response.content.decode()


def test_a_logged_attempt_leaves_the_queue(client_for, worker_a, person_a):
    client = client_for(worker_a)
    [item] = client.get(TODAY_URL).context["due"]
    response = client.post(
        reverse("outreach:log_attempt", args=[item.code]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    contact = Contact.objects.get()
    assert (contact.channel, contact.reached, contact.staff) == (C.LETTER, R.NOBODY, worker_a.user)
    assert "Attempt logged" in response.content.decode()
    assert client.get(TODAY_URL).context["due"] == []


def test_a_mistaken_no_answer_is_undone_and_the_plan_is_as_before(client_for, worker_a, person_a):
    client = client_for(worker_a)
    [item] = client.get(TODAY_URL).context["due"]
    plan = OutreachPlan.objects.get(case__person=person_a)
    before = list(plan.cadences.values_list("channel", "next_due_on", "unanswered", "last_on"))
    client.post(reverse("outreach:log_attempt", args=[item.code]), HTTP_HX_REQUEST="true")
    contact = Contact.objects.get()
    undo = reverse("outreach:undo_attempt", args=[item.code])
    response = client.post(undo, {"contact": contact.code}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "No answer" in response.content.decode()
    assert not Contact.objects.exists()
    assert WithdrawnContact.objects.get().reason == "outreach.attempt.undone"
    after = list(plan.cadences.values_list("channel", "next_due_on", "unanswered", "last_on"))
    assert after == before
    assert [row.code for row in client.get(TODAY_URL).context["due"]] == [item.code]


@pytest.mark.parametrize("who", ["coordinator_a", "late", "worker_b"])
def test_only_the_author_undoes_and_only_for_ten_minutes(
    request, client_for, worker_a, person_a, who
):
    [item] = client_for(worker_a).get(TODAY_URL).context["due"]
    client_for(worker_a).post(reverse("outreach:log_attempt", args=[item.code]))
    contact = Contact.objects.get()
    if who == "late":
        Contact.objects.filter(pk=contact.pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=11)
        )
        member = worker_a
    else:
        member = request.getfixturevalue(who)
    response = client_for(member).post(
        reverse("outreach:undo_attempt", args=[item.code]), {"contact": contact.code}
    )
    assert response.status_code in (302, 404)  # back to Today with the refusal, or not found
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_recorded_visit_is_not_undone_by_the_one_tap_undo(worker_a, person_a):
    contact = services.record_contact(
        person_a,
        by=worker_a.user,
        channel=C.DOOR_VISIT,
        reached=R.PERSON,
        outcome=Contact.Outcome.FACE_TO_FACE,
        duration_minutes=60,
    )
    with pytest.raises(ValidationError):
        services.undo_attempt(contact, by=worker_a.user)


def test_outsider_sees_nothing_and_cannot_log(client_for, worker_b, worker_a, person_a):
    [item] = client_for(worker_a).get(TODAY_URL).context["due"]
    client = client_for(worker_b)
    assert client.get(TODAY_URL).context["due"] == []
    response = client.post(reverse("outreach:log_attempt", args=[item.code]))
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_analyst_has_no_today_page(client_for, analyst_a):
    assert client_for(analyst_a).get(TODAY_URL).status_code == 404


def test_coordinator_sees_people_at_risk_overdue_by_worker_and_unassigned(
    client_for, coordinator_a, worker_a, org_a
):
    dropped = make_person(org_a, worker_a, "途切れ", opened_days_ago=200)
    fresh = make_person(org_a, worker_a, "新規", opened_days_ago=2)
    lonely = make_person(org_a, None, "担当なし", opened_days_ago=3)
    services.record_contact(
        fresh,
        by=worker_a.user,
        reached=R.PERSON,
        channel=C.LETTER,
        outcome=OC.WRITTEN_REPLY,
        duration_minutes=30,
    )
    overview = client_for(coordinator_a).get(TODAY_URL).context["overview"]
    at_risk = [row.person_code for row in overview["at_risk"]]
    assert dropped.code in at_risk and fresh.code not in at_risk
    assert [row.person_code for row in overview["unassigned"]] == [lonely.code]
    by_worker = dict(overview["overdue_by_worker"])
    assert by_worker[str(worker_a.user)] == 1  # only the 200-day-old case is overdue


def test_steady_knocking_is_not_dropping_but_a_silent_relationship_is(
    client_for, coordinator_a, worker_a, org_a
):
    never_answered = make_person(org_a, worker_a, "未応答", opened_days_ago=400)
    went_quiet = make_person(org_a, worker_a, "途絶え", opened_days_ago=400)
    ago = timezone.now() - dt.timedelta(days=5)
    services.record_contact(
        never_answered, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT, occurred_at=ago
    )
    services.record_contact(
        went_quiet,
        by=worker_a.user,
        channel=C.PHONE,
        reached=R.PERSON,
        outcome=OC.SPOKE_BY_PHONE,
        duration_minutes=30,
        occurred_at=timezone.now() - dt.timedelta(days=120),
    )
    services.record_contact(
        went_quiet, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT, occurred_at=ago
    )
    overview = client_for(coordinator_a).get(TODAY_URL).context["overview"]
    risks = {row.person_code: row for row in overview["at_risk"]}
    assert never_answered.code not in risks
    assert risks[went_quiet.code].no_two_way and not risks[went_quiet.code].no_contact


def test_at_risk_thresholds_are_configurable(client_for, coordinator_a, worker_a, org_a):
    person = make_person(org_a, worker_a, "境界", opened_days_ago=100)
    services.record_contact(
        person,
        by=worker_a.user,
        channel=C.LETTER,
        outcome=OC.LETTER_LEFT,
        occurred_at=timezone.now() - dt.timedelta(days=20),
    )
    client = client_for(coordinator_a)
    response = client.post(
        reverse("outreach:settings"),
        {
            "no_attempt_days": 10,
            "no_two_way_days": 365,
            "backoff_factor": "1.5",
            "backoff_ceiling_days": 60,
            "default_channel": C.LETTER,
            "default_every_days": 14,
            "quiet_max_days": 90,
        },
    )
    assert response.status_code == 302
    at_risk = [row.person_code for row in client.get(TODAY_URL).context["overview"]["at_risk"]]
    assert person.code in at_risk


def test_settings_are_for_coordinators_only(client_for, worker_a):
    assert client_for(worker_a).get(reverse("outreach:settings")).status_code == 404


def test_today_query_count_does_not_grow_with_the_queue(
    client_for, worker_a, org_a, django_assert_num_queries
):
    client = client_for(worker_a)
    make_person(org_a, worker_a, "一人目", opened_days_ago=3)
    client.get(TODAY_URL)
    # 7 for the queue (shorter than the page, so not counted apart), 2 for the day's agenda
    # (bookings, sessions), 4 for the families panel (households, events, plans), 1 to audit the
    # read, 1 for the unread notifications badge.
    with django_assert_num_queries(13) as small:
        client.get(TODAY_URL)
    for n in range(6):
        make_person(org_a, worker_a, f"追加{n}", opened_days_ago=n)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(TODAY_URL)
    assert len(response.context["due"]) == 7


def test_handover_note_shows_first_on_today(client_for, coordinator_a, worker_a, person_a, org_a):
    from conftest import make_member

    newcomer = make_member(org_a, "newcomer", "worker")
    client = client_for(coordinator_a)
    case = person_a.cases.get()
    url = reverse("outreach:handover") + "?worker=worker_a"
    key = case.code.hex
    response = client.post(
        url, {f"move_{key}": "on", f"to_{key}": newcomer.user.pk, f"note_{key}": "手紙は読んでいる"}
    )
    assert response.status_code == 302
    assert list(case.workers.all()) == [newcomer.user]
    page = client_for(newcomer).get(TODAY_URL).content.decode()
    assert page.index("手紙は読んでいる") < page.index("Your outreach due today")


def test_handover_without_a_note_changes_nothing(client_for, coordinator_a, worker_a, person_a):
    case = person_a.cases.get()
    key = case.code.hex
    response = client_for(coordinator_a).post(
        reverse("outreach:handover") + "?worker=worker_a",
        {f"move_{key}": "on", f"to_{key}": coordinator_a.user.pk, f"note_{key}": ""},
    )
    assert response.status_code == 200
    assert list(case.workers.all()) == [worker_a.user]


def test_every_case_to_one_worker_with_a_shared_note_and_one_of_its_own(
    client_for, coordinator_a, worker_a, person_a, org_a
):
    from conftest import make_member

    newcomer = make_member(org_a, "newcomer", "worker")
    second = make_person(org_a, worker_a, "二人目", opened_days_ago=10).cases.get()
    first = person_a.cases.get()
    response = client_for(coordinator_a).post(
        reverse("outreach:handover") + "?worker=worker_a",
        {
            "every_case": "on",
            "all_to": newcomer.user.pk,
            "shared_note": "伊藤さんの退職による引き継ぎ",
            f"note_{first.code.hex}": "インターホンは鳴らさない",
        },
    )
    assert response.status_code == 302
    notes = dict(Handover.objects.filter(to_worker=newcomer.user).values_list("case", "note"))
    assert notes == {
        first.pk: "伊藤さんの退職による引き継ぎ\n\nインターホンは鳴らさない",
        second.pk: "伊藤さんの退職による引き継ぎ",
    }
    assert {c.pk for c in Case.objects.filter(assignments__worker=newcomer.user)} == {
        first.pk,
        second.pk,
    }
    card = client_for(newcomer).get(TODAY_URL).content.decode()
    assert "handed over from Worker_A" in card


def test_a_chosen_case_without_a_worker_or_any_note_moves_nothing(
    client_for, coordinator_a, worker_a, person_a
):
    case = person_a.cases.get()
    for data in (
        {"every_case": "on", "shared_note": "共通メモ"},  # no worker anywhere
        {"every_case": "on", "all_to": coordinator_a.user.pk},  # no note anywhere
    ):
        response = client_for(coordinator_a).post(
            reverse("outreach:handover") + "?worker=worker_a", data
        )
        assert response.status_code == 200
        assert list(case.workers.all()) == [worker_a.user]
    assert not Handover.objects.exists()


def test_plans_exist_for_every_case(person_a):
    assert OutreachPlan.objects.filter(case__person=person_a).count() == 1


def test_coordinator_today_query_count_is_pinned(
    client_for, coordinator_a, worker_a, org_a, django_assert_num_queries
):
    client = client_for(coordinator_a)
    make_person(org_a, worker_a, "一人目", opened_days_ago=100)
    make_person(org_a, None, "担当なし", opened_days_ago=100)
    client.get(TODAY_URL)
    with django_assert_num_queries(COORDINATOR_TODAY_QUERIES):
        client.get(TODAY_URL)
    for n in range(5):
        make_person(org_a, worker_a if n % 2 else None, f"追加{n}", opened_days_ago=100 + n)
    with django_assert_num_queries(COORDINATOR_TODAY_QUERIES):
        response = client.get(TODAY_URL)
    assert len(response.context["overview"]["at_risk"]) == 7


def test_a_long_queue_shows_the_most_urgent_and_counts_the_rest(
    client_for, worker_a, org_a, monkeypatch
):
    from ibasho.outreach.views import today as views

    monkeypatch.setattr(views, "TODAY_ROWS", 3)
    for n in range(5):
        make_person(org_a, worker_a, f"人{n}", opened_days_ago=n)
    client = client_for(worker_a)
    response = client.get(TODAY_URL)
    assert len(response.context["due"]) == 3 and response.context["due_total"] == 5
    # the oldest (most overdue) come first
    assert [row.person.family_name for row in response.context["due"]] == [
        "人4",
        "人3",
        "人2",
    ]
    assert "?all=1" in response.content.decode()
    assert len(client.get(TODAY_URL, {"all": "1"}).context["due"]) == 5


def test_a_row_links_to_the_person_and_its_actions_and_says_how_late_it_is(
    client_for, worker_a, org_a
):
    person = make_person(org_a, worker_a, "遅延", opened_days_ago=30)
    cadence = OutreachPlan.objects.get(case__person=person).cadences.get()
    cadence.__class__.objects.filter(pk=cadence.pk).update(unanswered=2)
    cadence.refresh_from_db()
    overdue = (org_a.today() - cadence.next_due_on).days
    assert overdue > 1

    client = client_for(worker_a)
    client.cookies["django_language"] = "ja"
    html = client.get(TODAY_URL).content.decode()

    assert f'href="{reverse("people:person_detail", args=[person.code])}"' in html
    log_url = reverse("outreach:log_attempt", args=[cadence.code])
    assert f'action="{log_url}"' in html and f'hx-post="{log_url}"' in html
    record_url = reverse("outreach:contact_create", args=[person.code])
    assert f'href="{record_url}?channel={cadence.channel}"' in html
    assert "応答なし2回" in html and f"{overdue}日超過" in html


def test_the_longest_at_risk_are_shown_and_every_one_is_counted(
    client_for, coordinator_a, worker_a, org_a, monkeypatch
):
    from ibasho.outreach.views import today as views

    monkeypatch.setattr(views, "AT_RISK_ROWS", 3)
    people = [make_person(org_a, worker_a, f"途切れ{n}", opened_days_ago=100 + n) for n in range(5)]
    client = client_for(coordinator_a)
    response = client.get(TODAY_URL)
    overview = response.context["overview"]
    assert overview["at_risk_total"] == 5 and len(overview["at_risk"]) == 3
    html = response.content.decode()
    assert 'href="?all=1#at-risk"' in html
    every = client.get(TODAY_URL + "?all=1").context["overview"]
    assert {row.person_code for row in every["at_risk"]} == {p.code for p in people}
    assert every["at_risk_total"] == 5
    assert 'href="?all=1#at-risk"' not in client.get(TODAY_URL + "?all=1").content.decode()


def test_the_oldest_unassigned_cases_are_shown_and_every_one_is_counted(
    client_for, coordinator_a, org_a, monkeypatch
):
    from ibasho.outreach.views import today as views

    monkeypatch.setattr(views, "AT_RISK_ROWS", 2)
    people = [make_person(org_a, None, f"担当なし{n}", opened_days_ago=10 + n) for n in range(4)]
    client = client_for(coordinator_a)
    response = client.get(TODAY_URL)
    overview = response.context["overview"]
    assert overview["unassigned_total"] == 4
    # The two opened longest ago, oldest first.
    assert [row.person_code for row in overview["unassigned"]] == [people[3].code, people[2].code]
    html = response.content.decode()
    assert 'href="?all=1#unassigned"' in html and "The 2 opened longest ago of 4 are shown." in html
    every = client.get(TODAY_URL + "?all=1").context["overview"]
    assert [row.person_code for row in every["unassigned"]] == [p.code for p in reversed(people)]


def test_the_overview_printed_once_for_its_data_is_never_stale(
    client_for, coordinator_a, worker_a, org_a
):
    lonely = make_person(org_a, None, "担当なし", opened_days_ago=3)
    client = client_for(coordinator_a)
    first = client.get(TODAY_URL)
    assert "担当なし" in first.content.decode()
    # The same data: the same HTML, kept under the same fingerprint.
    again = client.get(TODAY_URL)
    assert again.context["overview"]["fingerprint"] == first.context["overview"]["fingerprint"]
    assert again.content.decode().count("担当なし") == first.content.decode().count("担当なし")
    # A worker takes the case: the next view has other data, so other HTML.
    case = Case.objects.get(person=lonely)
    CaseAssignment.objects.create(organisation=org_a, case=case, worker=worker_a.user)
    after = client.get(TODAY_URL)
    assert after.context["overview"]["unassigned_total"] == 0
    assert "Every open case has a worker." in after.content.decode()


# Tables with no organisation of their own: the workers' names (staff belong to several
# organisations through memberships) and the open suspensions, a short list of every
# organisation's requests read once as a subquery.
SHARED_TABLES = {"accounts_user", "lifecycle_personrequest"}


def test_every_table_the_overview_joins_is_read_by_organisation(
    coordinator_a, worker_a, org_a, org_b
):
    """The overview's reads say on each table they join that its rows are the organisation's:
    PostgreSQL then reads them by the organisation's index, not every organisation's rows."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ibasho.outreach.models import OutreachSettings
    from ibasho.outreach.views.today import coordinator_overview

    make_person(org_a, None, "担当なし", opened_days_ago=100)
    make_person(org_a, worker_a, "久しく", opened_days_ago=100)
    config = OutreachSettings.for_organisation(org_a)
    with CaptureQueriesContext(connection) as captured:
        overview = coordinator_overview(coordinator_a, org_a.today(), config)
    assert overview["unassigned_total"] == 1 and overview["at_risk_total"] == 2
    reads = [q["sql"] for q in captured.captured_queries]
    # overdue by worker, quiet periods, unassigned, at risk, closures
    assert len(reads) == 5
    for sql in reads:
        tables = re.findall(r'(?:FROM|JOIN) "(\w+)"(?: (\w+))?', sql)
        for table, alias in tables:
            if table in SHARED_TABLES:
                continue
            name = alias if alias and alias not in ("ON", "WHERE", "INNER", "LEFT") else table
            assert re.search(rf'"?{name}"?\."organisation_id" = ', sql), (table, sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no round trips")
def test_on_postgresql_today_waits_for_the_database_a_few_times(
    client_for, coordinator_a, worker_a, org_a
):
    """The session; the user with their memberships; the page's reads with its panels' and
    the unread count; the coordinator's overview; the audit entry."""
    make_person(org_a, worker_a, "一人目", opened_days_ago=100)
    make_person(org_a, None, "担当なし", opened_days_ago=100)
    for member, trips in ((worker_a, 4), (coordinator_a, 5)):
        client = client_for(member)
        client.get(TODAY_URL)
        assert round_trips(client, TODAY_URL) == trips
