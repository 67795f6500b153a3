import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.outreach import services, trust
from ibasho.outreach.models import CloseReason, Closure, Contact, ContactRevision, Stage
from ibasho.outreach.views import person as views

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached


def detail(person):
    return reverse("people:person_records", args=[person.code])


def add_history(person, user, weeks: int) -> None:
    for n in range(weeks):
        services.record_contact(
            person,
            by=user,
            channel=C.DOOR_VISIT,
            reached=R.PERSON,
            outcome=OC.FACE_TO_FACE,
            duration_minutes=60,
            occurred_at=timezone.now() - dt.timedelta(days=7 * n + 1),
        )


def test_trust_panel_shows_hours_consistency_and_chart(client_for, worker_a, person_a):
    services.record_contact(
        person_a,
        by=worker_a.user,
        channel=C.LETTER,
        outcome=OC.LETTER_LEFT,
        occurred_at=timezone.now() - dt.timedelta(days=200),
    )
    add_history(person_a, worker_a.user, 3)
    response = client_for(worker_a).get(detail(person_a))
    panel = next(p["context"] for p in response.context["panels"] if p["name"] == "outreach")
    assert panel["trust"].two_way_hours == 3
    assert panel["trust"].consistent_weeks == 3
    assert panel["trust"].first_response.attempts == 1
    assert panel["progress_percent"] == 15
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html


def test_stage_history_shows_a_step_back_neutrally(client_for, worker_a, person_a):
    today = person_a.organisation.today()
    for offset, stage in enumerate([Stage.GROUP, Stage.INDIVIDUAL_FACE_TO_FACE]):
        services.change_stage(
            person_a, stage=stage, on=today - dt.timedelta(days=5 - offset), by=worker_a.user
        )
    html = client_for(worker_a).get(detail(person_a)).content.decode()
    assert "Group / ibasho → Individual support (face to face)" in html
    assert "fail" not in html.lower()


def test_outreach_panel_queries_are_pinned(rf, worker_a, person_a, django_assert_num_queries):
    add_history(person_a, worker_a.user, 30)
    request = rf.get("/")
    request.user, request.membership = worker_a.user, worker_a
    # trust totals, hours by month and week, plans, cadences, quiet periods, pending
    # closures, stages, unread handovers, recent contacts: the same nine however long the
    # history
    with django_assert_num_queries(9):
        panel = views.person_panel(request, person_a)
    assert panel is not None and panel["trust"].two_way_hours == 30


def test_person_page_query_count_does_not_grow_with_history(client_for, worker_a, person_a):
    client = client_for(worker_a)
    add_history(person_a, worker_a.user, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(detail(person_a))
    add_history(person_a, worker_a.user, 30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(detail(person_a))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_outsider_gets_404_on_every_outreach_page(client_for, worker_a, worker_b, person_a):
    contact = services.record_contact(
        person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT
    )
    case = person_a.cases.get()
    client = client_for(worker_b)
    urls = [
        reverse("outreach:contact_list", args=[person_a.code]),
        reverse("outreach:contact_create", args=[person_a.code]),
        reverse("outreach:stage_change", args=[person_a.code]),
        reverse("outreach:contact_detail", args=[contact.code]),
        reverse("outreach:contact_edit", args=[contact.code]),
        reverse("outreach:plan_edit", args=[case.code]),
        reverse("outreach:quiet_create", args=[case.code]),
        reverse("outreach:closure_request", args=[case.code]),
        reverse("outreach:case_reopen", args=[case.code]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert Contact.objects.count() == 1


def test_recording_a_contact_from_the_form(client_for, worker_a, person_a):
    response = client_for(worker_a).post(
        reverse("outreach:contact_create", args=[person_a.code]),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": C.DOOR_VISIT,
            "direction": "outreach",
            "reached": R.PERSON,
            "outcome": OC.FACE_TO_FACE,
            "duration_minutes": 45,
            "note": "玄関で45分",
            "next_step": "来週また",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.duration_minutes == 45 and contact.is_two_way()


def test_a_bad_form_says_which_field_and_saves_nothing(client_for, worker_a, person_a):
    response = client_for(worker_a).post(
        reverse("outreach:contact_create", args=[person_a.code]),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": C.DOOR_VISIT,
            "direction": "outreach",
            "reached": R.NOBODY,
            "outcome": OC.FACE_TO_FACE,
            "duration_minutes": 45,
        },
    )
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_edit_history_is_shown_and_delete_is_for_admins(client_for, worker_a, admin_a, person_a):
    contact = services.record_contact(
        person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT, duration_minutes=10
    )
    client = client_for(worker_a)
    data = {
        "occurred_at": timezone.localtime(contact.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "channel": C.LETTER,
        "direction": "outreach",
        "reached": R.NOBODY,
        "outcome": OC.LETTER_LEFT,
        "duration_minutes": 25,
    }
    assert (
        client.post(reverse("outreach:contact_edit", args=[contact.code]), data).status_code == 302
    )
    assert ContactRevision.objects.get().changed_fields == ["duration_minutes"]
    page = client.get(reverse("outreach:contact_detail", args=[contact.code])).content.decode()
    assert "Edit history" in page and "duration_minutes" in page
    delete_url = reverse("outreach:contact_delete", args=[contact.code])
    assert client.post(delete_url).status_code == 404
    assert client_for(admin_a).post(delete_url).status_code == 302
    assert not Contact.objects.exists()
    assert AuditEntry.objects.filter(action="outreach.contact.deleted").exists()


def test_closure_approval_from_the_person_page(client_for, worker_a, coordinator_a, person_a):
    case = person_a.cases.get()
    add_history(person_a, worker_a.user, 1)  # answered last week: one approval is enough
    response = client_for(worker_a).post(
        reverse("outreach:closure_request", args=[case.code]), {"reason": CloseReason.MOVED_AWAY}
    )
    assert response.status_code == 302
    closure = Closure.objects.get()
    decide = reverse("outreach:closure_detail", args=[closure.code])
    assert decide in client_for(coordinator_a).get(detail(person_a)).content.decode()
    assert client_for(worker_a).post(decide, {"decision": "approve"}).status_code == 404
    assert client_for(coordinator_a).post(decide, {"decision": "approve"}).status_code == 302
    case.refresh_from_db()
    assert not case.is_open


def test_no_response_is_not_offered_as_a_close_reason(client_for, worker_a, person_a):
    case = person_a.cases.get()
    response = client_for(worker_a).post(
        reverse("outreach:closure_request", args=[case.code]), {"reason": "no_response"}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert 'value="no_response"' not in response.content.decode()


def test_outsider_gets_404_on_actions(client_for, worker_a, coordinator_a, worker_b, person_a):
    plan = person_a.cases.get().outreach_plan
    today = person_a.organisation.today()
    quiet = services.start_quiet_period(
        plan, until=today + dt.timedelta(days=30), continuing=[], note="", by=worker_a.user
    )
    closure = services.request_closure(
        person_a.cases.get(), reason=CloseReason.MOVED_AWAY, by=worker_a.user
    )
    [handover] = services.hand_over(
        [services.HandoverItem(person_a.cases.get(), coordinator_a.user, "note")],
        from_worker=worker_a.user,
        by=coordinator_a.user,
    )
    outsider = client_for(worker_b)
    for url in (
        reverse("outreach:quiet_end", args=[quiet.code]),
        reverse("outreach:closure_detail", args=[closure.code]),
        reverse("outreach:handover_seen", args=[handover.code]),
    ):
        answer = outsider.post(url, {"decision": "approve", "confirmed": "yes"})
        assert answer.status_code == 404, url
    quiet.refresh_from_db()
    closure.refresh_from_db()
    handover.refresh_from_db()
    assert quiet.ended_on is None and closure.status == Closure.Status.PENDING
    assert handover.seen_at is None


def test_trust_sums_from_the_database_match_the_pure_figures_at_window_edges(worker_a, person_a):
    zone = person_a.organisation.zone
    today = person_a.organisation.today()
    first_month = trust.month_starts(today, zone)[0]
    oldest_week = trust.week_starts(today, zone)[-2]
    edges = [first_month, oldest_week, trust.week_starts(today, zone)[0]]
    mother = person_a.household.members.get(relationship="mother")
    for at in [t + dt.timedelta(seconds=s) for t in edges for s in (-1, 0)]:
        for reached, outcome, member in [
            (R.PERSON, OC.FACE_TO_FACE, None),
            (R.FAMILY, OC.SPOKE_BY_PHONE, mother),
        ]:
            services.record_contact(
                person_a, by=worker_a.user, channel=C.PHONE, reached=reached,
                outcome=outcome, duration_minutes=30, occurred_at=at, family_member=member,
            )  # fmt: skip
    pure = trust.summarise(services.person_history(person_a).records, today, zone)
    assert services.trust_summary(person_a, today) == pure
    assert pure.months[0].two_way_hours == 0.5 and pure.consistent_weeks == 3
