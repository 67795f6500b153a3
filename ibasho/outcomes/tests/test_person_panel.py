import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_person_page_shows_the_outcomes_panel(client_for, worker_a, person_a, k6, record):
    record(person_a, k6, [2] * 6, day=dt.date(2025, 1, 10))
    page = client_for(worker_a).get(reverse("people:person_records", args=[person_a.code]))
    html = page.content.decode()
    assert "Outcomes and recovery" in html and "<svg" in html
    assert "Latest: 12 (Psychological distress (5–12))" in html


def test_a_safety_flag_is_on_the_person_page(client_for, worker_a, person_a, phq9, record):
    record(person_a, phq9, [0] * 8 + [1])
    html = client_for(worker_a).get(reverse("people:person_records", args=[person_a.code]))
    assert 'class="safety"' in html.content.decode()


def test_an_outsider_sees_no_panel(client_for, worker_b, person_a):
    response = client_for(worker_b).get(reverse("people:person_records", args=[person_a.code]))
    assert response.status_code == 404
