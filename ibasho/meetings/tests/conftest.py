import datetime as dt

import pytest
from django.utils import translation

from conftest import make_member
from ibasho.accounts.models import Organisation, Role
from ibasho.meetings import access, services


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The refusals are asserted by their English text."""
    with translation.override("en"):
        yield


@pytest.fixture
def org_c(db):
    return Organisation.objects.create(name="川口市福祉課", prefecture="11")


@pytest.fixture
def worker_c(org_c):
    return make_member(org_c, "worker_c", Role.WORKER)


@pytest.fixture
def other_worker_a(org_a):
    return make_member(org_a, "other_worker_a", Role.WORKER)


@pytest.fixture
def coordinator_b(org_b):
    return make_member(org_b, "coordinator_b", Role.COORDINATOR)


@pytest.fixture
def meeting(coordinator_a, worker_a, org_b, worker_b):
    """A's coordinator convenes a meeting with B; A's worker and B's worker are present."""
    made = services.create_meeting(
        coordinator_a, title="川口市支援会議", held_on=dt.date.today(),
        law="social_welfare_106_6", organisations=[org_b],
    )  # fmt: skip
    seat = access.meeting_for(coordinator_a, made.code)
    services.add_member(seat, worker_a)
    services.add_member(seat, worker_b)
    services.acknowledge(seat)
    return made


def seat_of(membership, meeting):
    return access.meeting_for(membership, meeting.code)


@pytest.fixture
def shared(meeting, worker_a, person_a):
    """A's worker acknowledged, brought A's person (no consent) and shared two groups."""
    seat = seat_of(worker_a, meeting)
    services.acknowledge(seat)
    seat = seat_of(worker_a, meeting)
    entry = services.bring_person(seat, person_a)
    return services.share(seat, entry, items=["profile", "contacts"])
