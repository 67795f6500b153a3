"""Trust figures from a person's contact history, as pure functions over plain records.

Trust is time: two-way hours with the person are what counts toward the 20-hour milestone.
Family-only contacts and unanswered attempts are counted separately so that years of patient
family support and knocking stay visible without inflating the person's own figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

MILESTONE_HOURS = 20
CONSISTENCY_WEEKS = 12

PERSON = "person"
FAMILY = "family"
NOBODY = "nobody"


@dataclass(frozen=True)
class ContactRecord:
    occurred_at: datetime
    minutes: int
    reached: str  # PERSON, FAMILY or NOBODY
    two_way: bool

    @property
    def kind(self) -> str:
        """Which figure the record counts toward: two_way, family, or attempt (anything else)."""
        if self.two_way:
            return "two_way"
        if self.reached == FAMILY:
            return "family"
        return "attempt"


@dataclass(frozen=True)
class FirstResponse:
    attempts: int  # attempts made before the first two-way contact (or so far, if none yet)
    responded: bool
    first_response_at: datetime | None


@dataclass(frozen=True)
class MonthHours:
    year: int
    month: int
    two_way_hours: float
    family_hours: float


@dataclass(frozen=True)
class TrustSummary:
    two_way_hours: float
    family_hours: float
    attempts: int
    milestone_progress: float  # 0.0 – 1.0
    consistent_weeks: int
    consistency_weeks: int
    first_response: FirstResponse
    months: tuple[MonthHours, ...]

    @property
    def milestone_reached(self) -> bool:
        return self.milestone_progress >= 1


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def minutes_of(records: Iterable[ContactRecord], kind: str) -> int:
    return sum(r.minutes for r in records if r.kind == kind)


def two_way_hours(records: Iterable[ContactRecord]) -> float:
    return _hours(minutes_of(records, "two_way"))


def family_hours(records: Iterable[ContactRecord]) -> float:
    return _hours(minutes_of(records, "family"))


def attempt_count(records: Iterable[ContactRecord]) -> int:
    return sum(1 for r in records if r.kind == "attempt")


def milestone_progress(hours: float, milestone: float = MILESTONE_HOURS) -> float:
    """Share of the milestone reached, capped at 1."""
    if hours <= 0:
        return 0.0
    return min(1.0, hours / milestone)


def consistent_weeks(
    records: Iterable[ContactRecord],
    today: date,
    tz: tzinfo,
    weeks: int = CONSISTENCY_WEEKS,
) -> int:
    """How many of the last ``weeks`` seven-day windows (the latest ending today) hold a
    two-way contact. Rolling windows avoid a calendar week that has only just begun counting
    as a missed week."""
    hit: set[int] = set()
    for record in records:
        if not record.two_way:
            continue
        days_ago = (today - record.occurred_at.astimezone(tz).date()).days
        if 0 <= days_ago < weeks * 7:
            hit.add(days_ago // 7)
    return len(hit)


def first_response(records: Iterable[ContactRecord]) -> FirstResponse:
    """Attempts to reach the person before their first two-way contact.

    Family contacts are not attempts to reach the person, so they are not counted."""
    attempts = 0
    for record in sorted(records, key=lambda r: r.occurred_at):
        if record.two_way:
            return FirstResponse(attempts, True, record.occurred_at)
        if record.kind == "attempt":
            attempts += 1
    return FirstResponse(attempts, False, None)


def months_back(today: date, months: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    result = []
    for _ in range(months):
        result.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result[::-1]


def hours_per_month(
    records: Iterable[ContactRecord],
    today: date,
    tz: tzinfo,
    months: int = 12,
) -> tuple[MonthHours, ...]:
    """Two-way and family hours for each of the last ``months`` months, oldest first, with
    empty months included so a chart shows gaps honestly."""
    return month_hours(minutes_by_month(records, tz), today, months)


def minutes_by_month(
    records: Iterable[ContactRecord], tz: tzinfo
) -> dict[tuple[int, int], list[int]]:
    """Two-way and family minutes per local (year, month)."""
    minutes: dict[tuple[int, int], list[int]] = {}
    for record in records:
        if record.kind == "attempt":
            continue
        local = record.occurred_at.astimezone(tz)
        bucket = minutes.setdefault((local.year, local.month), [0, 0])
        bucket[0 if record.kind == "two_way" else 1] += record.minutes
    return minutes


def month_hours(
    minutes: dict[tuple[int, int], list[int]], today: date, months: int = 12
) -> tuple[MonthHours, ...]:
    """The chart's months from two-way and family minutes per (year, month)."""
    found = [(key, minutes.get(key, [0, 0])) for key in months_back(today, months)]
    return tuple(
        MonthHours(year, month, _hours(two_way), _hours(family))
        for (year, month), (two_way, family) in found
    )


def month_starts(today: date, tz: tzinfo, months: int = 12) -> list[datetime]:
    """Where each charted month begins in the organisation's time zone, oldest first, and
    where the month after today's begins."""
    keys = months_back(today, months)
    year, month = keys[-1]
    keys.append((year + 1, 1) if month == 12 else (year, month + 1))
    return [datetime(year, month, 1, tzinfo=tz) for year, month in keys]


def week_starts(today: date, tz: tzinfo, weeks: int = CONSISTENCY_WEEKS) -> list[datetime]:
    """Where each seven-day window of `consistent_weeks` begins, the latest first, and where
    tomorrow begins."""
    tomorrow = today + timedelta(days=1)
    starts = [tomorrow - timedelta(days=7 * (n + 1)) for n in range(weeks)]
    return [datetime.combine(day, time.min, tzinfo=tz) for day in [*starts, tomorrow]]


@dataclass(frozen=True)
class Totals:
    """Whole-history figures. The database sums them, so a long history is never read row by
    row; `totals_of` is the same arithmetic over records."""

    two_way_minutes: int
    family_minutes: int
    attempts: int
    first_response: FirstResponse


def totals_of(records: Sequence[ContactRecord]) -> Totals:
    return Totals(
        two_way_minutes=minutes_of(records, "two_way"),
        family_minutes=minutes_of(records, "family"),
        attempts=attempt_count(records),
        first_response=first_response(records),
    )


@dataclass(frozen=True)
class Windows:
    """What the chart and the consistency figure need: two-way and family minutes per
    (year, month) and how many of the last weeks hold a two-way contact."""

    minutes_by_month: dict[tuple[int, int], list[int]]
    consistent_weeks: int


def summarise_totals(totals: Totals, windows: Windows, today: date) -> TrustSummary:
    hours = _hours(totals.two_way_minutes)
    return TrustSummary(
        two_way_hours=hours,
        family_hours=_hours(totals.family_minutes),
        attempts=totals.attempts,
        milestone_progress=milestone_progress(hours),
        consistent_weeks=windows.consistent_weeks,
        consistency_weeks=CONSISTENCY_WEEKS,
        first_response=totals.first_response,
        months=month_hours(windows.minutes_by_month, today),
    )


def summarise(records: Sequence[ContactRecord], today: date, tz: tzinfo) -> TrustSummary:
    windows = Windows(minutes_by_month(records, tz), consistent_weeks(records, today, tz))
    return summarise_totals(totals_of(records), windows, today)
