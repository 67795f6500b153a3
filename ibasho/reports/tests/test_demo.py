"""The demo organisation's reports for the last fiscal year are plausible and not empty."""

import datetime as dt

import pytest

from ibasho.ops.synthetic import create_organisation
from ibasho.reports import periods
from ibasho.reports.services import build_report, publish

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return create_organisation(seed=3, people=60, today=TODAY).organisation


def test_last_fiscal_year_has_plausible_tables(demo):
    period = periods.last_fiscal_year(TODAY, demo.fiscal_year_start_month)
    contacts = build_report("contacts", demo, period)
    people, total = contacts.table("month").total.values[:2]
    assert 20 <= people <= 60 and total > 2 * people
    assert sum(1 for r in contacts.table("month").rows if r.values[1]) == 12
    assert sum(1 for r in contacts.table("method").rows if r.values[1]) >= 4
    assert contacts.table("with_whom").rows[1].values[1] > 0  # family contacts
    assert sum(1 for r in contacts.table("age_band").rows if r.values[0]) >= 3
    published = publish(contacts, demo)
    assert published.table("month").total.values[:2] == [people, total]
    programmes = build_report("programmes", demo, period)
    assert programmes.table("programmes").total.values[0] > 0
    outcomes = build_report("outcomes", demo, period)
    assert outcomes.table("instruments").total.values[1] > 0
    persistence = build_report("persistence", demo, period)
    assert persistence.table("answered").total.values[0] >= people
    unreached = build_report("unreached", demo, period)
    assert unreached.table("unreached").total.values[1] > 1000
