"""Two workers record an unanswered attempt for the same person at the same moment: on
PostgreSQL, where writers really run side by side, neither increment may be lost."""

import contextlib
import threading

import pytest
from django.db import connection

from ibasho.accounts.tenancy import organisation_scope
from ibasho.outreach import services
from ibasho.outreach.models import Contact, OutreachPlan
from ibasho.outreach.services import plans
from ibasho.outreach.tests.replay import assert_plans_equal_replay

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite admits one writer at a time (and the app serialises them on a file lock)",
    ),
]


def test_two_attempts_at_once_both_count(person_a, worker_a, coordinator_a, monkeypatch):
    # Both writers are held where the stored state has been read and not yet written: without
    # a row lock both read the same count and one increment is lost. With the lock the second
    # writer waits before reading, the rendezvous times out and they run one after the other.
    rendezvous = threading.Barrier(2, timeout=3)
    read_state = plans.comes_last

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        with contextlib.suppress(threading.BrokenBarrierError):
            rendezvous.wait()
        return read_state(*args, **kwargs)

    monkeypatch.setattr(plans, "comes_last", held)
    start = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def attempt(user) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait()
            # A new thread starts outside any scope; a request would run in its organisation's.
            with organisation_scope(person_a.organisation_id):
                services.record_contact(
                    person_a, by=user, channel=Contact.Channel.LETTER,
                    outcome=Contact.Outcome.LETTER_LEFT, duration_minutes=15,
                )  # fmt: skip
        except BaseException as error:  # noqa: BLE001 -- reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    users = (worker_a.user, coordinator_a.user)
    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert Contact.objects.filter(person=person_a).count() == 2
    cadence = OutreachPlan.objects.get(case__person=person_a).cadences.get()
    assert cadence.unanswered == 2
    assert_plans_equal_replay(person_a)
