import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.families import services
from ibasho.families.models import SafetyEvent
from ibasho.outreach.models import Contact
from ibasho.people.models import FamilyMember, Household


@pytest.fixture
def mother(person_a):
    return person_a.household.members.get(relationship=FamilyMember.Relationship.MOTHER)


class TestConsultation:
    def test_it_is_a_family_contact_with_its_minutes(self, person_a, mother, worker_a):
        when = timezone.now() - dt.timedelta(hours=1)
        contact = services.record_family_consultation(
            person_a, family_member=mother, by=worker_a.user, occurred_at=when, duration_minutes=50
        )
        assert (contact.channel, contact.reached, contact.family_member) == (
            "family_consultation",
            "family",
            mother,
        )
        assert contact.duration_minutes == 50 and not contact.is_two_way()
        assert AuditEntry.objects.filter(
            action="outreach.contact.recorded", person_code=person_a.code
        ).exists()

    def test_a_member_of_another_household_is_refused(self, person_a, org_a, worker_a):
        other = Household.objects.create(organisation=org_a, name="田中家")
        stranger = FamilyMember.objects.create(
            organisation=org_a, household=other, name="田中", relationship="mother"
        )
        with pytest.raises(ValidationError):
            services.record_family_consultation(
                person_a,
                family_member=stranger,
                by=worker_a.user,
                occurred_at=timezone.now(),
                duration_minutes=30,
            )
        assert not Contact.objects.exists()


class TestHealth:
    def test_a_change_is_dated_today_by_default(self, mother, worker_a):
        services.update_health(mother, health="hospitalised", by=worker_a.user)
        mother.refresh_from_db()
        assert (mother.health, mother.health_changed_on) == ("hospitalised", timezone.localdate())
        entry = AuditEntry.objects.get(action="people.family_member.changed")
        assert entry.fields == ["health", "health_changed_on"]

    @pytest.mark.parametrize(
        ("health", "days", "field"), [("asleep", 0, "health"), ("ill", -1, "since")]
    )
    def test_bad_input_changes_nothing(self, mother, worker_a, health, days, field):
        since = timezone.localdate() - dt.timedelta(days=days)
        with pytest.raises(ValidationError) as caught:
            services.update_health(mother, health=health, since=since, by=worker_a.user)
        assert field in caught.value.error_dict
        mother.refresh_from_db()
        assert mother.health == "well"


class TestSafetyEvents:
    def test_raise_acknowledge_resolve(self, person_a, worker_a, coordinator_a):
        event = services.raise_safety_event(
            person_a,
            kind="suicide_risk",
            severity=3,
            by=worker_a.user,
            source="phq9_item9",
            description="希死念慮の訴え",
        )
        assert SafetyEvent.objects.unacknowledged().get() == event
        with pytest.raises(ValidationError, match="acknowledge"):
            services.resolve_safety_event(event, by=worker_a.user, resolution="面談した")
        services.acknowledge_safety_event(event, by=coordinator_a.user)
        assert not SafetyEvent.objects.unacknowledged().exists()
        assert SafetyEvent.objects.unresolved().get() == event
        with pytest.raises(ValidationError):
            services.resolve_safety_event(event, by=worker_a.user, resolution="  ")
        services.resolve_safety_event(event, by=worker_a.user, resolution="主治医につないだ")
        event.refresh_from_db()
        assert event.is_resolved and event.acknowledged_by == coordinator_a.user
        actions = set(
            AuditEntry.objects.filter(person_code=person_a.code).values_list("action", flat=True)
        )
        assert {
            "families.safety_event.raised",
            "families.safety_event.acknowledged",
            "families.safety_event.resolved",
        } <= actions

    def test_the_system_can_raise_one_without_a_user(self, person_a):
        event = services.raise_safety_event(
            person_a,
            kind="suicide_risk",
            severity=3,
            by=None,
            source="phq9_item9",
            description="質問票の回答",
        )
        assert event.raised_by is None and event.source == "phq9_item9"

    @pytest.mark.parametrize(
        ("kind", "severity", "field"), [("fire", 1, "kind"), ("violence", 9, "severity")]
    )
    def test_unknown_values_are_refused(self, person_a, worker_a, kind, severity, field):
        with pytest.raises(ValidationError) as caught:
            services.raise_safety_event(person_a, kind=kind, severity=severity, by=worker_a.user)
        assert field in caught.value.error_dict
        assert not SafetyEvent.objects.exists()


def test_a_phq9_item9_answer_raises_a_safety_event(
    person_a, worker_a, django_capture_on_commit_callbacks
):
    from ibasho.outcomes.scoring import builtin_definitions
    from ibasho.outcomes.services import record_administration

    with django_capture_on_commit_callbacks(execute=True):
        record_administration(
            person_a,
            definition=builtin_definitions()["phq9"],
            answers=[0] * 8 + [2],
            administered_on=dt.date(2026, 4, 1),
            respondent="self",
            by=worker_a.user,
        )
    event = SafetyEvent.objects.get(person=person_a)
    assert (event.kind, event.severity, event.source) == ("suicide_risk", 3, "phq9_item9")
    assert event.raised_by is None and not event.is_acknowledged
