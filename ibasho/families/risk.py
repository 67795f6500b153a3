"""8050 / 7040 household risk signals computed from plain household facts.

No database here: callers build `HouseholdFacts` from their records and an organisation's
`Thresholds`, and get back the signals and the household's place on the risk board.
The thresholds are design choices, not sourced values, so every one of them is configurable.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

T = TypeVar("T")


class Severity(enum.IntEnum):
    WATCH = 1
    RAISED = 2
    HIGH = 3
    URGENT = 4


class ParentStatus(enum.StrEnum):
    WELL = "well"
    ILL = "ill"
    HOSPITALISED = "hospitalised"
    IN_CARE = "in_care"
    DIED = "died"
    MOVED_OUT = "moved_out"


# A change to one of these puts the household at the top of the board the day it is reported:
# the parent's pension and daily care of the person may stop at once.
SUDDEN_STATUSES = frozenset({ParentStatus.HOSPITALISED, ParentStatus.IN_CARE, ParentStatus.DIED})


@dataclass(frozen=True)
class Thresholds:
    parent_age_watch: int = 75
    parent_age_high: int = 80
    person_age: int = 40
    withdrawn_years: int = 10
    # How many days a sudden change in a parent's status keeps the household at the top.
    top_days: int = 30

    def __post_init__(self) -> None:
        for name in (
            "parent_age_watch",
            "parent_age_high",
            "person_age",
            "withdrawn_years",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.top_days < 0:
            raise ValueError("top_days must not be negative")
        if self.parent_age_watch > self.parent_age_high:
            raise ValueError("parent_age_watch must not be above parent_age_high")


@dataclass(frozen=True)
class ParentFacts:
    label: str = ""  # shown with the signal, e.g. "母" / "Mother"
    age: int | None = None
    status: ParentStatus = ParentStatus.WELL
    status_changed_on: date | None = None


@dataclass(frozen=True)
class PersonFacts:
    age: int | None = None
    withdrawn_since: date | None = None


@dataclass(frozen=True)
class HouseholdFacts:
    parents: tuple[ParentFacts, ...] = ()
    people: tuple[PersonFacts, ...] = ()
    income_stopping: bool = False
    no_outside_contact: bool = False
    violence: bool = False


@dataclass(frozen=True)
class Signal:
    code: str
    severity: Severity
    weight: int
    label_en: str
    label_ja: str
    subject: str = ""
    since: date | None = None

    def label(self, language: str | None) -> str:
        return self.label_ja if (language or "").startswith("ja") else self.label_en


@dataclass(frozen=True)
class HouseholdRisk:
    signals: tuple[Signal, ...]
    # The latest sudden parent change still inside `top_days`, or None.
    top_since: date | None = None

    @property
    def score(self) -> int:
        return sum(s.weight for s in self.signals)

    @property
    def severity(self) -> Severity | None:
        return max((s.severity for s in self.signals), default=None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.signals)


# code -> (severity, weight, English label, Japanese label); labels may use {age} / {years}.
SIGNALS: dict[str, tuple[Severity, int, str, str]] = {
    "parent_age_watch": (
        Severity.WATCH,
        1,
        "Parent aged {age} or over",
        "親が{age}歳以上",
    ),
    "parent_age_high": (
        Severity.RAISED,
        2,
        "Parent aged {age} or over",
        "親が{age}歳以上",
    ),
    "parent_ill": (Severity.RAISED, 2, "Parent ill", "親が病気"),
    "parent_hospitalised": (Severity.HIGH, 4, "Parent in hospital", "親が入院"),
    "parent_in_care": (Severity.HIGH, 4, "Parent entering care", "親が介護施設へ入所"),
    "parent_died": (Severity.HIGH, 5, "Parent died", "親が死亡"),
    "income_stopping": (
        Severity.HIGH,
        3,
        "Pension or income stopping",
        "年金・収入が途絶える",
    ),
    "no_outside_contact": (
        Severity.RAISED,
        2,
        "No contact outside the family",
        "家族以外との接触がない",
    ),
    "violence": (Severity.URGENT, 5, "Violence in the household", "家庭内の暴力"),
    "long_withdrawal": (
        Severity.RAISED,
        2,
        "Person aged {age}+ and withdrawn {years}+ years",
        "本人{age}歳以上・ひきこもり{years}年以上",
    ),
}

STATUS_CODES = {
    ParentStatus.ILL: "parent_ill",
    ParentStatus.HOSPITALISED: "parent_hospitalised",
    ParentStatus.IN_CARE: "parent_in_care",
    ParentStatus.DIED: "parent_died",
}


def full_years(start: date, day: date) -> int:
    """Whole years from `start` to `day` (an age on that day)."""
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


def _signal(
    code: str,
    *,
    subject: str = "",
    since: date | None = None,
    severity: Severity | None = None,
    **values: int,
) -> Signal:
    default_severity, weight, label_en, label_ja = SIGNALS[code]
    return Signal(
        code=code,
        severity=severity or default_severity,
        weight=weight,
        label_en=label_en.format(**values),
        label_ja=label_ja.format(**values),
        subject=subject,
        since=since,
    )


def _is_recent(changed_on: date | None, today: date, limits: Thresholds) -> bool:
    return changed_on is not None and today - timedelta(days=limits.top_days) <= changed_on <= today


def parent_signals(parent: ParentFacts, today: date, limits: Thresholds) -> list[Signal]:
    signals = []
    age = parent.age
    # A parent who died or moved out no longer carries the household: their age is no signal.
    if parent.status not in (ParentStatus.DIED, ParentStatus.MOVED_OUT) and age is not None:
        # Only the higher age band is shown: the two describe the same fact.
        if age >= limits.parent_age_high:
            signals.append(
                _signal("parent_age_high", subject=parent.label, age=limits.parent_age_high)
            )
        elif age >= limits.parent_age_watch:
            signals.append(
                _signal(
                    "parent_age_watch",
                    subject=parent.label,
                    age=limits.parent_age_watch,
                )
            )
    code = STATUS_CODES.get(parent.status)
    if code is not None:
        recent = parent.status in SUDDEN_STATUSES and _is_recent(
            parent.status_changed_on, today, limits
        )
        signals.append(
            _signal(
                code,
                subject=parent.label,
                since=parent.status_changed_on,
                severity=Severity.URGENT if recent else None,
            )
        )
    return signals


def assess(facts: HouseholdFacts, today: date, limits: Thresholds | None = None) -> HouseholdRisk:
    limits = limits or Thresholds()
    signals: list[Signal] = []
    for parent in facts.parents:
        signals.extend(parent_signals(parent, today, limits))
    if facts.income_stopping:
        signals.append(_signal("income_stopping"))
    if facts.no_outside_contact:
        signals.append(_signal("no_outside_contact"))
    if facts.violence:
        signals.append(_signal("violence"))
    if any(
        person.age is not None
        and person.withdrawn_since is not None
        and person.age >= limits.person_age
        and full_years(person.withdrawn_since, today) >= limits.withdrawn_years
        for person in facts.people
    ):
        signals.append(
            _signal("long_withdrawal", age=limits.person_age, years=limits.withdrawn_years)
        )
    recent_changes = [
        p.status_changed_on
        for p in facts.parents
        if p.status in SUDDEN_STATUSES and _is_recent(p.status_changed_on, today, limits)
    ]
    top_since = max((d for d in recent_changes if d is not None), default=None)
    signals.sort(key=lambda s: (-s.severity, -s.weight))
    return HouseholdRisk(signals=tuple(signals), top_since=top_since)


def board_key(risk: HouseholdRisk) -> tuple[int, int, int, int]:
    """Sort key for the risk board: recent sudden parent changes first (newest first), then by
    the worst severity, then by total weight. Python's sort is stable, so callers sort by name
    first to break ties."""
    if risk.top_since is not None:
        return (0, -risk.top_since.toordinal(), -(risk.severity or 0), -risk.score)
    return (1, 0, -(risk.severity or 0), -risk.score)


def board_order(
    items: Iterable[tuple[T, HouseholdRisk]],
) -> list[tuple[T, HouseholdRisk]]:
    return sorted(items, key=lambda item: board_key(item[1]))
