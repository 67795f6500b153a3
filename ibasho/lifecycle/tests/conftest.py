import datetime as dt

import pytest

from ibasho.people.models import Case


@pytest.fixture
def closed_long_ago(person_a):  # type: ignore[no-untyped-def]
    """person_a's case, closed six years ago."""
    today = person_a.organisation.today()
    Case.objects.filter(person=person_a).update(
        status=Case.Status.CLOSED,
        opened_on=today - dt.timedelta(days=9 * 365),
        closed_on=today - dt.timedelta(days=6 * 366),
    )
    return Case.objects.get(person=person_a)
