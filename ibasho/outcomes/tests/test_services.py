import datetime as dt

import pytest

from ibasho.audit.models import AuditEntry
from ibasho.families.models import SafetyEvent
from ibasho.outcomes import kato, recovery, scoring, services
from ibasho.outcomes.models import (
    Administration,
    InstrumentDefinition,
    KatoAssessment,
    PreviousScore,
    RecoveryRating,
)
from ibasho.outcomes.tests.conftest import K6_LOW

pytestmark = pytest.mark.django_db


def test_an_administration_stores_answers_score_band_and_version(person_a, k6, record):
    administration = record(person_a, k6, [2, 2, 1, 0, 0, 0])
    stored = Administration.objects.get(pk=administration.pk)
    assert stored.answers == [2, 2, 1, 0, 0, 0]
    assert (stored.total, stored.band, stored.instrument_version) == (5, "distress", k6.version)
    assert stored.band_set_version == k6.band_set().version
    assert stored.safety is False and stored.flags == []
    assert AuditEntry.objects.filter(action="outcomes.administration.recorded",
                                     person_code=person_a.code).count() == 1  # fmt: skip


def test_invalid_answers_store_nothing(person_a, k6, record):
    with pytest.raises(scoring.AnswerError):
        record(person_a, k6, [0, 0, 9, 0, 0, 0])
    assert not Administration.objects.exists() and not AuditEntry.objects.exists()


def test_phq9_item9_flags_audits_and_raises_a_safety_event_after_commit(
    person_a, phq9, record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        administration = record(person_a, phq9, [0] * 8 + [1])
    assert not SafetyEvent.objects.exists()  # nothing is raised before the commit
    for callback in callbacks:
        callback()
    assert administration.safety and administration.flags == ["phq9_item9"]
    event = SafetyEvent.objects.get()
    assert (event.person, event.kind, event.source) == (person_a, "suicide_risk", "phq9_item9")
    assert AuditEntry.objects.filter(action="outcomes.safety_flag.raised").count() == 1


def test_no_safety_event_without_a_flag(person_a, phq9, record, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        record(person_a, phq9, [3] * 8 + [0])
    assert callbacks == []
    assert not AuditEntry.objects.filter(action="outcomes.safety_flag.raised").exists()


def test_rescoring_keeps_the_earlier_result(person_a, record, org_definition, worker_a):
    services.save_instrument_definition(person_a.organisation, org_definition("1", cutoff=5),
                                        by=worker_a.user)  # fmt: skip
    first = services.available_instruments(person_a.organisation)["org-k6"]
    administration = record(person_a, first, [1, 1, 1, 1, 1, 1])
    assert administration.band == "distress"
    services.save_instrument_definition(person_a.organisation, org_definition("2", cutoff=7),
                                        by=worker_a.user)  # fmt: skip
    second = services.available_instruments(person_a.organisation)["org-k6"]
    assert second.version == "2"
    assert services.rescore_administration(administration, definition=second, by=worker_a.user)
    administration.refresh_from_db()
    assert (administration.band, administration.instrument_version) == ("below_cutoff", "2")
    previous = PreviousScore.objects.get(administration=administration)
    assert (previous.band, previous.instrument_version, previous.total) == ("distress", "1", 6)


def test_rescoring_with_the_same_definition_changes_nothing(person_a, k6, record, worker_a):
    administration = record(person_a, k6, K6_LOW)
    assert services.rescore_administration(administration, definition=k6, by=worker_a.user) is False
    assert not PreviousScore.objects.exists()


def test_kato_assessments_keep_history(person_a, worker_a):
    for day, days_out in [(dt.date(2024, 4, 1), 0), (dt.date(2025, 4, 1), 3)]:
        services.record_kato_assessment(
            person_a, answers=kato.KatoAnswers(days_out, False, 24, True), assessed_on=day,
            by=worker_a.user,
        )  # fmt: skip
    history = list(KatoAssessment.objects.filter(person=person_a).values_list("status", "severity"))
    assert history == [("hikikomori", "moderate"), ("hikikomori", "mild")]


def test_recovery_profile_stores_self_and_worker_rows(person_a, worker_a):
    rows = services.record_recovery_profile(
        person_a, rated_on=dt.date(2025, 4, 1),
        ratings={"self": {"going_out": 2}, "worker": {"going_out": 3, "health": 2}},
        by=worker_a.user,
    )  # fmt: skip
    assert [r.rater for r in rows] == ["self", "worker"]
    worker = RecoveryRating.objects.get(rater="worker")
    assert worker.levels["health"] == 2 and worker.levels["connection"] is None


def test_a_recovery_profile_with_a_bad_level_stores_nothing(person_a, worker_a):
    with pytest.raises(recovery.ProfileError):
        services.record_recovery_profile(
            person_a, rated_on=dt.date(2025, 4, 1),
            ratings={"self": {"going_out": 2}, "worker": {"going_out": 9}}, by=worker_a.user,
        )  # fmt: skip
    assert not RecoveryRating.objects.exists()


def test_organisation_instruments_are_theirs_alone(org_a, org_b, worker_a, org_definition):
    services.save_instrument_definition(org_a, org_definition(), by=worker_a.user)
    assert "org-k6" in services.available_instruments(org_a)
    assert "org-k6" not in services.available_instruments(org_b)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"code": "k6"}, "code"),
        ({"band_sets": []}, "band_sets"),
        ({"licence_url": "https://example.org"}, "licence_url"),
        ({"higher_is": True}, "higher_is"),
    ],
)
def test_a_bad_organisation_instrument_is_refused(org_a, worker_a, org_definition, change, where):
    raw = {**org_definition(), **change}
    with pytest.raises(scoring.DefinitionError) as caught:
        services.save_instrument_definition(org_a, raw, by=worker_a.user)
    assert caught.value.where == where
    assert not InstrumentDefinition.objects.exists()


def test_the_same_version_twice_is_refused(org_a, worker_a, org_definition):
    services.save_instrument_definition(org_a, org_definition(), by=worker_a.user)
    with pytest.raises(scoring.DefinitionError, match="already exists"):
        services.save_instrument_definition(org_a, org_definition(), by=worker_a.user)


def test_a_stored_definition_that_no_longer_loads_is_left_out_not_fatal(
    person_a, org_definition, worker_a
):
    services.save_instrument_definition(
        person_a.organisation, org_definition("1"), by=worker_a.user
    )
    broken = org_definition("2")
    broken["unknown_key"] = "saved before the schema refused unknown keys"
    InstrumentDefinition.objects.create(
        organisation=person_a.organisation,
        instrument_code="org-k6",
        version="2",
        definition=broken,
    )
    found = services.available_instruments(person_a.organisation)
    assert found["org-k6"].version == "1" and "k6" in found
