"""Family course templates as data, and the plan of numbered sessions and measurement points.

The published family programmes measure the family member (and the person, as reported by the
family) before the course, after it and at a follow-up 2 to 4 months later; the plan carries
those points so that nobody has to remember them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ibasho.lib.dates import add_months

FOLLOW_UP_MONTHS = (2, 4)  # the follow-up window after the last session, in months
MEASUREMENT_WINDOW_DAYS = 14  # before: up to 14 days ahead of the start; after: 14 days later


@dataclass(frozen=True)
class CourseTemplate:
    code: str
    name_en: str
    name_ja: str
    sessions: int
    minutes: int
    interval_days: int
    follow_up_months: int

    def name(self, language: str | None) -> str:
        return self.name_ja if (language or "").startswith("ja") else self.name_en


TEMPLATES: dict[str, CourseTemplate] = {
    t.code: t
    for t in (
        CourseTemplate(
            code="craft",
            name_en="CRAFT family programme (12 sessions)",
            name_ja="CRAFTプログラム（全12回）",
            sessions=12,
            minutes=90,
            interval_days=7,
            follow_up_months=2,
        ),
        CourseTemplate(
            code="weekly_5",
            name_en="Family programme, 5 weekly sessions",
            name_ja="家族プログラム（毎週・全5回）",
            sessions=5,
            minutes=120,
            interval_days=7,
            follow_up_months=3,
        ),
        CourseTemplate(
            code="fortnightly_3",
            name_en="Family programme, 3 fortnightly sessions",
            name_ja="家族プログラム（隔週・全3回）",
            sessions=3,
            minutes=180,
            interval_days=14,
            follow_up_months=4,
        ),
    )
}


@dataclass(frozen=True)
class PlannedSession:
    number: int
    on: date
    minutes: int


@dataclass(frozen=True)
class MeasurementPoint:
    kind: str  # "before", "after" or "follow_up"
    due_on: date
    window_start: date
    window_end: date


@dataclass(frozen=True)
class CoursePlan:
    sessions: tuple[PlannedSession, ...]
    measurements: tuple[MeasurementPoint, ...]

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)


def lay_out(
    template: CourseTemplate, start: date, *, follow_up_months: int | None = None
) -> CoursePlan:
    """Numbered sessions every `interval_days` from `start`, with the three measurement points."""
    months = template.follow_up_months if follow_up_months is None else follow_up_months
    low, high = FOLLOW_UP_MONTHS
    if not low <= months <= high:
        raise ValueError(f"follow_up_months must be between {low} and {high}")
    sessions = tuple(
        PlannedSession(
            number=n + 1,
            on=start + timedelta(days=n * template.interval_days),
            minutes=template.minutes,
        )
        for n in range(template.sessions)
    )
    last = sessions[-1].on
    window = timedelta(days=MEASUREMENT_WINDOW_DAYS)
    measurements = (
        MeasurementPoint("before", start, start - window, start),
        MeasurementPoint("after", last, last, last + window),
        MeasurementPoint(
            "follow_up",
            add_months(last, months),
            add_months(last, low),
            add_months(last, high),
        ),
    )
    return CoursePlan(sessions=sessions, measurements=measurements)
