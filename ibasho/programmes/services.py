"""Writes to programmes: enrolment, sessions and attendance, each atomic and audited.

Attendance is two-way contact time with the person, so every attendance that counts has a
contact-log entry, created, changed and withdrawn together with it, always through the
outreach services (the only writer of contacts)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.audit.services import record_audit
from ibasho.outreach.models import Contact
from ibasho.outreach.services import sync_contact, withdraw_contact
from ibasho.people.choices import refuse_if_gone
from ibasho.programmes.courses import TEMPLATES, lay_out
from ibasho.programmes.models import Attendance, Enrolment, MeasurementPoint, Programme, Session

MAX_MINUTES = 24 * 60


@transaction.atomic
def enrol(programme: Programme, *, person: Any, family_member: Any = None, by: Any) -> Enrolment:
    """Enrol a person, or a family member on the person's behalf, in a programme."""
    if not programme.is_open:
        raise ValidationError(_("This programme is not open for enrolment."))
    if person.organisation_id != programme.organisation_id:
        raise ValidationError(_("This person is not in the programme's organisation."))
    if family_member is not None and (
        person.household_id is None or family_member.household_id != person.household_id
    ):
        raise ValidationError(
            {"family_member": _("This family member is not in the person's household.")}
        )
    refuse_if_gone(family_member, programme.organisation.today())
    current = Enrolment.objects.filter(programme=programme, left_on__isnull=True)
    # Lock the programme row so that two workers cannot take the last place together.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if programme.free_places(current.count()) == 0:
        raise ValidationError(_("This programme is full."))
    if current.filter(person=person, family_member=family_member).exists():
        raise ValidationError(_("Already enrolled."))
    enrolment = Enrolment.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        person=person,
        family_member=family_member,
    )
    record_audit(
        "programmes.enrolment.created",
        by=by,
        target=enrolment,
        person=person,
    )
    return enrolment


@transaction.atomic
def leave_programme(enrolment: Enrolment, *, by: Any, on: dt.date | None = None) -> Enrolment:
    if enrolment.left_on is None:
        enrolment.left_on = on or enrolment.organisation.today()
        enrolment.save(update_fields=["left_on", "updated_at"])
        record_audit(
            "programmes.enrolment.ended",
            by=by,
            target=enrolment,
            person=enrolment.person,
            fields=["left_on"],
        )
    return enrolment


@transaction.atomic
def add_sessions(
    programme: Programme, *, first: dt.date, count: int, every_days: int, by: Any
) -> list[Session]:
    """A season of sessions on the programme's usual time, `every_days` apart."""
    if not 1 <= count <= 60:
        raise ValidationError({"count": _("Between 1 and 60 sessions at a time.")})
    if not 1 <= every_days <= 366:
        raise ValidationError({"every_days": _("Between 1 and 366 days apart.")})
    sessions = [
        _new_session(
            programme, first + dt.timedelta(days=n * every_days), programme.duration_minutes
        )
        for n in range(count)
    ]
    record_audit(
        "programmes.sessions.added",
        by=by,
        target=programme,
        fields=["sessions"],
    )
    return sessions


@transaction.atomic
def start_family_course(programme: Programme, *, start: dt.date, by: Any) -> list[Session]:
    """Numbered sessions and measurement points from the programme's course template."""
    template = TEMPLATES.get(programme.course_template)
    if template is None:
        raise ValidationError({"course_template": _("Choose a course template first.")})
    if programme.sessions.exists():
        raise ValidationError(_("This course already has sessions."))
    plan = lay_out(template, start)
    sessions = [_new_session(programme, s.on, s.minutes, number=s.number) for s in plan.sessions]
    MeasurementPoint.objects.bulk_create(
        MeasurementPoint(
            organisation_id=programme.organisation_id,
            programme=programme,
            kind=point.kind,
            due_on=point.due_on,
            window_start=point.window_start,
            window_end=point.window_end,
        )
        for point in plan.measurements
    )
    record_audit(
        "programmes.course.started",
        by=by,
        target=programme,
        fields=["sessions", "measurement_points"],
    )
    return sessions


def _new_session(
    programme: Programme, day: dt.date, minutes: int, number: int | None = None
) -> Session:
    return Session.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        number=number,
        date=day,
        starts_at=programme.starts_at,
        duration_minutes=minutes,
        online=programme.mode == Programme.Mode.ONLINE,
    )


@transaction.atomic
def record_attendance(
    session: Session,
    enrolment: Enrolment,
    *,
    status: str,
    by: Any,
    minutes: int | None = None,
    note: str | None = None,
) -> Attendance:
    """Record (or change) one participant's attendance and keep its contact-log entry in step."""
    if enrolment.programme_id != session.programme_id:
        raise ValidationError(_("This participant is not enrolled in the session's programme."))
    if status not in Attendance.Status.values:
        raise ValidationError({"status": _("Unknown attendance status.")})
    if status != Attendance.Status.ABSENT and session.starts() > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    minutes = attendance_minutes(session, status, minutes)
    attendance = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if attendance is None:
        attendance = Attendance(
            organisation_id=session.organisation_id, session=session, enrolment=enrolment
        )
    changed = [
        name
        for name, value in (("status", status), ("minutes", minutes))
        if getattr(attendance, name) != value
    ]
    attendance.status, attendance.minutes = status, minutes
    if note is not None and note != attendance.note:
        attendance.note = note
        changed.append("note")
    attendance.contact = _sync_contact(attendance, by=by)
    attendance.save()
    record_audit(
        "programmes.attendance.recorded",
        by=by,
        target=attendance,
        person=enrolment.person,
        fields=changed,
    )
    return attendance


@transaction.atomic
def save_attendance_note(
    session: Session, enrolment: Enrolment, *, note: str, by: Any
) -> Attendance:
    """Save the note of an attendance already recorded, and nothing else: a status is only
    ever changed by choosing one."""
    attendance = (
        Attendance.objects.select_for_update().filter(session=session, enrolment=enrolment).first()
    )
    if attendance is None:
        raise ValidationError(
            {"status": _("Choose how they attended first; the note is saved with it.")}
        )
    if note != attendance.note:
        attendance.note = note
        attendance.save(update_fields=["note", "updated_at"])
        record_audit(
            "programmes.attendance.recorded",
            by=by,
            target=attendance,
            person=enrolment.person,
            fields=["note"],
        )
    return attendance


def attendance_minutes(session: Session, status: str, minutes: int | None) -> int:
    """Absent counts 0; whole attendance defaults to the session's length; part attendance
    needs the minutes actually spent."""
    if status == Attendance.Status.ABSENT:
        return 0
    if minutes is None:
        if status == Attendance.Status.PART:
            raise ValidationError(
                {"minutes": _("Enter the minutes for someone who came late or left early.")}
            )
        return session.duration_minutes
    if not 0 < minutes <= MAX_MINUTES:
        raise ValidationError({"minutes": _("Minutes must be between 1 and 1440.")})
    return minutes


def _sync_contact(attendance: Attendance, *, by: Any) -> Contact | None:
    """Keep the attendance's contact in step through the outreach services, which keep the
    previous version and replay the person's plan."""
    enrolment, session = attendance.enrolment, attendance.session
    contact = attendance.contact
    if not attendance.is_present:
        if contact is not None:
            withdraw_contact(contact, by=by, reason=f"programmes.attendance.{attendance.status}")
        return None
    return sync_contact(
        enrolment.person,
        contact,
        by=by,
        occurred_at=session.starts(),
        channel=Contact.Channel.GROUP_SESSION,
        reached=Contact.Reached.FAMILY if enrolment.is_family else Contact.Reached.PERSON,
        family_member=enrolment.family_member,
        outcome=Contact.Outcome.ATTENDED,
        duration_minutes=attendance.minutes,
    )


@transaction.atomic
def reschedule_contacts(session: Session, *, by: Any) -> int:
    """After a session's date or time changed, move its attendance contacts with it."""
    attendances = session.attendances.select_related(
        "contact", "enrolment__person", "enrolment__family_member"
    )
    if session.starts() > timezone.now() and any(a.contact_id for a in attendances):
        raise ValidationError(
            {"date": _("People attended this session: it cannot move into the future.")}
        )
    moved = 0
    for attendance in attendances:
        attendance.session = session
        if attendance.contact is not None and attendance.contact.occurred_at != session.starts():
            _sync_contact(attendance, by=by)
            moved += 1
    return moved
