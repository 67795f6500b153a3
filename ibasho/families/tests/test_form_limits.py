"""The family pages' forms apply the limits of every other door, in Japanese, and write
nothing they refuse."""

import pytest
from django.urls import reverse
from django.utils import translation

from ibasho.families.models import SafetyEvent
from ibasho.outreach.models import Contact, StageChange

pytestmark = pytest.mark.django_db


def japanese(messages):
    return any("\u3040" <= ch <= "\u30ff" for ch in " ".join(messages))


def post_ja(client, url, data):
    """The form's errors, as a Japanese reader sees them."""
    with translation.override("ja"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="ja")
        return {
            name: [str(m) for m in found] for name, found in response.context["form"].errors.items()
        }


def test_a_consultation_before_the_earliest_year_or_with_nul_is_refused(
    client_for, worker_a, person_a
):
    household = person_a.household
    mother = household.members.get(relationship="mother")
    errors = post_ja(
        client_for(worker_a),
        reverse("families:consultation_create", args=[household.code]),
        {"family_member": mother.pk, "person": person_a.pk, "occurred_at": "1900-01-01T10:00",
         "duration_minutes": 60, "direction": "incoming", "note": "a\x07b",
         "next_step": "two\nlines"},
    )  # fmt: skip
    assert {"occurred_at", "note", "next_step"} <= set(errors)
    assert all(japanese(errors[name]) for name in ("occurred_at", "note", "next_step"))
    assert not Contact.objects.exists()


def test_a_safety_event_description_with_control_characters_is_refused(
    client_for, worker_a, person_a
):
    errors = post_ja(
        client_for(worker_a),
        reverse("families:safety_create", args=[person_a.code]),
        {"kind": SafetyEvent.Kind.values[0], "severity": SafetyEvent.Severity.values[0],
         "description": "x" * 20_001},
    )  # fmt: skip
    assert "description" in errors
    assert not SafetyEvent.objects.exists()


def test_a_stage_change_dated_before_the_earliest_year_is_refused(client_for, worker_a, person_a):
    errors = post_ja(
        client_for(worker_a),
        reverse("outreach:stage_change", args=[person_a.code]),
        {"stage": "family_support", "changed_on": "0001-01-01", "note": "\x00"},
    )
    assert {"changed_on", "note"} <= set(errors) and japanese(errors["changed_on"])
    assert not StageChange.objects.exists()
