"""The report for every organisation: each organisation's own figures, whether built in one
process or several."""

import datetime as dt

import pytest

from ibasho.reports import periods, tasks
from ibasho.reports.services import build_report
from ibasho.reports.tests.helpers import contact, person

APRIL = periods.month_period(2026, 4)


@pytest.mark.django_db(transaction=True)  # worker processes read what the test wrote
@pytest.mark.parametrize("processes", [1, 2])
def test_every_organisation_adds_up_each_organisations_headlines(org_a, org_b, processes):
    for org, people in ((org_a, 2), (org_b, 3)):
        for n in range(people):
            who = person(org, name=f"人{n}")
            contact(org, who, dt.date(2026, 4, 1 + n), minutes=60)
            contact(org, who, dt.date(2026, 4, 10), reached="nobody", outcome="no_response")
    found = tasks.every_organisation("contacts", APRIL.start, APRIL.end, processes=processes)
    assert found["organisations"] == 2
    each = [
        {h.key: h.value for h in build_report("contacts", org, APRIL).headlines}
        for org in (org_a, org_b)
    ]
    assert found["totals"]["people"] == 5 and found["totals"]["contacts"] == 10
    assert found["totals"] == {key: each[0][key] + each[1][key] for key in each[0]}
