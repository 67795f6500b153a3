"""What an administration may hold, refused alike by the API, the forms and the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ibasho.outcomes import kato, services
from ibasho.outcomes.models import Administration, KatoAssessment, RecoveryRating
from ibasho.outcomes.tests.conftest import K6_LOW

pytestmark = pytest.mark.django_db


def url(person):
    return f"/api/v1/people/{person.code}/administrations"


def body(**change):
    return {"instrument": "k6", "administered_on": "2025-04-01", "answers": K6_LOW, **change}


def refused(response, field):
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert field in [p["field"] for p in problems], problems
    assert all(set(p) == {"field", "reason"} and 0 < len(p["reason"]) < 300 for p in problems)
    assert not Administration.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01", "1979-12-31"])
def test_an_administration_before_the_earliest_year_is_refused_and_pages_still_work(
    api_client_for, client_for, worker_a, person_a, day
):
    client = api_client_for(worker_a)
    refused(client.post(url(person_a), body(administered_on=day), content_type="application/json"),
            "administered_on")  # fmt: skip
    browser = client_for(worker_a)
    assert browser.get(reverse("people:person_detail", args=[person_a.code])).status_code == 200
    assert browser.get(reverse("outcomes:person_outcomes", args=[person_a.code])).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": ["0", 1, 0, 1, 0, 1]}, "answers.1"),
        ({"answers": [0.0, 1, 0, 1, 0, 1]}, "answers.1"),
        ({"answers": [True, 1, 0, 1, 0, 1]}, "answers.1"),
        ({"answers": {"1": "0"}}, "answers.1"),
        ({"administered_on": 1700000000}, "administered_on"),
        ({"administered_on": "20250401x"}, "administered_on"),
        ({"instrument": 6}, "instrument"),
        ({"organisation": 1}, "organisation"),
        ({"created_by": 1}, "created_by"),
        ({"total": 0}, "total"),
        ({"instrument": "k\x006"}, "instrument"),
        ({"band_set": "x" * 100_000}, "band_set"),
    ],
)
def test_loose_types_unknown_fields_and_bad_text_are_refused(
    api_client_for, worker_a, person_a, change, field
):
    response = api_client_for(worker_a).post(url(person_a), body(**change),
                                             content_type="application/json")  # fmt: skip
    refused(response, field)


@pytest.mark.parametrize("answers", [["1", 1, 1, 1, 1, 1], [1.0] * 6, [True] * 6])
def test_scoring_refuses_loose_answers_too(api_client_for, worker_a, answers):
    response = api_client_for(worker_a).post(
        "/api/v1/instruments/k6/score", {"answers": answers}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "answers.1"


def test_the_services_refuse_dates_out_of_range(person_a, worker_a, k6):
    for day in (dt.date(1, 1, 1), dt.date(1979, 12, 31), dt.date(2999, 1, 1)):
        with pytest.raises(ValidationError) as error:
            services.record_administration(person_a, definition=k6, answers=K6_LOW,
                                           administered_on=day, respondent="self",
                                           by=worker_a.user)  # fmt: skip
        assert "administered_on" in error.value.message_dict
        answers = kato.KatoAnswers(days_out_per_week=0, rarely_leaves_room=True,
                                   continuous_months=12, impairment_or_distress=True)  # fmt: skip
        with pytest.raises(ValidationError):
            services.record_kato_assessment(person_a, answers=answers, assessed_on=day,
                                            by=worker_a.user)  # fmt: skip
        with pytest.raises(ValidationError):
            services.record_recovery_profile(person_a, rated_on=day,
                                             ratings={"self": {"going_out": 2}},
                                             by=worker_a.user)  # fmt: skip
    assert not Administration.objects.exists()
    assert not KatoAssessment.objects.exists() and not RecoveryRating.objects.exists()


def test_the_form_refuses_the_same_dates_in_japanese(client_for, worker_a, person_a):
    page = reverse("outcomes:administration_create", args=[person_a.code]) + "?instrument=k6"
    data = {"administered_on": "1900-01-01", "respondent": "self"}
    data |= {f"item_{n}": "0" for n in range(1, 7)}
    with translation.override("ja"):
        response = client_for(worker_a).post(page, data, HTTP_ACCEPT_LANGUAGE="ja")
    errors = response.context["form"].errors
    assert any("\u3040" <= ch <= "\u30ff" for ch in " ".join(errors["administered_on"]))
    assert not Administration.objects.exists()
