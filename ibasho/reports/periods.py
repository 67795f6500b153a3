"""Report periods: a calendar month, a fiscal year (from the organisation's own start month),
or a custom from–to range; and their bounds as instants in the organisation's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ibasho.lib.dates import add_months, fiscal_year, fiscal_year_bounds

MONTH, FISCAL_YEAR, CUSTOM = "month", "fiscal_year", "custom"


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self, fiscal_start_month: int = 4) -> str:
        if self.kind == MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == FISCAL_YEAR:
            return _("Fiscal year %(year)s (%(start)s – %(end)s)") % {
                "year": self.start.year,
                "start": date_format(self.start, "DATE_FORMAT"),
                "end": date_format(self.end, "DATE_FORMAT"),
            }
        return f"{date_format(self.start, 'DATE_FORMAT')} – {date_format(self.end, 'DATE_FORMAT')}"

    def bounds(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """From the start of the first day to the start of the day after the last, locally."""
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end

    def months(self) -> list[tuple[int, int]]:
        """Each (year, month) the period touches, in order."""
        found = []
        day = self.start.replace(day=1)
        while day <= self.end:
            found.append((day.year, day.month))
            day = add_months(day, 1)
        return found


def month_period(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    return Period(MONTH, start, add_months(start, 1) - dt.timedelta(days=1))


def fiscal_year_period(year: int, start_month: int) -> Period:
    start, end = fiscal_year_bounds(year, start_month)
    return Period(FISCAL_YEAR, start, end)


def current_fiscal_year(today: dt.date, start_month: int) -> Period:
    return fiscal_year_period(fiscal_year(today, start_month), start_month)


def last_fiscal_year(today: dt.date, start_month: int) -> Period:
    return fiscal_year_period(fiscal_year(today, start_month) - 1, start_month)
