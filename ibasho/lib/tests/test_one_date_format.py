"""One date and one time format per language (ibasho/lib/formats): 2026年12月2日 7:18 and
2 Dec 2026 07:18. Served templates name a format; only weekday names are written as a pattern."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format

PACKAGE = Path(__file__).resolve().parents[2]
FILTER = re.compile(r"\|(?:date|time):\"([^\"]*)\"")
NAMED = {
    "DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT",
    "l", "D",  # the weekday's name
}  # fmt: skip


def test_served_templates_use_the_named_formats():
    found = [
        f"{path.relative_to(PACKAGE)}: {pattern}"
        for path in PACKAGE.rglob("templates/**/*.html")
        if "pdf" not in str(path.relative_to(PACKAGE))
        for pattern in FILTER.findall(path.read_text(encoding="utf-8"))
        if pattern not in NAMED
    ]
    assert found == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ja", "2026年12月2日 7:18"), ("en", "2 Dec 2026 07:18")],
)
def test_one_format_per_language(language, expected):
    with translation.override(language):
        assert date_format(dt.datetime(2026, 12, 2, 7, 18), "DATETIME_FORMAT") == expected
