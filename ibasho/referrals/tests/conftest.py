import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_member
from ibasho.accounts.models import Organisation, Role
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact
from ibasho.people.models import Consent
from ibasho.people.services import record_consent
from ibasho.referrals.models import DeclineReason


@pytest.fixture
def org_c(db):  # type: ignore[no-untyped-def]
    return Organisation.objects.create(name="第三の相談室", prefecture="14")


@pytest.fixture
def coordinator_b(org_b):  # type: ignore[no-untyped-def]
    return make_member(org_b, "coordinator_b", Role.COORDINATOR)


@pytest.fixture
def analyst_b(org_b):  # type: ignore[no-untyped-def]
    return make_member(org_b, "analyst_b", Role.ANALYST)


@pytest.fixture
def worker_c(org_c):  # type: ignore[no-untyped-def]
    return make_member(org_c, "worker_c", Role.WORKER)


@pytest.fixture
def reason_b(org_b):  # type: ignore[no-untyped-def]
    return DeclineReason.objects.create(organisation=org_b, label="定員に空きがない")


@pytest.fixture
def history_a(person_a, worker_a):  # type: ignore[no-untyped-def]
    """Eleven unanswered letters, then two hours of talk."""
    start = timezone.now() - dt.timedelta(days=400)
    for n in range(11):
        outreach.record_contact(
            person_a, by=worker_a.user, channel=Contact.Channel.LETTER,
            reached=Contact.Reached.NOBODY, outcome=Contact.Outcome.NO_RESPONSE,
            occurred_at=start + dt.timedelta(days=14 * n), duration_minutes=10,
        )  # fmt: skip
    outreach.record_contact(
        person_a, by=worker_a.user, channel=Contact.Channel.DOOR_VISIT,
        reached=Contact.Reached.PERSON, outcome=Contact.Outcome.FACE_TO_FACE,
        occurred_at=timezone.now() - dt.timedelta(days=30), duration_minutes=120,
        note="玄関先で話せた",
    )  # fmt: skip
    return person_a


@pytest.fixture
def consent_a(person_a, worker_a):  # type: ignore[no-untyped-def]
    return record_consent(
        person_a, by=worker_a.user, purpose=Consent.Purpose.SHARING,
        given_on=person_a.organisation.today(),
    )  # fmt: skip
