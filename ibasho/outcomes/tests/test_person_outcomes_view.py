import datetime as dt

import pytest
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.outcomes import services

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("outcomes:person_outcomes", args=[person.code])


@pytest.fixture
def history(person_a, k6, record, worker_a):
    for month, answers in [
        (4, [3, 3, 3, 2, 2, 2]),
        (8, [2, 2, 1, 1, 1, 1]),
        (12, [1, 0, 1, 0, 0, 1]),
    ]:
        record(person_a, k6, answers, day=dt.date(2024, month, 1))
    ratings = {"self": {"going_out": 2}}
    services.record_recovery_profile(
        person_a, rated_on=dt.date(2024, 6, 1), ratings=ratings, by=worker_a.user
    )


def test_the_printable_page_has_charts_and_licences(client_for, worker_a, person_a, history):
    page = client_for(worker_a).get(url(person_a)).content.decode()
    assert page.count('class="point"') >= 4  # three K6 points and one recovery point
    assert "cut-off 5" in page and "cut-off 13" in page
    assert "free to use without formal permission" in page
    assert AuditEntry.objects.filter(action="outcomes.person_outcomes.viewed").count() == 1


def test_the_query_count_does_not_grow_with_history(
    client_for, worker_a, person_a, k6, record, history, django_assert_num_queries
):
    client = client_for(worker_a)
    client.get(url(person_a))  # warm caches (sessions, membership)
    for month in range(1, 7):
        record(person_a, k6, [1] * 6, day=dt.date(2025, month, 1))
    with django_assert_num_queries(13):  # 12, and the unread notifications badge
        client.get(url(person_a))


def test_outsiders_get_404(client_for, worker_b, analyst_a, person_a):
    assert client_for(worker_b).get(url(person_a)).status_code == 404
    assert client_for(analyst_a).get(url(person_a)).status_code == 404
