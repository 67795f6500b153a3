import pytest
from django.urls import reverse

from ibasho.outcomes.models import KatoAssessment

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("outcomes:kato_create", args=[person.code])


def post(**extra):
    data = {"assessed_on": "2025-04-01", "days_out_per_week": "1", "continuous_months": "6",
            "impairment_or_distress": "on"}  # fmt: skip
    data.update(extra)
    return data


def test_a_worker_records_an_assessment(client_for, worker_a, person_a):
    response = client_for(worker_a).post(url(person_a), post())
    assert response.status_code == 302
    assessment = KatoAssessment.objects.get(person=person_a)
    assert (assessment.status, assessment.severity) == ("hikikomori", "moderate")


def test_contradictory_answers_are_refused(client_for, worker_a, person_a):
    response = client_for(worker_a).post(url(person_a), post(days_out_per_week="3",
                                                             rarely_leaves_room="on"))  # fmt: skip
    assert "rarely_leaves_room" in response.context["form"].errors
    assert not KatoAssessment.objects.exists()


def test_days_out_must_be_0_to_7(client_for, worker_a, person_a):
    response = client_for(worker_a).post(url(person_a), post(days_out_per_week="8"))
    assert "days_out_per_week" in response.context["form"].errors


def test_history_is_listed(client_for, worker_a, person_a):
    client = client_for(worker_a)
    client.post(url(person_a), post(continuous_months="4"))
    assert "Pre-hikikomori" in client.get(url(person_a)).content.decode()


@pytest.mark.parametrize("who", ["worker_b", "analyst_a"])
def test_outsiders_get_404(request, client_for, person_a, who):
    client = client_for(request.getfixturevalue(who))
    assert client.post(url(person_a), post()).status_code == 404
    assert not KatoAssessment.objects.exists()
