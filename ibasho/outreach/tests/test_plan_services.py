import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.outreach import services
from ibasho.outreach.models import CloseReason, Closure, Contact, OutreachPlan, Stage
from ibasho.people.models import Case

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached


@pytest.fixture
def plan(person_a):
    return OutreachPlan.objects.select_related("case").get(case__person=person_a)


@pytest.fixture
def today(org_a):
    return org_a.today()


def test_set_plan_replaces_cadences(plan, worker_a):
    services.set_plan(
        plan,
        cadences={C.DOOR_VISIT: 30, C.POSTCARD: 21},
        backoff_factor=Decimal("2"),
        backoff_ceiling_days=90,
        by=worker_a.user,
    )
    assert sorted(plan.cadences.values_list("channel", "every_days")) == [
        (C.DOOR_VISIT, 30),
        (C.POSTCARD, 21),
    ]
    assert AuditEntry.objects.filter(action="outreach.plan.changed").count() == 1


def test_an_open_plan_cannot_be_emptied(plan, worker_a):
    with pytest.raises(ValidationError) as error:
        services.set_plan(
            plan,
            cadences={},
            backoff_factor=Decimal("1.5"),
            backoff_ceiling_days=60,
            by=worker_a.user,
        )
    assert "cadences" in error.value.message_dict
    assert plan.cadences.count() == 1


def test_a_quiet_period_pauses_all_but_the_agreed_channels(plan, worker_a, today):
    services.set_plan(
        plan,
        cadences={C.DOOR_VISIT: 30, C.LETTER: 14},
        backoff_factor=Decimal("1.5"),
        backoff_ceiling_days=60,
        by=worker_a.user,
    )
    until = today + dt.timedelta(days=45)
    quiet = services.start_quiet_period(
        plan, until=until, continuing=[C.LETTER], note="今は会いたくない", by=worker_a.user
    )
    due = dict(plan.cadences.values_list("channel", "next_due_on"))
    assert due == {C.DOOR_VISIT: until, C.LETTER: today}
    services.end_quiet_period(quiet, by=worker_a.user)
    due = dict(plan.cadences.values_list("channel", "next_due_on"))
    assert due == {C.DOOR_VISIT: today, C.LETTER: today}


def test_a_quiet_period_must_end_in_the_future(plan, worker_a, today):
    with pytest.raises(ValidationError) as error:
        services.start_quiet_period(plan, until=today, continuing=[], note="", by=worker_a.user)
    assert "until" in error.value.message_dict


@pytest.mark.parametrize("reason", ["no_response", "nobody_answered", ""])
def test_no_response_is_not_a_reason_to_close(person_a, worker_a, reason):
    case = person_a.cases.get()
    with pytest.raises(ValidationError) as error:
        services.request_closure(case, reason=reason, by=worker_a.user)
    assert "reason" in error.value.message_dict
    assert not Closure.objects.exists()


def test_other_needs_an_explanation(person_a, worker_a):
    with pytest.raises(ValidationError) as error:
        services.request_closure(person_a.cases.get(), reason=CloseReason.OTHER, by=worker_a.user)
    assert "reason_text" in error.value.message_dict


def test_closing_needs_a_coordinator_and_reopening_keeps_history(
    person_a, worker_a, coordinator_a, plan
):
    case = person_a.cases.get()
    services.record_contact(
        person_a, by=worker_a.user, channel=C.PHONE, reached=R.PERSON, outcome=OC.SPOKE_BY_PHONE
    )
    closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
    case.refresh_from_db()
    assert case.is_open  # a request alone closes nothing
    with pytest.raises(PermissionDenied):
        services.decide_closure(closure, approve=True, by=worker_a.user)
    services.decide_closure(closure, approve=True, by=coordinator_a.user)
    case.refresh_from_db()
    plan.refresh_from_db()
    assert case.status == Case.Status.CLOSED and plan.next_due_on is None
    services.reopen_case(case, note="戻ってきた", by=worker_a.user)
    case.refresh_from_db()
    plan.refresh_from_db()
    closure.refresh_from_db()
    assert case.is_open and case.closed_on is None
    assert plan.next_due_on is not None
    assert closure.reopened_by == worker_a.user and closure.status == Closure.Status.APPROVED
    assert person_a.contacts.count() == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "outreach.case.closure_requested",
        "outreach.case.closed",
        "outreach.case.reopened",
    } <= actions


def test_a_declined_closure_leaves_the_case_open(person_a, worker_a, coordinator_a):
    case = person_a.cases.get()
    closure = services.request_closure(case, reason=CloseReason.OWN_DECISION, by=worker_a.user)
    services.decide_closure(closure, approve=False, by=coordinator_a.user)
    case.refresh_from_db()
    assert case.is_open
    with pytest.raises(ValidationError):
        services.decide_closure(closure, approve=True, by=coordinator_a.user)


def test_only_one_pending_closure(person_a, worker_a):
    case = person_a.cases.get()
    services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
    with pytest.raises(ValidationError):
        services.request_closure(case, reason=CloseReason.DIED, by=worker_a.user)


def test_stages_move_both_ways_with_history(person_a, worker_a, today):
    steps = [
        Stage.FAMILY_SUPPORT,
        Stage.INDIVIDUAL_INDIRECT,
        Stage.INDIVIDUAL_FACE_TO_FACE,
        Stage.INDIVIDUAL_INDIRECT,
    ]
    for offset, stage in enumerate(steps):
        services.change_stage(
            person_a, stage=stage, on=today - dt.timedelta(days=30 - offset), by=worker_a.user
        )
    history = list(person_a.stage_changes.values_list("previous_stage", "stage"))
    assert history[0] == (Stage.INDIVIDUAL_FACE_TO_FACE, Stage.INDIVIDUAL_INDIRECT)
    assert len(history) == 4


def test_a_stage_cannot_repeat_or_go_back_in_time(person_a, worker_a, today):
    services.change_stage(person_a, stage=Stage.FAMILY_SUPPORT, on=today, by=worker_a.user)
    with pytest.raises(ValidationError):
        services.change_stage(person_a, stage=Stage.FAMILY_SUPPORT, on=today, by=worker_a.user)
    with pytest.raises(ValidationError):
        services.change_stage(
            person_a, stage=Stage.GROUP, on=today - dt.timedelta(days=1), by=worker_a.user
        )


def test_handover_moves_the_case_with_its_note(person_a, worker_a, coordinator_a, org_a):
    from conftest import make_member

    newcomer = make_member(org_a, "newcomer", "worker")
    case = person_a.cases.get()
    [handover] = services.hand_over(
        [services.HandoverItem(case, newcomer.user, "手紙は読んでいる。インターホンは避ける。")],
        from_worker=worker_a.user,
        by=coordinator_a.user,
    )
    assert list(case.workers.all()) == [newcomer.user]
    assert handover.note.startswith("手紙")
    with pytest.raises(PermissionDenied):
        services.acknowledge_handover(handover, by=worker_a.user)
    services.acknowledge_handover(handover, by=newcomer.user)
    handover.refresh_from_db()
    assert handover.seen_at is not None


def test_handover_is_all_or_nothing(person_a, worker_a, worker_b, coordinator_a):
    case = person_a.cases.get()
    with pytest.raises(ValidationError) as error:
        services.hand_over(
            [services.HandoverItem(case, worker_b.user, "note")],
            from_worker=worker_a.user,
            by=coordinator_a.user,
        )
    assert "items.0.to_worker" in error.value.message_dict
    assert list(case.workers.all()) == [worker_a.user]


def test_a_closed_case_is_never_due_and_an_open_one_always_is(person_a, worker_a, plan):
    for n in range(30):
        services.record_contact(
            person_a,
            by=worker_a.user,
            channel=C.LETTER,
            outcome=OC.LETTER_LEFT,
            occurred_at=timezone.now() - dt.timedelta(days=400 - n * 13),
        )
    plan.refresh_from_db()
    cadence = plan.cadences.get()
    assert cadence.unanswered == 30
    # however long the silence, the next letter is due within the ceiling
    ceiling = dt.timedelta(days=plan.backoff_ceiling_days)
    assert plan.next_due_on == cadence.next_due_on == cadence.last_on + ceiling
    case = plan.case
    closure = services.request_closure(case, reason=CloseReason.MOVED_AWAY, by=worker_a.user)
    from conftest import make_member

    coordinator = make_member(case.organisation, "coord", "coordinator")
    admin = make_member(case.organisation, "admin", "admin")
    services.decide_closure(closure, approve=True, by=coordinator.user)
    plan.refresh_from_db()
    assert plan.next_due_on is not None  # never answered: an admin approves as well
    services.decide_closure(closure, approve=True, by=admin.user)
    plan.refresh_from_db()
    assert plan.next_due_on is None and plan.cadences.get().next_due_on is None


def test_the_service_that_opens_a_case_gives_it_its_plan(org_a, worker_a):
    from ibasho.people.models import Person
    from ibasho.people.services import open_case

    def someone(name: str) -> Person:
        return Person.objects.create(organisation=org_a, family_name=name, family_name_kana="て")

    # A row written without the service (the bulk loaders) gets no plan by a side effect:
    # loaders compute their plans themselves.
    written = Case.objects.create(organisation=org_a, person=someone("一"))
    assert not OutreachPlan.objects.filter(case=written).exists()
    opened = open_case(someone("二"), by=worker_a.user, worker=worker_a.user)
    plan = OutreachPlan.objects.get(case=opened)
    assert plan.next_due_on == org_a.today() and plan.cadences.count() == 1
