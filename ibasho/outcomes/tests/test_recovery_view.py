import pytest
from django.urls import reverse

from ibasho.outcomes.models import RecoveryRating

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("outcomes:recovery_create", args=[person.code])


def test_the_form_shows_anchored_levels(client_for, worker_a, person_a):
    page = client_for(worker_a).get(url(person_a)).content.decode()
    assert "I rarely leave my room." in page and "Own rating" in page


def test_self_and_worker_ratings_are_stored(client_for, worker_a, person_a):
    data = {"rated_on": "2025-04-01", "self_going_out": "2", "worker_going_out": "3",
            "worker_health": "4"}  # fmt: skip
    response = client_for(worker_a).post(url(person_a), data)
    assert response.status_code == 302
    rows = {r.rater: r.levels for r in RecoveryRating.objects.filter(person=person_a)}
    assert rows["self"]["going_out"] == 2 and rows["worker"]["health"] == 4


def test_an_empty_profile_is_refused(client_for, worker_a, person_a):
    response = client_for(worker_a).post(url(person_a), {"rated_on": "2025-04-01"})
    assert response.status_code == 200 and not RecoveryRating.objects.exists()
    assert "Rate at least one domain." in response.content.decode()


def test_a_level_out_of_range_is_refused(client_for, worker_a, person_a):
    response = client_for(worker_a).post(url(person_a), {"rated_on": "2025-04-01",
                                                         "self_going_out": "6"})  # fmt: skip
    assert "self_going_out" in response.context["form"].errors
    assert not RecoveryRating.objects.exists()


@pytest.mark.parametrize("who", ["worker_b", "analyst_a"])
def test_outsiders_get_404(request, client_for, person_a, who):
    client = client_for(request.getfixturevalue(who))
    response = client.post(url(person_a), {"rated_on": "2025-04-01", "self_going_out": "2"})
    assert response.status_code == 404 and not RecoveryRating.objects.exists()
