import datetime as dt

import pytest
from django.utils import translation

from ibasho.programmes import services
from ibasho.programmes.tests.factories import make_programme, make_session


@pytest.fixture(autouse=True)
def english_messages():
    """Error messages are asserted in English; the UI default is Japanese."""
    with translation.override("en"):
        yield


@pytest.fixture
def programme(org_a):
    return make_programme(org_a, capacity=10, schedule="毎週水曜 13:00–15:00")


@pytest.fixture
def session(programme):
    return make_session(programme, dt.date(2026, 5, 13))


@pytest.fixture
def enrolment(programme, person_a, worker_a):
    return services.enrol(programme, person=person_a, by=worker_a.user)
