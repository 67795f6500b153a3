"""Small-cell suppression: small counts are withheld, and a reader who knows the totals, the
cells shown and the rule still cannot work a withheld cell out."""

import datetime as dt
import itertools

import pytest

from ibasho.reports import periods
from ibasho.reports.models import ReportSettings
from ibasho.reports.services import build_report, publish
from ibasho.reports.suppression import cell_text, suppress_table
from ibasho.reports.tables import COUNT, HIDDEN, HOURS, PEOPLE, SHOWN, SMALL, Column, Row, Table
from ibasho.reports.tests.helpers import contact, person


def table(values: list[int], *, total: bool = True) -> Table:
    rows = [Row(f"r{i}", f"row {i}", [v, v * 3, v * 1.5]) for i, v in enumerate(values)]
    columns = [Column("people", "people", PEOPLE), Column("contacts", "contacts", COUNT),
               Column("hours", "hours", HOURS)]  # fmt: skip
    sums = Row("total", "total", [sum(values), 3 * sum(values), 1.5 * sum(values)])
    return Table("t", "t", "unique_people", columns, rows, sums if total else None)


def attack(published: Table, column: int, threshold: int) -> dict[int, set[int]]:
    """Every value each withheld cell of a column could hold, by brute force, given the total,
    the cells shown, "<t" meaning 1..t-1 and "x" meaning at least t (the rule is public)."""
    assert published.total is not None
    total = published.total.values[column]
    if total is None:
        return {}
    rest = int(total) - sum(int(r.values[column]) for r in published.rows
                            if r.state(column) == SHOWN)  # fmt: skip
    withheld = [i for i, r in enumerate(published.rows) if r.state(column) != SHOWN]
    ranges = [
        range(1, threshold) if published.rows[i].state(column) == SMALL
        else range(threshold, rest + 1)
        for i in withheld
    ]  # fmt: skip
    found: dict[int, set[int]] = {i: set() for i in withheld}
    for combo in itertools.product(*ranges):
        if sum(combo) == rest:
            for i, v in zip(withheld, combo, strict=True):
                found[i].add(v)
    return found


CASES = [
    [1, 20, 30],
    [3, 5, 40],
    [1, 1, 50],
    [2, 0, 0, 9],
    [4, 6],
    [1, 5, 5, 5],
    [2, 3],
    [1, 2, 3, 4],
    [0, 0, 12],
    [4, 4, 100, 7],
]


@pytest.mark.parametrize("values", CASES)
@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_no_withheld_cell_can_be_worked_out_from_the_totals(values, threshold):
    published = suppress_table(table(values), threshold)
    for column in (0, 1):
        for index, options in attack(published, column, threshold).items():
            if published.rows[index].state(column) == SMALL:
                assert len(options) >= 2, (values, column, index, options)
    for row, value in zip(published.rows, values, strict=True):
        if 0 < value < threshold:
            assert row.state(0) == SMALL and row.values[0] is None
            assert row.state(2) == HIDDEN  # the hours of a withheld group go with it
        if value == 0 or value >= threshold:
            assert row.state(0) in (SHOWN, HIDDEN)


def test_the_attack_works_without_complementary_suppression():
    """The same attack recovers the cell when only the small cell is withheld."""
    naive = suppress_table(table([1, 20, 30], total=False), 5)
    naive.total = Row("total", "total", [51, 153, 76.5], states=[SHOWN] * 3)
    assert attack(naive, 0, 5) == {0: {1}}


def test_cells_read_as_published():
    from django.utils import translation

    with translation.override("ja"):
        assert cell_text(None, SMALL, 5) == "5未満"
    with translation.override("en"):
        assert cell_text(None, SMALL, 5) == "<5"
    assert cell_text(None, HIDDEN, 5) == "x"
    assert cell_text(1234, SHOWN, 5) == "1,234"
    assert cell_text(2.5, SHOWN, 5, HOURS) == "2.5"
    assert cell_text(0, SHOWN, 5) == "0"


@pytest.mark.django_db
def test_a_published_report_cannot_be_worked_back(org_a, settings):
    """Through the database: 3 people by letter, 12 by phone, 9 by visit."""
    period = periods.month_period(2026, 4)
    for n, channel in enumerate(["letter"] * 3 + ["phone"] * 12 + ["door_visit"] * 9):
        who = person(org_a, name=f"人{n}", birth_year=1980 + n)
        contact(org_a, who, dt.date(2026, 4, 1 + n % 28), channel=channel)
    report = build_report("contacts", org_a, period)
    method = publish(report, org_a).table("method")
    letter = next(r for r in method.rows if r.key == "letter")
    assert letter.values == [None, None, None]
    assert letter.states[:2] == [SMALL, SMALL]
    for column in (0, 1):
        for index, options in attack(method, column, 5).items():
            if method.rows[index].state(column) == SMALL:
                assert len(options) >= 2
    assert method.total is not None and method.total.values[:2] == [24, 24]


@pytest.mark.django_db
def test_the_threshold_is_the_organisations(org_a):
    ReportSettings.objects.create(organisation=org_a, threshold=10)
    period = periods.month_period(2026, 4)
    for n in range(7):
        contact(org_a, person(org_a, name=f"人{n}"), dt.date(2026, 4, 2))
    published = publish(build_report("contacts", org_a, period), org_a)
    people = next(h for h in published.headlines if h.key == "people")
    assert people.state == SMALL and people.value is None
