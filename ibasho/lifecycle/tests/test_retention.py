import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.audit.services import record_audit
from ibasho.lifecycle import retention
from ibasho.lifecycle.models import PersonRequest, RecordType, ShreddingBatch
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact
from ibasho.people.models import Case, FamilyMember, Household, Person

pytestmark = pytest.mark.django_db


def fresh(record):  # type: ignore[no-untyped-def]
    return type(record).unscoped.get(pk=record.pk)


def test_a_person_whose_case_closed_longer_ago_than_retention_is_due(org_a, closed_long_ago):
    due = retention.due_for_shredding(org_a, org_a.today())
    assert set(due) == set(RecordType.values)
    assert all(people == {closed_long_ago.person_id} for people in due.values())


def test_an_organisation_may_keep_one_record_type_longer(org_a, admin_a, closed_long_ago):
    retention.save_settings(org_a, years={RecordType.OUTCOMES: 10}, audit_years=10, by=admin_a.user)
    due = retention.due_for_shredding(org_a, org_a.today())
    assert RecordType.OUTCOMES not in due and RecordType.CONTACTS in due


def test_an_open_case_or_a_recent_closure_keeps_everything(org_a, person_a, closed_long_ago):
    Case.objects.create(organisation=org_a, person=person_a)
    assert retention.due_for_shredding(org_a, org_a.today()) == {}
    Case.objects.filter(status=Case.Status.OPEN).update(
        status=Case.Status.CLOSED, closed_on=org_a.today()
    )
    assert retention.due_for_shredding(org_a, org_a.today()) == {}


def test_shredding_waits_for_an_admin_then_empties_personal_fields(
    org_a, person_a, admin_a, worker_a, closed_long_ago, household_a
):
    contact = Contact.objects.create(
        organisation=org_a, person=person_a, occurred_at=timezone.now() - dt.timedelta(days=3000),
        channel="phone", reached="person", outcome="spoke_by_phone", duration_minutes=20,
        note="母と話した", next_step="また電話する",
    )  # fmt: skip
    batch = retention.prepare_retention_batch(org_a)
    assert batch.status == ShreddingBatch.Status.PREVIEW
    assert fresh(person_a).family_name == "山田"  # nothing shredded before the confirmation
    with pytest.raises(ValidationError):
        retention.confirm_batch(batch, by=worker_a.user)
    retention.confirm_batch(batch, by=admin_a.user)

    person = fresh(person_a)
    assert (person.family_name, person.given_name, person.preferred_name) == ("", "", "")
    assert (person.own_words, person.things_to_avoid, person.birth_date) == ("", "", None)
    assert (person.birth_year, person.gender, person.municipality) == (1974, "male", "川口市")
    contact = fresh(contact)
    assert (contact.note, contact.next_step, contact.duration_minutes) == ("", "", 20)
    household = Household.unscoped.get(pk=household_a.pk)
    assert household.name == "" and household.notes == ""
    assert set(FamilyMember.unscoped.filter(household=household).values_list("name", "phone")) == {
        ("", "")
    }
    actions = set(AuditEntry.objects.filter(organisation=org_a).values_list("action", flat=True))
    assert {"lifecycle.batch.prepared", "lifecycle.batch.shredded",
            "lifecycle.person.shredded"} <= actions  # fmt: skip
    assert AuditEntry.objects.get(action="lifecycle.person.shredded").person_code == person.code


def test_confirming_twice_changes_nothing_more(org_a, admin_a, closed_long_ago):
    batch = retention.prepare_retention_batch(org_a)
    retention.confirm_batch(batch, by=admin_a.user)
    entries = AuditEntry.objects.count()
    again = retention.confirm_batch(batch, by=admin_a.user)
    assert again.status == ShreddingBatch.Status.DONE and AuditEntry.objects.count() == entries
    assert retention.prepare_retention_batch(org_a) is None  # no one is due twice


def test_a_batch_is_shredded_whole_or_not_at_all(org_a, person_a, admin_a, closed_long_ago,
                                                 monkeypatch):  # fmt: skip
    batch = retention.prepare_retention_batch(org_a)
    real = retention._shred_rule
    calls = []

    def failing(organisation_id, model, rule, keys):  # type: ignore[no-untyped-def]
        calls.append(model)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(organisation_id, model, rule, keys)

    monkeypatch.setattr(retention, "_shred_rule", failing)
    with pytest.raises(RuntimeError):
        retention.confirm_batch(batch, by=admin_a.user)
    assert fresh(person_a).family_name == "山田"
    assert fresh(batch).status == ShreddingBatch.Status.PREVIEW


def test_a_legal_hold_stops_shredding_and_is_audited(org_a, person_a, admin_a, closed_long_ago):
    batch = retention.prepare_retention_batch(org_a)
    hold = retention.place_hold(person_a, reason="訴訟のため", by=admin_a.user,
                                case=closed_long_ago)  # fmt: skip
    retention.confirm_batch(batch, by=admin_a.user)  # prepared before the hold
    assert fresh(person_a).family_name == "山田"
    assert retention.prepare_retention_batch(org_a) is None
    retention.lift_hold(hold, reason="終結", by=admin_a.user)
    assert retention.prepare_retention_batch(org_a) is not None
    actions = AuditEntry.objects.filter(person_code=person_a.code).values_list("action", flat=True)
    assert {"lifecycle.hold.placed", "lifecycle.hold.lifted"} <= set(actions)


@pytest.mark.parametrize("reason", ["", "   ", "a\x00b", "改行\nあり", "x" * 201])
def test_a_hold_needs_a_clean_short_reason(person_a, admin_a, reason):
    with pytest.raises(ValidationError):
        retention.place_hold(person_a, reason=reason, by=admin_a.user)


def test_a_hold_on_another_persons_case_is_refused(org_a, person_a, admin_a):
    other = Person.objects.create(organisation=org_a, family_name="他", family_name_kana="ほか")
    case = Case.objects.create(organisation=org_a, person=other)
    with pytest.raises(ValidationError):
        retention.place_hold(person_a, reason="理由", by=admin_a.user, case=case)


def test_only_this_organisations_admin_decides(org_b, person_a, closed_long_ago, admin_a):
    from conftest import make_member

    admin_b = make_member(org_b, "admin_b", "admin")
    with pytest.raises(ValidationError):
        retention.place_hold(person_a, reason="理由", by=admin_b.user)
    with pytest.raises(ValidationError):
        retention.record_request(person_a, kind="suspension", received_on=dt.date.today(),
                                 details="", by=admin_b.user)  # fmt: skip
    batch = retention.prepare_retention_batch(person_a.organisation)
    with pytest.raises(ValidationError):
        retention.confirm_batch(batch, by=admin_b.user)


@pytest.mark.parametrize(
    "received_on", [dt.date(1900, 1, 1), dt.date.today() + dt.timedelta(days=2)]
)
def test_a_request_from_the_future_or_far_past_is_refused(person_a, admin_a, received_on):
    with pytest.raises(ValidationError):
        retention.record_request(person_a, kind="suspension", received_on=received_on,
                                 details="", by=admin_a.user)  # fmt: skip
    assert not PersonRequest.objects.exists()


def test_an_erasure_request_goes_through_the_admins_confirmation(
    org_a, person_a, admin_a, closed_long_ago
):
    request = retention.record_request(
        person_a, kind="erasure", received_on=org_a.today(), details="電話で本人から",
        by=admin_a.user,
    )  # fmt: skip
    assert request.batch.reason == ShreddingBatch.Reason.REQUEST
    assert fresh(person_a).family_name == "山田"
    assert retention.prepare_retention_batch(org_a) is None  # already in the erasure batch
    retention.confirm_batch(request.batch, by=admin_a.user)
    assert fresh(person_a).family_name == ""
    assert fresh(request).status == PersonRequest.Status.ERASED


def test_erasure_waits_for_the_case_to_close_and_for_a_hold_to_lift(org_a, person_a, admin_a):
    with pytest.raises(ValidationError) as refused:
        retention.record_request(person_a, kind="erasure", received_on=org_a.today(),
                                 details="", by=admin_a.user)  # fmt: skip
    assert refused.value.code == "open_case"
    Case.objects.update(status=Case.Status.CLOSED, closed_on=org_a.today())
    retention.place_hold(person_a, reason="理由", by=admin_a.user)
    with pytest.raises(ValidationError) as held:
        retention.record_request(person_a, kind="erasure", received_on=org_a.today(),
                                 details="", by=admin_a.user)  # fmt: skip
    assert held.value.code == "held"
    assert not PersonRequest.objects.exists()


def test_a_suspension_stands_until_lifted(org_a, person_a, admin_a):
    request = retention.record_request(person_a, kind="suspension", received_on=org_a.today(),
                                       details="手紙で", by=admin_a.user)  # fmt: skip
    assert retention.suspended_people(org_a.pk) == {person_a.pk}
    retention.lift_suspension(request, by=admin_a.user)
    assert retention.suspended_people(org_a.pk) == set()
    with pytest.raises(ValidationError):
        retention.lift_suspension(request, by=admin_a.user)


def test_a_household_shared_with_someone_still_supported_is_kept(
    org_a, person_a, admin_a, closed_long_ago, household_a, worker_a
):
    sibling = Person.objects.create(organisation=org_a, family_name="山田", given_name="次郎",
                                    family_name_kana="やまだ", household=household_a)  # fmt: skip
    Case.objects.create(organisation=org_a, person=sibling)
    retention.confirm_batch(retention.prepare_retention_batch(org_a), by=admin_a.user)
    assert fresh(person_a).family_name == ""
    assert Household.unscoped.get(pk=household_a.pk).name == "山田家"


@pytest.mark.parametrize(
    "years, audit_years",
    [({"contacts": 0}, 10), ({"contacts": 101}, 101), ({"nonsense": 5}, 10),
     ({"contacts": True}, 10), ({"contacts": 20}, 10), ({}, 0)],
)  # fmt: skip
def test_settings_refuse_what_makes_no_sense(org_a, admin_a, years, audit_years):
    with pytest.raises(ValidationError):
        retention.save_settings(org_a, years=years, audit_years=audit_years, by=admin_a.user)


def test_the_audit_trail_is_pruned_after_its_own_period(org_a, person_a, admin_a):
    old = record_audit("people.person.viewed", by=admin_a.user, person=person_a)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=11 * 366))
    recent = record_audit("people.person.viewed", by=admin_a.user, person=person_a)
    assert retention.prune_audit(org_a) == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.filter(action="lifecycle.audit.pruned", count=1).exists()


def test_the_command_previews_and_applies(org_a, admin_a, person_a, closed_long_ago, capsys):
    call_command("retention", "--preview")
    batch = ShreddingBatch.objects.get(status=ShreddingBatch.Status.PREVIEW)
    assert "1 people" in capsys.readouterr().out
    call_command("retention", "--apply", str(batch.code), "--by", admin_a.user.username)
    assert fresh(person_a).family_name == ""


def test_the_daily_task_prepares_batches(org_a, closed_long_ago):
    from ibasho.lifecycle.tasks import daily_retention

    daily_retention.enqueue()  # run at once in tests (immediate backend)
    assert ShreddingBatch.objects.filter(status=ShreddingBatch.Status.PREVIEW).count() == 1


def test_a_suspended_person_gets_no_new_contact_case_or_change_and_leaves_today(
    org_a, person_a, admin_a, worker_a
):
    from ibasho.outreach.models import Cadence
    from ibasho.people import services as people

    day = org_a.today() + dt.timedelta(days=400)
    queue = Cadence.objects.filter(organisation=org_a)
    assert queue.queue(worker_a.user, day).exists()
    request = retention.record_request(person_a, kind="suspension", received_on=org_a.today(),
                                       details="", by=admin_a.user)  # fmt: skip
    assert not queue.queue(worker_a.user, day).exists()
    with pytest.raises(ValidationError, check=lambda e: e.code == "suspended"):
        outreach.record_contact(person_a, by=worker_a.user, channel="phone",
                                reached="person", outcome="spoke_by_phone")  # fmt: skip
    with pytest.raises(ValidationError, check=lambda e: e.code == "suspended"):
        people.change_person(person_a, by=worker_a.user, preferred_name="x")
    with pytest.raises(ValidationError, check=lambda e: e.code == "suspended"):
        people.open_case(person_a, by=worker_a.user)
    retention.lift_suspension(request, by=admin_a.user)
    assert queue.queue(worker_a.user, day).exists()
    assert outreach.record_contact(person_a, by=worker_a.user, channel="phone",
                                   reached="person", outcome="spoke_by_phone")  # fmt: skip


def test_a_suspended_person_gets_no_new_booking(org_a, person_a, admin_a, worker_a):
    from django.utils import timezone

    retention.record_request(person_a, kind="suspension", received_on=org_a.today(),
                             details="", by=admin_a.user)  # fmt: skip
    with pytest.raises(ValidationError, check=lambda e: e.code == "suspended"):
        outreach.book(
            person_a, worker=worker_a.user, starts_at=timezone.now() + dt.timedelta(days=1),
            channel="door_visit", note="", by=worker_a.user,
        )  # fmt: skip
