"""Dates as Japanese organisations count them."""

import calendar
import datetime as dt


def fiscal_year(day: dt.date, start_month: int = 4) -> int:
    """The fiscal year a day falls in, named by the calendar year it starts in
    (FY2026 = April 2026 to March 2027)."""
    return day.year if day.month >= start_month else day.year - 1


def fiscal_year_bounds(year: int, start_month: int = 4) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year."""
    start = dt.date(year, start_month, 1)
    end = dt.date(year + 1, start_month, 1) - dt.timedelta(days=1)
    return start, end


def age_on(day: dt.date, birth_date: dt.date | None, birth_year: int | None) -> int | None:
    """Exact age from a birth date; from a birth year alone, the age reached during that year."""
    if birth_date:
        before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
        return day.year - birth_date.year - int(before_birthday)
    if birth_year:
        return day.year - birth_year
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
