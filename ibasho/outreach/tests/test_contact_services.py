import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.outreach import services
from ibasho.outreach.models import Contact, ContactRevision, OutreachPlan
from ibasho.people.models import FamilyMember, Household

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


@pytest.fixture
def plan(person_a):
    return OutreachPlan.objects.get(case__person=person_a)


def test_a_new_case_gets_a_plan_due_from_its_first_day(person_a, plan):
    today = person_a.organisation.today()
    cadence = plan.cadences.get()
    assert cadence.channel == C.LETTER and cadence.every_days == 14
    assert plan.next_due_on == cadence.next_due_on == today


def test_unanswered_attempts_back_off_and_a_reply_resets(person_a, worker_a, plan):
    user = worker_a.user
    services.record_contact(
        person_a,
        by=user,
        occurred_at=days_ago(10),
        channel=C.LETTER,
        outcome=OC.LETTER_LEFT,
        duration_minutes=15,
    )
    services.record_contact(
        person_a,
        by=user,
        occurred_at=days_ago(5),
        channel=C.LETTER,
        outcome=OC.LETTER_LEFT,
        duration_minutes=15,
    )
    cadence = plan.cadences.get()
    last = days_ago(5).astimezone(person_a.organisation.zone).date()
    assert cadence.unanswered == 2
    assert cadence.next_due_on == last + dt.timedelta(days=32)  # 14 × 1.5 × 1.5, rounded up
    services.record_contact(
        person_a,
        by=user,
        occurred_at=days_ago(2),
        channel=C.PHONE,
        reached=R.PERSON,
        outcome=OC.SPOKE_BY_PHONE,
        duration_minutes=30,
    )
    cadence.refresh_from_db()
    plan.refresh_from_db()
    replied = days_ago(2).astimezone(person_a.organisation.zone).date()
    assert cadence.unanswered == 0
    # the phone call restarts the letters' clock too: the next letter is one rhythm after it
    assert cadence.next_due_on == replied + dt.timedelta(days=14)
    assert plan.last_two_way_on == replied


def test_recording_writes_an_audit_entry_without_values(person_a, worker_a):
    contact = services.record_contact(
        person_a, by=worker_a.user, channel=C.DOOR_VISIT, outcome=OC.NO_RESPONSE, note="秘密のメモ"
    )
    entry = AuditEntry.objects.get(action="outreach.contact.recorded")
    assert entry.target_code == str(contact.code) and entry.person_code == person_a.code
    assert "秘密" not in str(entry.fields)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reached": R.NOBODY, "outcome": OC.FACE_TO_FACE}, "outcome"),
        (
            {"occurred_at": timezone.now() + dt.timedelta(days=2), "outcome": OC.NO_RESPONSE},
            "occurred_at",
        ),
        (
            {
                "outcome": "shouted",
            },
            "outcome",
        ),
        ({"channel": "pigeon", "outcome": OC.NO_RESPONSE}, "channel"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_written(person_a, worker_a, fields, field):
    values = {"channel": C.DOOR_VISIT, **fields}
    with pytest.raises(ValidationError) as error:
        services.record_contact(person_a, by=worker_a.user, **values)
    assert field in error.value.message_dict
    assert not Contact.objects.exists()
    assert not AuditEntry.objects.filter(action="outreach.contact.recorded").exists()


def test_a_family_member_of_another_household_is_refused(person_a, worker_a, org_a):
    other = Household.objects.create(organisation=org_a, name="佐藤家")
    stranger = FamilyMember.objects.create(
        organisation=org_a,
        household=other,
        name="佐藤花子",
        relationship=FamilyMember.Relationship.MOTHER,
    )
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            person_a,
            by=worker_a.user,
            channel=C.PHONE,
            reached=R.FAMILY,
            family_member=stranger,
            outcome=OC.FAMILY_ONLY,
        )
    assert "family_member" in error.value.message_dict


def test_staff_from_another_organisation_is_refused(person_a, worker_a, worker_b):
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            person_a,
            by=worker_a.user,
            channel=C.DOOR_VISIT,
            outcome=OC.NO_RESPONSE,
            second_staff=worker_b.user,
        )
    assert "second_staff" in error.value.message_dict


def test_staff_who_do_not_exist_are_refused_and_nothing_is_written(person_a, worker_a):
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            person_a, by=worker_a.user, channel=C.DOOR_VISIT, outcome=OC.NO_RESPONSE,
            staff_id=987654, second_staff_id=987655,
        )  # fmt: skip
    assert set(error.value.message_dict) == {"staff", "second_staff"}
    assert not Contact.objects.exists()


def test_editing_keeps_the_previous_version(person_a, worker_a):
    contact = services.record_contact(
        person_a,
        by=worker_a.user,
        channel=C.DOOR_VISIT,
        outcome=OC.NO_RESPONSE,
        duration_minutes=20,
        note="最初",
    )
    services.edit_contact(
        contact,
        by=worker_a.user,
        outcome=OC.SPOKE_THROUGH_DOOR,
        reached=R.PERSON,
        note="ドア越しに一言",
    )
    revision = ContactRevision.objects.get(contact=contact)
    assert revision.changed_fields == ["note", "outcome", "reached"]
    previous = revision.previous_values()
    assert previous["outcome"] == OC.NO_RESPONSE and previous["note"] == "最初"
    contact.refresh_from_db()
    assert contact.is_two_way() and contact.note == "ドア越しに一言"
    entry = AuditEntry.objects.get(action="outreach.contact.changed")
    assert entry.fields == ["note", "outcome", "reached"]


def test_an_edit_that_changes_nothing_leaves_no_revision(person_a, worker_a):
    contact = services.record_contact(
        person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT
    )
    services.edit_contact(contact, by=worker_a.user, outcome=OC.LETTER_LEFT)
    assert not ContactRevision.objects.exists()


def test_editing_moves_the_plan(person_a, worker_a, plan):
    contact = services.record_contact(
        person_a,
        by=worker_a.user,
        occurred_at=days_ago(3),
        channel=C.LETTER,
        outcome=OC.LETTER_LEFT,
    )
    assert plan.cadences.get().unanswered == 1
    services.edit_contact(contact, by=worker_a.user, reached=R.PERSON, outcome=OC.WRITTEN_REPLY)
    assert plan.cadences.get().unanswered == 0


def test_only_admins_delete_and_the_deletion_is_audited(person_a, worker_a, admin_a, plan):
    contact = services.record_contact(
        person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT
    )
    with pytest.raises(PermissionDenied):
        services.delete_contact(contact, by=worker_a.user)
    services.delete_contact(contact, by=admin_a.user)
    assert not Contact.objects.exists()
    entry = AuditEntry.objects.get(action="outreach.contact.deleted")
    assert entry.target_code == str(contact.code) and entry.actor == admin_a.user
    assert plan.cadences.get().unanswered == 0


def test_a_back_dated_attempt_before_a_reply_does_not_count_against_it(person_a, worker_a, plan):
    user = worker_a.user
    services.record_contact(
        person_a,
        by=user,
        occurred_at=days_ago(5),
        channel=C.LETTER,
        reached=R.PERSON,
        outcome=OC.WRITTEN_REPLY,
    )
    services.record_contact(
        person_a, by=user, occurred_at=days_ago(30), channel=C.LETTER, outcome=OC.LETTER_LEFT
    )
    assert plan.cadences.get().unanswered == 0


@pytest.mark.parametrize("seed", range(6))
def test_moving_the_plan_on_by_one_contact_equals_replaying_the_history(
    person_a, worker_a, plan, seed
):
    """New contacts usually come last and only move the stored state on; back-dated ones
    replay. Either way the stored state is what a full replay of the history gives."""
    import random

    from ibasho.outreach import cadence as rules

    rng = random.Random(seed)
    services.set_plan(
        plan,
        cadences={"letter": 14, "door_visit": 30},
        backoff_factor="1.5",
        backoff_ceiling_days=42,
        by=worker_a.user,
    )
    outcomes = [(R.NOBODY, OC.NO_RESPONSE), (R.PERSON, OC.FACE_TO_FACE), (R.NOBODY, OC.LETTER_LEFT)]
    for _ in range(12):
        reached, outcome = rng.choice(outcomes)
        when = days_ago(rng.choice([rng.randint(0, 3), rng.randint(5, 120)]))
        services.record_contact(
            person_a,
            by=worker_a.user,
            occurred_at=when,
            channel=rng.choice([C.LETTER, C.DOOR_VISIT]),
            reached=reached,
            outcome=outcome,
            duration_minutes=10,
        )
        history = services.person_history(person_a)
        plan.refresh_from_db()
        for cadence in plan.cadences.all():
            replayed = rules.state_from_history(cadence.channel, history.attempts)
            assert (cadence.last_on, cadence.unanswered) == (replayed.last_on, replayed.unanswered)
