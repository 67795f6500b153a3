import datetime as dt

import pytest
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.outreach.models import Contact
from ibasho.programmes import services
from ibasho.programmes.models import Attendance, Enrolment, MeasurementPoint, Programme, Session
from ibasho.programmes.tests.factories import make_programme, make_session


class TestProgrammeList:
    def test_it_lists_own_programmes_with_free_places(
        self, client_for, worker_a, programme, enrolment, org_b, django_assert_num_queries
    ):
        make_programme(org_b, name_ja="他団体の会")
        for n in range(3):
            make_programme(programme.organisation, name_ja=f"会{n}")
        client = client_for(worker_a)
        client.get(reverse("programmes:programme_list"))  # warm the session
        with django_assert_num_queries(5):  # 4, and the unread notifications badge
            response = client.get(reverse("programmes:programme_list"))
        body = response.content.decode()
        assert "Wednesday ibasho" in body and "他団体の会" not in body
        free = {p.name_ja: p.free for p in response.context["programmes"]}
        assert free["水曜の居場所"] == 9

    def test_analyst_gets_404(self, client_for, analyst_a):
        assert client_for(analyst_a).get(reverse("programmes:programme_list")).status_code == 404


class TestProgrammeCreateEdit:
    data = {
        "kind": "peer_group",
        "name_ja": "夜のオンライン当事者会",
        "name_en": "Evening online peer group",
        "mode": "online",
        "audience": "person",
        "online_link": "https://meet.example.org/abc",
        "duration_minutes": 90,
        "starts_at": "19:30",
        "capacity": 8,
        "is_open": "on",
    }

    def test_coordinator_creates(self, client_for, coordinator_a):
        response = client_for(coordinator_a).post(reverse("programmes:programme_create"), self.data)
        programme = Programme.objects.get()
        assert response.status_code == 302 and programme.organisation == coordinator_a.organisation
        assert AuditEntry.objects.filter(action="programmes.programme.created").exists()

    def test_online_without_link_is_refused(self, client_for, coordinator_a):
        response = client_for(coordinator_a).post(
            reverse("programmes:programme_create"), {**self.data, "online_link": ""}
        )
        assert response.status_code == 200 and "online_link" in response.context["form"].errors
        assert not Programme.objects.exists()

    def test_worker_cannot_create_or_edit(self, client_for, worker_a, programme):
        client = client_for(worker_a)
        assert client.post(reverse("programmes:programme_create"), self.data).status_code == 404
        url = reverse("programmes:programme_edit", args=[programme.code])
        assert client.get(url).status_code == 404

    def test_outsider_cannot_edit(self, client_for, org_b, programme):
        from conftest import make_member

        outsider = make_member(org_b, "coordinator_b", "coordinator")
        url = reverse("programmes:programme_edit", args=[programme.code])
        assert client_for(outsider).post(url, self.data).status_code == 404
        programme.refresh_from_db()
        assert programme.name_ja == "水曜の居場所"


class TestProgrammeDetail:
    def test_it_shows_enrolled_attendance_and_free_places(
        self, client_for, worker_a, programme, session, enrolment
    ):
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        response = client_for(worker_a).get(
            reverse("programmes:programme_detail", args=[programme.code])
        )
        body = response.content.decode()
        assert response.context["free_places"] == 9
        assert enrolment.person.full_name in body
        assert response.context["chart"]["bars"][0]["height"] == 60
        assert "1 / 1" in body

    def test_outsider_gets_404(self, client_for, worker_b, programme):
        url = reverse("programmes:programme_detail", args=[programme.code])
        assert client_for(worker_b).get(url).status_code == 404


class TestSeasonAndCourse:
    def test_coordinator_adds_a_season(self, client_for, coordinator_a, programme):
        url = reverse("programmes:sessions_add", args=[programme.code])
        response = client_for(coordinator_a).post(
            url, {"first": "2026-04-08", "count": 10, "every_days": 7}
        )
        assert response.status_code == 302 and programme.sessions.count() == 10

    def test_outsider_cannot_add(self, client_for, org_b, programme):
        from conftest import make_member

        outsider = make_member(org_b, "coordinator_b", "coordinator")
        url = reverse("programmes:sessions_add", args=[programme.code])
        assert (
            client_for(outsider)
            .post(url, {"first": "2026-04-08", "count": 3, "every_days": 7})
            .status_code
            == 404
        )
        assert not Session.objects.exists()

    def test_coordinator_starts_a_craft_course(self, client_for, coordinator_a, org_a):
        course = make_programme(
            org_a, kind="family_course", course_template="craft", audience="family"
        )
        url = reverse("programmes:course_start", args=[course.code])
        assert client_for(coordinator_a).post(url, {"start": "2026-04-07"}).status_code == 302
        assert list(course.sessions.values_list("number", flat=True)) == list(range(1, 13))
        assert course.measurement_points.count() == 3

    def test_course_without_template_shows_the_reason(self, client_for, coordinator_a, programme):
        url = reverse("programmes:course_start", args=[programme.code])
        response = client_for(coordinator_a).post(url, {"start": "2026-04-07"})
        assert response.status_code == 200 and response.context["form"].errors
        assert not programme.sessions.exists()

    def test_outsider_cannot_start_a_course(self, client_for, worker_b, org_a):
        course = make_programme(org_a, kind="family_course", course_template="craft")
        url = reverse("programmes:course_start", args=[course.code])
        assert client_for(worker_b).post(url, {"start": "2026-04-07"}).status_code == 404


class TestEnrolViews:
    def test_worker_enrols_a_person(self, client_for, worker_a, programme, person_a):
        url = reverse("programmes:enrol", args=[programme.code])
        response = client_for(worker_a).post(url, {"person": person_a.code})
        assert response.status_code == 302
        assert Enrolment.objects.get().person == person_a

    def test_full_programme_shows_why(self, client_for, worker_a, org_a, person_a):
        full = make_programme(org_a, capacity=0)
        response = client_for(worker_a).post(
            reverse("programmes:enrol", args=[full.code]), {"person": person_a.code}
        )
        assert response.status_code == 200 and "full" in response.content.decode()
        assert not Enrolment.objects.exists()

    def test_outsider_cannot_enrol_or_leave(
        self, client_for, worker_b, programme, person_a, enrolment
    ):
        client = client_for(worker_b)
        assert (
            client.post(
                reverse("programmes:enrol", args=[programme.code]), {"person": person_a.code}
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("programmes:enrolment_leave", args=[enrolment.code]), {"confirmed": "yes"}
            ).status_code
            == 404
        )
        enrolment.refresh_from_db()
        assert enrolment.left_on is None

    def test_worker_ends_an_enrolment_after_confirming(self, client_for, worker_a, enrolment):
        url = reverse("programmes:enrolment_leave", args=[enrolment.code])
        asked = client_for(worker_a).post(url)
        assert asked.status_code == 200
        page = asked.content.decode()
        assert 'name="confirmed" value="yes"' in page and 'class="danger"' in page
        enrolment.refresh_from_db()
        assert enrolment.left_on is None
        response = client_for(worker_a).post(url, {"confirmed": "yes"}, follow=True)
        enrolment.refresh_from_db()
        assert enrolment.left_on is not None
        assert "Taking part has ended." in response.content.decode()

    def test_the_leave_button_asks_first(self, client_for, worker_a, enrolment):
        page = client_for(worker_a).get(
            reverse("programmes:programme_detail", args=[enrolment.programme.code])
        )
        html = page.content.decode()
        assert "data-confirm=" in html and 'class="danger"' in html
        assert 'class="link" type="submit">Leave' not in html


class TestAttendanceViews:
    def test_session_page_lists_participants(self, client_for, worker_a, session, enrolment):
        response = client_for(worker_a).get(
            reverse("programmes:session_detail", args=[session.code])
        )
        assert response.status_code == 200
        assert [r["enrolment"] for r in response.context["rows"]] == [enrolment]
        assert AuditEntry.objects.filter(action="programmes.session.viewed").exists()

    def test_recording_by_htmx_returns_the_row(self, client_for, worker_a, session, enrolment):
        url = reverse("programmes:attendance_record", args=[session.code, enrolment.code])
        response = client_for(worker_a).post(url, {"status": "camera_off"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert 'data-status="camera_off"' in response.content.decode()
        assert Attendance.objects.get().status == "camera_off"
        assert Contact.objects.get().duration_minutes == 120

    def test_bad_input_is_explained_and_changes_nothing(
        self, client_for, worker_a, session, enrolment
    ):
        url = reverse("programmes:attendance_record", args=[session.code, enrolment.code])
        response = client_for(worker_a).post(url, {"status": "part"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 422 and "minutes" in response.content.decode()
        assert not Attendance.objects.exists()

    def test_plain_post_redirects(self, client_for, worker_a, session, enrolment):
        url = reverse("programmes:attendance_record", args=[session.code, enrolment.code])
        assert client_for(worker_a).post(url, {"status": "absent"}).status_code == 302
        assert Attendance.objects.get().status == "absent"

    def test_outsider_gets_404(self, client_for, worker_b, session, enrolment):
        client = client_for(worker_b)
        assert (
            client.get(reverse("programmes:session_detail", args=[session.code])).status_code == 404
        )
        url = reverse("programmes:attendance_record", args=[session.code, enrolment.code])
        assert client.post(url, {"status": "attended"}).status_code == 404
        assert (
            client.get(reverse("programmes:session_edit", args=[session.code])).status_code == 404
        )
        assert not Attendance.objects.exists()

    def test_a_note_saved_on_its_own_keeps_the_status(
        self, client_for, worker_a, session, enrolment
    ):
        url = reverse("programmes:attendance_record", args=[session.code, enrolment.code])
        client = client_for(worker_a)
        client.post(url, {"status": "absent", "note": ""}, HTTP_HX_REQUEST="true")
        response = client.post(
            url, {"save": "note", "note": "風邪で休むと連絡あり", "minutes": ""},
            HTTP_HX_REQUEST="true",
        )  # fmt: skip
        assert response.status_code == 200
        attendance = Attendance.objects.get()
        assert (attendance.status, attendance.minutes) == ("absent", 0)
        assert attendance.note == "風邪で休むと連絡あり"
        assert not Contact.objects.exists()
        assert 'data-status="absent"' in response.content.decode()

    def test_a_status_and_the_note_typed_with_it_are_saved_together(
        self, client_for, worker_a, session, enrolment
    ):
        url = reverse("programmes:attendance_record", args=[session.code, enrolment.code])
        client_for(worker_a).post(
            url, {"status": "part", "minutes": "45", "note": "途中から参加"}, HTTP_HX_REQUEST="true"
        )
        attendance = Attendance.objects.get()
        assert (attendance.status, attendance.minutes, attendance.note) == (
            "part",
            45,
            "途中から参加",
        )

    def test_a_note_before_any_status_is_refused_and_kept_on_screen(
        self, client_for, worker_a, session, enrolment
    ):
        url = reverse("programmes:attendance_record", args=[session.code, enrolment.code])
        response = client_for(worker_a).post(
            url, {"save": "note", "note": "先に書いたメモ"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 422
        assert 'value="先に書いたメモ"' in response.content.decode()
        assert not Attendance.objects.exists()

    def test_enter_in_the_note_submits_the_note_not_a_status(
        self, client_for, worker_a, session, enrolment
    ):
        """Pressing Enter in a field submits the form with its first submit button."""
        import re

        html = (
            client_for(worker_a)
            .get(reverse("programmes:session_detail", args=[session.code]))
            .content.decode()
        )
        row = html[html.index(f'id="row-{enrolment.code}"') :]
        first = re.search(r"<button[^>]*>", row)
        assert first is not None
        assert 'name="save"' in first.group(0) and 'value="note"' in first.group(0)

    def test_a_session_moved_into_the_future_after_attendance_is_refused(
        self, client_for, worker_a, session, enrolment
    ):
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        url = reverse("programmes:session_edit", args=[session.code])
        later = dt.date.today() + dt.timedelta(days=30)
        data = {"date": later.isoformat(), "starts_at": "13:00", "duration_minutes": 120}
        response = client_for(worker_a).post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
        session.refresh_from_db()
        assert session.date == dt.date(2026, 5, 13)

    def test_editing_the_date_moves_contacts(self, client_for, worker_a, session, enrolment):
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        url = reverse("programmes:session_edit", args=[session.code])
        data = {
            "date": "2026-05-14",
            "starts_at": "13:00",
            "duration_minutes": 120,
            "topic": "料理",
            "homework": "",
        }
        assert client_for(worker_a).post(url, data).status_code == 302
        session.refresh_from_db()
        assert Contact.objects.get().occurred_at == session.starts()


class TestMeasurement:
    def test_marking_done(self, client_for, worker_a, org_a, worker_b):
        course = make_programme(org_a, kind="family_course", course_template="weekly_5")
        services.start_family_course(course, start=dt.date(2026, 4, 7), by=worker_a.user)
        point = MeasurementPoint.objects.get(programme=course, kind="before")
        url = reverse("programmes:measurement_done", args=[point.code])
        assert client_for(worker_b).post(url).status_code == 404
        point.refresh_from_db()
        assert point.done_on is None
        assert client_for(worker_a).post(url).status_code == 302
        point.refresh_from_db()
        assert point.done_on is not None


class TestMenu:
    def test_it_shows_only_what_fits(self, client_for, worker_a, person_a, org_a):
        make_programme(org_a, name_ja="昼の居場所")
        make_programme(
            org_a,
            name_ja="夜のオンライン会",
            mode="online",
            online_link="https://x.example",
            starts_at=dt.time(19, 0),
        )
        make_programme(org_a, name_ja="女性の会", women_only=True, starts_at=dt.time(19, 0))
        url = reverse("programmes:menu", args=[person_a.code])
        response = client_for(worker_a).get(url, {"online_only": "on", "evening": "on"})
        assert [p.name_ja for p in response.context["programmes"]] == ["夜のオンライン会"]
        # person_a is a man: a women-only group is not offered even without filters
        everything = client_for(worker_a).get(url)
        assert "女性の会" not in [p.name_ja for p in everything.context["programmes"]]
        assert AuditEntry.objects.filter(
            action="programmes.menu.viewed", person_code=person_a.code
        ).exists()

    def test_outsider_gets_404(self, client_for, worker_b, person_a):
        assert (
            client_for(worker_b).get(reverse("programmes:menu", args=[person_a.code])).status_code
            == 404
        )


# Same count for one participant or five: no query per row.
# The audit entry takes the organisation from the reader's membership: no query for it.
# One each for the unread notifications badge.
QUERIES = {"session": 8, "programme": 9}


@pytest.mark.parametrize("participants", [1, 5])
def test_session_and_programme_pages_have_a_fixed_query_count(
    client_for, worker_a, org_a, programme, session, participants, django_assert_num_queries
):
    from ibasho.people.models import Person

    for n in range(participants):
        person = Person.objects.create(
            organisation=org_a, family_name=f"参加{n}", family_name_kana="さんか"
        )
        enrolment = services.enrol(programme, person=person, by=worker_a.user)
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
    make_session(programme, dt.date(2026, 5, 20))
    client = client_for(worker_a)
    client.get(reverse("programmes:session_detail", args=[session.code]))
    with django_assert_num_queries(QUERIES["session"]):
        client.get(reverse("programmes:session_detail", args=[session.code]))
    with django_assert_num_queries(QUERIES["programme"]):
        client.get(reverse("programmes:programme_detail", args=[programme.code]))
