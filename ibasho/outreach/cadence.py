"""Outreach cadences, backoff and quiet periods as plain data and pure functions.

The rules here encode the first principle of the product: outreach slows down gently after
unanswered attempts but never stops while a case is open. Nothing in this module touches the
database; the outreach services translate models into these dataclasses and store the results
(for example the next due date of each cadence) so that the Today queue never has to replay
contact history at request time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class BackoffRule:
    """How the interval grows after unanswered attempts.

    Each unanswered attempt in a row multiplies the interval by ``factor``; the result is capped
    at ``ceiling_days``. The ceiling never shortens a cadence that is already longer than it, so
    a quarterly letter stays quarterly even with a 60-day ceiling.
    """

    factor: float = 1.5
    ceiling_days: int = 42

    def __post_init__(self) -> None:
        if not math.isfinite(self.factor) or self.factor < 1:
            raise ValueError("factor must be a finite number of at least 1")
        if self.ceiling_days < 1:
            raise ValueError("ceiling_days must be at least 1")


@dataclass(frozen=True)
class Cadence:
    """One channel of an outreach plan: e.g. a letter every 14 days from ``starts_on``."""

    channel: str
    every_days: int
    starts_on: date

    def __post_init__(self) -> None:
        if self.every_days < 1:
            raise ValueError("every_days must be at least 1")


@dataclass(frozen=True)
class QuietPeriod:
    """A pause the person asked for, until a date they chose.

    Only the channels in ``continuing`` (those the person agreed to) stay on their cadence; every
    other channel becomes due again on ``until``. A quiet period starts when it is agreed, so any
    work due before ``until`` on a paused channel (overdue work included) waits for ``until``.
    """

    starts_on: date
    until: date
    continuing: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.until <= self.starts_on:
            raise ValueError("until must be after starts_on")


@dataclass(frozen=True)
class Attempt:
    """One contact as far as the cadence cares: when, on which channel, whether it was answered.

    ``answered`` is true for a reply or any two-way contact; it resets the backoff of every
    channel and restarts every channel's clock, because the relationship, not the channel, is
    what responded: after an hour's meeting at the door, nobody should be told to phone tomorrow.
    """

    on: date
    channel: str
    answered: bool


@dataclass(frozen=True)
class CadenceState:
    """What a cadence needs to remember: the day its clock last restarted (its own last attempt,
    or the last two-way contact on any channel) and the run of unanswered attempts since the
    last response. Stored beside each cadence so a new contact
    updates it without replaying history."""

    last_on: date | None = None
    unanswered: int = 0


@dataclass(frozen=True)
class DueItem:
    channel: str
    due_on: date
    unanswered: int
    interval_days: int

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_on).days)


def interval_after(every_days: int, unanswered: int, rule: BackoffRule) -> int:
    """The interval in days after ``unanswered`` unanswered attempts in a row."""
    if unanswered < 0:
        raise ValueError("unanswered cannot be negative")
    cap = max(every_days, rule.ceiling_days)
    interval = float(every_days)
    # Multiply step by step and stop at the cap: no overflow for long unanswered runs.
    for _ in range(unanswered):
        interval *= rule.factor
        if interval >= cap:
            return cap
    return min(cap, math.ceil(interval))


def apply_attempt(state: CadenceState, channel: str, attempt: Attempt) -> CadenceState:
    """The state of the cadence on ``channel`` after ``attempt`` (on any channel): an attempt on
    this channel, or a two-way contact on any channel, restarts its clock; an unanswered
    attempt elsewhere leaves it alone."""
    last_on = state.last_on
    if attempt.channel == channel or attempt.answered:
        last_on = attempt.on if last_on is None else max(last_on, attempt.on)
    if attempt.answered:
        return CadenceState(last_on=last_on, unanswered=0)
    if attempt.channel != channel:
        return state
    return CadenceState(last_on=last_on, unanswered=state.unanswered + 1)


def state_from_history(channel: str, attempts: Iterable[Attempt]) -> CadenceState:
    """Replay a history (any order) for one channel; used after edits and deletes."""
    state = CadenceState()
    for attempt in sorted(attempts, key=lambda a: (a.on, a.answered)):
        state = apply_attempt(state, channel, attempt)
    return state


def due_on(
    cadence: Cadence,
    state: CadenceState,
    rule: BackoffRule,
    quiet: QuietPeriod | None = None,
) -> DueItem:
    """When the cadence is next due, given its state, the backoff rule and any quiet period."""
    interval = interval_after(cadence.every_days, state.unanswered, rule)
    if state.last_on is None:
        due = cadence.starts_on
    else:
        due = max(cadence.starts_on, state.last_on + timedelta(days=interval))
    if quiet is not None and cadence.channel not in quiet.continuing and due < quiet.until:
        due = quiet.until
    return DueItem(
        channel=cadence.channel,
        due_on=due,
        unanswered=state.unanswered,
        interval_days=interval,
    )
