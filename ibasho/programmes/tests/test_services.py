import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ibasho.audit.models import AuditEntry
from ibasho.outreach.models import Contact, ContactRevision, OutreachPlan
from ibasho.outreach.tests.replay import assert_plans_equal_replay
from ibasho.people.models import FamilyMember, Household, Person
from ibasho.programmes import services
from ibasho.programmes.models import Attendance, Enrolment, MeasurementPoint, Programme
from ibasho.programmes.tests.factories import make_programme, make_session


@pytest.fixture
def programme(org_a):
    return make_programme(org_a, capacity=2)


@pytest.fixture
def mother(person_a):
    return person_a.household.members.get(relationship=FamilyMember.Relationship.MOTHER)


def another_person(org, name="佐藤"):
    return Person.objects.create(organisation=org, family_name=name, family_name_kana="さとう")


class TestEnrol:
    def test_it_enrols_and_audits(self, programme, person_a, worker_a):
        enrolment = services.enrol(programme, person=person_a, by=worker_a.user)
        assert enrolment.person == person_a and enrolment.family_member is None
        assert AuditEntry.objects.filter(
            action="programmes.enrolment.created", person_code=person_a.code
        ).exists()

    def test_a_family_member_enrols_on_the_persons_behalf(
        self, programme, person_a, mother, worker_a
    ):
        enrolment = services.enrol(
            programme, person=person_a, family_member=mother, by=worker_a.user
        )
        assert enrolment.is_family
        # the person may take part too: a separate place
        services.enrol(programme, person=person_a, by=worker_a.user)
        assert programme.enrolments.current().count() == 2

    def test_a_full_programme_refuses(self, programme, person_a, org_a, worker_a):
        services.enrol(programme, person=person_a, by=worker_a.user)
        services.enrol(programme, person=another_person(org_a), by=worker_a.user)
        with pytest.raises(ValidationError, match="full"):
            services.enrol(programme, person=another_person(org_a, "鈴木"), by=worker_a.user)
        assert programme.enrolments.count() == 2

    def test_leaving_frees_the_place(self, programme, person_a, org_a, worker_a):
        first = services.enrol(programme, person=person_a, by=worker_a.user)
        services.enrol(programme, person=another_person(org_a), by=worker_a.user)
        services.leave_programme(first, by=worker_a.user)
        services.enrol(programme, person=another_person(org_a, "鈴木"), by=worker_a.user)
        assert programme.enrolments.current().count() == 2

    def test_closed_and_duplicate_are_refused(self, programme, person_a, worker_a):
        services.enrol(programme, person=person_a, by=worker_a.user)
        with pytest.raises(ValidationError, match="Already enrolled"):
            services.enrol(programme, person=person_a, by=worker_a.user)
        programme.is_open = False
        programme.save()
        with pytest.raises(ValidationError, match="not open"):
            services.enrol(programme, person=person_a, by=worker_a.user)

    def test_family_member_from_another_household_is_refused(
        self, programme, person_a, org_a, worker_a
    ):
        other = Household.objects.create(organisation=org_a, name="田中家")
        stranger = FamilyMember.objects.create(
            organisation=org_a,
            household=other,
            name="田中花子",
            relationship=FamilyMember.Relationship.MOTHER,
        )
        with pytest.raises(ValidationError) as caught:
            services.enrol(programme, person=person_a, family_member=stranger, by=worker_a.user)
        assert "family_member" in caught.value.error_dict
        assert not Enrolment.objects.exists()

    def test_another_organisations_person_is_refused(self, programme, org_b, worker_a):
        with pytest.raises(ValidationError, match="organisation"):
            services.enrol(programme, person=another_person(org_b), by=worker_a.user)


class TestAttendance:
    @pytest.fixture
    def session(self, programme):
        return make_session(programme, dt.date(2026, 5, 13), starts_at=dt.time(13, 0))

    @pytest.fixture
    def enrolment(self, programme, person_a, worker_a):
        return services.enrol(programme, person=person_a, by=worker_a.user)

    @pytest.mark.parametrize(
        ("status", "minutes", "expected"),
        [
            (Attendance.Status.ATTENDED, None, 120),
            (Attendance.Status.CAMERA_OFF, None, 120),
            (Attendance.Status.PART, 45, 45),
            (Attendance.Status.ATTENDED, 150, 150),
        ],
    )
    def test_attending_is_two_way_contact_time(
        self, session, enrolment, worker_a, status, minutes, expected
    ):
        attendance = services.record_attendance(
            session, enrolment, status=status, minutes=minutes, by=worker_a.user
        )
        contact = Contact.objects.get(person=enrolment.person)
        assert attendance.contact == contact
        assert contact.is_two_way()
        assert contact.duration_minutes == attendance.minutes == expected
        assert (contact.channel, contact.reached, contact.outcome) == (
            "group_session",
            "person",
            "attended",
        )
        assert contact.occurred_at == session.starts()

    def test_absence_counts_nothing(self, session, enrolment, worker_a):
        attendance = services.record_attendance(
            session, enrolment, status="absent", by=worker_a.user
        )
        assert attendance.minutes == 0 and attendance.contact is None
        assert not Contact.objects.exists()

    def test_changes_keep_the_contact_in_step(self, session, enrolment, worker_a):
        first = services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        contact_id = first.contact_id
        services.record_attendance(session, enrolment, status="part", minutes=30, by=worker_a.user)
        assert Contact.objects.get().pk == contact_id
        assert Contact.objects.get().duration_minutes == 30
        services.record_attendance(session, enrolment, status="absent", by=worker_a.user)
        assert not Contact.objects.exists()
        assert Attendance.objects.get().contact is None
        again = services.record_attendance(
            session, enrolment, status="camera_off", by=worker_a.user
        )
        assert Contact.objects.get().duration_minutes == 120 == again.minutes
        assert Attendance.objects.count() == 1
        actions = list(AuditEntry.objects.values_list("action", flat=True))
        for action in (
            "outreach.contact.changed",
            "outreach.contact.withdrawn",
            "programmes.attendance.recorded",
        ):
            assert action in actions

    def test_total_two_way_minutes_add_up_over_sessions(self, programme, enrolment, worker_a):
        statuses = [("attended", None), ("part", 50), ("absent", None), ("camera_off", None)]
        for week, (status, minutes) in enumerate(statuses):
            session = make_session(programme, dt.date(2026, 5, 6) + dt.timedelta(weeks=week))
            services.record_attendance(
                session, enrolment, status=status, minutes=minutes, by=worker_a.user
            )
        two_way = [c for c in Contact.objects.filter(person=enrolment.person) if c.is_two_way()]
        assert sum(c.duration_minutes for c in two_way) == 120 + 50 + 120

    def test_a_family_members_attendance_is_family_time(
        self, session, programme, person_a, mother, worker_a
    ):
        enrolment = services.enrol(
            programme, person=person_a, family_member=mother, by=worker_a.user
        )
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        contact = Contact.objects.get()
        assert (contact.reached, contact.family_member) == ("family", mother)
        assert not contact.is_two_way()

    @pytest.mark.parametrize(
        ("status", "minutes", "field"),
        [
            ("part", None, "minutes"),
            ("attended", 0, "minutes"),
            ("attended", 1441, "minutes"),
            ("late", None, "status"),
        ],
    )
    def test_bad_input_changes_nothing(self, session, enrolment, worker_a, status, minutes, field):
        with pytest.raises(ValidationError) as caught:
            services.record_attendance(
                session, enrolment, status=status, minutes=minutes, by=worker_a.user
            )
        assert field in caught.value.error_dict
        assert not Attendance.objects.exists() and not Contact.objects.exists()

    def test_an_enrolment_in_another_programme_is_refused(self, session, org_a, person_a, worker_a):
        other = services.enrol(
            make_programme(org_a, name_ja="別"), person=person_a, by=worker_a.user
        )
        with pytest.raises(ValidationError, match="not enrolled"):
            services.record_attendance(session, other, status="attended", by=worker_a.user)

    def test_moving_a_session_moves_its_contacts(self, session, enrolment, worker_a):
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        session.date = dt.date(2026, 5, 20)
        session.save()
        assert services.reschedule_contacts(session, by=worker_a.user) == 1
        assert Contact.objects.get().occurred_at == session.starts()

    def test_absent_after_attended_takes_the_two_way_contact_off_the_plan(
        self, session, enrolment, worker_a
    ):
        person = enrolment.person
        plan = OutreachPlan.objects.get(case__person=person)
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        plan.refresh_from_db()
        assert plan.last_two_way_on == session.date
        services.record_attendance(session, enrolment, status="absent", by=worker_a.user)
        plan.refresh_from_db()
        assert (plan.last_contact_on, plan.last_two_way_on) == (None, None)
        assert_plans_equal_replay(person)

    def test_a_withdrawn_attendance_contact_leaves_its_previous_version(
        self, session, enrolment, worker_a
    ):
        from ibasho.outreach.models import WithdrawnContact

        first = services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        code = first.contact.code
        services.record_attendance(session, enrolment, status="absent", by=worker_a.user)
        trace = WithdrawnContact.objects.get()
        assert (trace.contact_code, trace.person, trace.withdrawn_by) == (
            code,
            enrolment.person,
            worker_a.user,
        )
        assert trace.reason == "programmes.attendance.absent"
        assert trace.previous_values()["duration_minutes"] == 120
        entry = AuditEntry.objects.get(action="outreach.contact.withdrawn")
        assert entry.target_code == str(code) and entry.actor == worker_a.user

    def test_changing_minutes_goes_through_the_contact_edit(self, session, enrolment, worker_a):
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        services.record_attendance(session, enrolment, status="part", minutes=40, by=worker_a.user)
        revision = ContactRevision.objects.get()
        assert revision.changed_fields == ["duration_minutes"]
        assert revision.previous_values()["duration_minutes"] == 120
        assert_plans_equal_replay(enrolment.person)

    def test_attendance_recorded_by_someone_who_has_left_can_be_corrected(
        self, session, enrolment, worker_a, coordinator_a
    ):
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        worker_a.is_active = False
        worker_a.save()
        services.record_attendance(
            session, enrolment, status="part", minutes=60, by=coordinator_a.user
        )
        assert Contact.objects.get().duration_minutes == 60

    def test_moving_a_session_moves_the_plan_with_its_contacts(self, session, enrolment, worker_a):
        services.record_attendance(session, enrolment, status="attended", by=worker_a.user)
        session.date = dt.date(2026, 5, 20)
        session.save()
        services.reschedule_contacts(session, by=worker_a.user)
        plan = OutreachPlan.objects.get(case__person=enrolment.person)
        assert plan.last_two_way_on == dt.date(2026, 5, 20)
        assert ContactRevision.objects.get().changed_fields == ["occurred_at"]
        assert_plans_equal_replay(enrolment.person)

    def test_a_note_is_saved_on_its_own_and_never_changes_the_status(
        self, session, enrolment, worker_a
    ):
        services.record_attendance(session, enrolment, status="absent", by=worker_a.user)
        attendance = services.save_attendance_note(
            session, enrolment, note="体調不良で欠席と連絡あり", by=worker_a.user
        )
        attendance.refresh_from_db()
        assert (attendance.status, attendance.minutes, attendance.contact) == ("absent", 0, None)
        assert attendance.note == "体調不良で欠席と連絡あり"
        assert not Contact.objects.exists()
        entry = AuditEntry.objects.filter(action="programmes.attendance.recorded").first()
        assert entry is not None and entry.fields == ["note"]

    def test_a_note_needs_an_attendance_first(self, session, enrolment, worker_a):
        with pytest.raises(ValidationError) as caught:
            services.save_attendance_note(session, enrolment, note="メモ", by=worker_a.user)
        assert "status" in caught.value.error_dict
        assert not Attendance.objects.exists()


class TestSessions:
    def test_a_season_of_sessions(self, programme, worker_a):
        sessions = services.add_sessions(
            programme, first=dt.date(2026, 4, 8), count=4, every_days=7, by=worker_a.user
        )
        assert [s.date for s in sessions] == [dt.date(2026, 4, d) for d in (8, 15, 22, 29)]
        assert {(s.starts_at, s.duration_minutes) for s in sessions} == {(dt.time(13, 0), 120)}

    @pytest.mark.parametrize(
        ("count", "every", "field"), [(0, 7, "count"), (61, 7, "count"), (3, 0, "every_days")]
    )
    def test_bad_season_is_refused(self, programme, worker_a, count, every, field):
        with pytest.raises(ValidationError) as caught:
            services.add_sessions(
                programme,
                first=dt.date(2026, 4, 8),
                count=count,
                every_days=every,
                by=worker_a.user,
            )
        assert field in caught.value.error_dict
        assert not programme.sessions.exists()

    @pytest.mark.parametrize(
        ("template", "count", "minutes", "last"),
        [
            ("craft", 12, 90, dt.date(2026, 6, 23)),
            ("weekly_5", 5, 120, dt.date(2026, 5, 5)),
            ("fortnightly_3", 3, 180, dt.date(2026, 5, 5)),
        ],
    )
    def test_family_course_from_template(self, org_a, worker_a, template, count, minutes, last):
        course = make_programme(
            org_a,
            kind=Programme.Kind.FAMILY_COURSE,
            course_template=template,
            audience=Programme.Audience.FAMILY,
        )
        sessions = services.start_family_course(course, start=dt.date(2026, 4, 7), by=worker_a.user)
        assert [s.number for s in sessions] == list(range(1, count + 1))
        assert {s.duration_minutes for s in sessions} == {minutes}
        assert sessions[-1].date == last
        points = MeasurementPoint.objects.filter(programme=course)
        assert [p.kind for p in points] == ["before", "after", "follow_up"]
        assert points.get(kind="after").due_on == last
        with pytest.raises(ValidationError, match="already has sessions"):
            services.start_family_course(course, start=dt.date(2026, 9, 1), by=worker_a.user)

    def test_a_course_needs_a_template(self, programme, worker_a):
        with pytest.raises(ValidationError) as caught:
            services.start_family_course(programme, start=dt.date(2026, 4, 7), by=worker_a.user)
        assert "course_template" in caught.value.error_dict


@pytest.mark.django_db
def test_attendance_waits_for_the_session_to_start(programme, enrolment, worker_a):
    later = make_session(programme, dt.date.today() + dt.timedelta(days=7))
    with pytest.raises(ValidationError, match="once the session has started"):
        services.record_attendance(later, enrolment, status="attended", by=worker_a.user)
    assert not Attendance.objects.exists() and not Contact.objects.exists()
    absent = services.record_attendance(later, enrolment, status="absent", by=worker_a.user)
    assert absent.minutes == 0
