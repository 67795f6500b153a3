import datetime as dt

import pytest

from ibasho.lib.dates import age_on, fiscal_year, fiscal_year_bounds


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        (dt.date(2026, 3, 31), 4, 2025),
        (dt.date(2026, 4, 1), 4, 2026),
        (dt.date(2026, 12, 31), 4, 2026),
        (dt.date(2026, 1, 1), 1, 2026),
    ],
)
def test_fiscal_year(day, start, expected):
    assert fiscal_year(day, start) == expected


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


@pytest.mark.parametrize(
    ("birth_date", "birth_year", "expected"),
    [
        (dt.date(1980, 11, 24), None, 45),
        (dt.date(1980, 11, 23), None, 46),
        (None, 1980, 46),
        (None, None, None),
    ],
)
def test_age_on(birth_date, birth_year, expected):
    assert age_on(dt.date(2026, 11, 23), birth_date, birth_year) == expected
