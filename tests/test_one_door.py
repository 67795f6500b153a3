"""`outreach` is the only writer of contacts: whichever app's service records, changes or
withdraws one, the person's stored plan state afterwards is what a full replay gives."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ibasho.families import services as families
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Cadence, Contact, OutreachPlan
from ibasho.outreach.tests.replay import assert_plans_equal_replay
from ibasho.programmes import services as programmes
from ibasho.programmes.tests.factories import make_programme, make_session

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def knock(person: Any, user: Any, days: int, channel: str = C.LETTER) -> Contact:
    return outreach.record_contact(
        person, by=user, occurred_at=days_ago(days), channel=channel, outcome=OC.NO_RESPONSE
    )


def talk(person: Any, user: Any, days: int) -> Contact:
    return outreach.record_contact(
        person,
        by=user,
        occurred_at=days_ago(days),
        channel=C.PHONE,
        reached=R.PERSON,
        outcome=OC.SPOKE_BY_PHONE,
        duration_minutes=30,
    )


def attendance(person: Any, user: Any, status: str, day: dt.date, minutes: int | None = None):  # type: ignore[no-untyped-def]
    programme = make_programme(person.organisation, name_ja=f"会{day}")
    session = make_session(programme, day)
    enrolment = programmes.enrol(programme, person=person, by=user)
    return (
        session,
        enrolment,
        programmes.record_attendance(session, enrolment, status=status, minutes=minutes, by=user),
    )


def recorded(person: Any, user: Any, admin: Any) -> None:
    knock(person, user, 20)
    knock(person, user, 30)  # back-dated: replays
    talk(person, user, 3)


def logged(person: Any, user: Any, admin: Any) -> None:
    knock(person, user, 10)
    outreach.log_attempt(Cadence.objects.get(plan__case__person=person), by=user)


def edited(person: Any, user: Any, admin: Any) -> None:
    contact = talk(person, user, 5)
    knock(person, user, 2)
    outreach.edit_contact(contact, by=user, reached=R.NOBODY, outcome=OC.NO_RESPONSE)


def deleted(person: Any, user: Any, admin: Any) -> None:
    contact = talk(person, user, 5)
    knock(person, user, 8)
    outreach.delete_contact(contact, by=admin)


def withdrawn(person: Any, user: Any, admin: Any) -> None:
    contact = talk(person, user, 5)
    knock(person, user, 2)
    outreach.withdraw_contact(contact, by=user, reason="tests.withdrawn")


def synced(person: Any, user: Any, admin: Any) -> None:
    knock(person, user, 9)
    contact = outreach.sync_contact(
        person, None, by=user, occurred_at=days_ago(4), channel=C.PHONE,
        reached=R.PERSON, outcome=OC.SPOKE_BY_PHONE, duration_minutes=10,
    )  # fmt: skip
    outreach.sync_contact(person, contact, by=user, occurred_at=days_ago(12))


def attended_then_absent(person: Any, user: Any, admin: Any) -> None:
    knock(person, user, 40)
    day = (timezone.now() - dt.timedelta(days=6)).date()
    session, enrolment, _ = attendance(person, user, "attended", day)
    programmes.record_attendance(session, enrolment, status="absent", by=user)


def attendance_changed(person: Any, user: Any, admin: Any) -> None:
    day = (timezone.now() - dt.timedelta(days=6)).date()
    session, enrolment, _ = attendance(person, user, "attended", day)
    knock(person, user, 1)
    programmes.record_attendance(session, enrolment, status="part", minutes=30, by=user)


def session_moved(person: Any, user: Any, admin: Any) -> None:
    day = (timezone.now() - dt.timedelta(days=30)).date()
    session, _, _ = attendance(person, user, "attended", day)
    knock(person, user, 10)
    session.date = day + dt.timedelta(days=25)
    session.save()
    programmes.reschedule_contacts(session, by=user)


def family_consulted(person: Any, user: Any, admin: Any) -> None:
    mother = person.household.members.first()
    knock(person, user, 3)
    families.record_family_consultation(
        person, family_member=mother, by=user, occurred_at=days_ago(7), duration_minutes=40
    )


DOORS: list[Callable[[Any, Any, Any], None]] = [
    recorded, logged, edited, deleted, withdrawn, synced, attended_then_absent,
    attendance_changed, session_moved, family_consulted,
]  # fmt: skip


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
def test_every_contact_door_leaves_the_plan_as_a_replay_would(door, person_a, worker_a, admin_a):
    door(person_a, worker_a.user, admin_a.user)
    assert OutreachPlan.objects.filter(case__person=person_a).exists()
    assert_plans_equal_replay(person_a)
