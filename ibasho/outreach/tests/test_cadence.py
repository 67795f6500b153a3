from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibasho.outreach.cadence import (
    Attempt,
    BackoffRule,
    Cadence,
    CadenceState,
    QuietPeriod,
    apply_attempt,
    due_on,
    interval_after,
    state_from_history,
)

D = date(2025, 4, 1)


def next_due(
    cadences: tuple[Cadence, ...],
    history: list[Attempt],
    rule: BackoffRule,
    quiet: QuietPeriod | None = None,
) -> date:
    """The earliest due date over a plan's cadences after a full replay, as the plan refresh
    computes it."""
    return min(
        due_on(c, state_from_history(c.channel, history), rule, quiet).due_on for c in cadences
    )


def day(n: int) -> date:
    return D + timedelta(days=n)


@pytest.mark.parametrize(
    ("every", "unanswered", "factor", "ceiling", "expected"),
    [
        (14, 0, 1.5, 60, 14),  # no backoff before any unanswered attempt
        (14, 1, 1.5, 60, 21),
        (14, 2, 1.5, 60, 32),  # 31.5 rounds up
        (14, 3, 1.5, 60, 48),  # 47.25 rounds up
        (14, 4, 1.5, 60, 60),  # 70.9 capped at the ceiling
        (14, 500, 1.5, 60, 60),  # very long runs stay at the ceiling
        (14, 5000, 2.0, 60, 60),  # no overflow
        (30, 3, 1.0, 60, 30),  # factor 1: no backoff at all
        (90, 2, 1.5, 60, 90),  # the ceiling never shortens a longer cadence
        (7, 1, 2.0, 10, 10),
        (1, 0, 3.0, 5, 1),
    ],
)
def test_interval_after(every, unanswered, factor, ceiling, expected):
    assert interval_after(every, unanswered, BackoffRule(factor, ceiling)) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"factor": 0.5}, "factor"),
        ({"factor": float("inf")}, "factor"),
        ({"factor": float("nan")}, "factor"),
        ({"ceiling_days": 0}, "ceiling_days"),
    ],
)
def test_backoff_rule_rejects_rules_that_would_shrink_or_stop(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BackoffRule(**kwargs)


def test_interval_after_rejects_negative_counts():
    with pytest.raises(ValueError):
        interval_after(14, -1, BackoffRule())


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"every_days": 0}, "every_days"), ({"every_days": -3}, "every_days")],
)
def test_cadence_needs_a_positive_interval(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Cadence("letter", starts_on=D, **kwargs)


def test_quiet_period_must_end_after_it_starts():
    with pytest.raises(ValueError, match="until"):
        QuietPeriod(starts_on=D, until=D)


A = Attempt
LETTER = "letter"
VISIT = "door_visit"


@pytest.mark.parametrize(
    ("history", "channel", "expected"),
    [
        ([], LETTER, CadenceState(None, 0)),
        ([A(day(0), LETTER, False)], LETTER, CadenceState(day(0), 1)),
        (
            [A(day(0), LETTER, False), A(day(14), LETTER, False)],
            LETTER,
            CadenceState(day(14), 2),
        ),
        # another channel's unanswered attempt leaves this cadence alone
        (
            [A(day(0), LETTER, False), A(day(3), VISIT, False)],
            LETTER,
            CadenceState(day(0), 1),
        ),
        # a two-way contact on any channel resets the run and restarts this channel's clock:
        # a meeting at the door means no letter is due the next day
        (
            [A(day(0), LETTER, False), A(day(5), "phone", True)],
            LETTER,
            CadenceState(day(5), 0),
        ),
        (
            [A(day(0), LETTER, False), A(day(30), VISIT, True)],
            VISIT,
            CadenceState(day(30), 0),
        ),
        # a reply older than this channel's last attempt does not move its clock back
        (
            [A(day(10), LETTER, False), A(day(5), "phone", True)],
            LETTER,
            CadenceState(day(10), 1),
        ),
        # a reply on this channel moves its last contact too
        (
            [A(day(0), LETTER, False), A(day(5), LETTER, True)],
            LETTER,
            CadenceState(day(5), 0),
        ),
        # unanswered attempts after a reply start a new run
        (
            [
                A(day(0), LETTER, False),
                A(day(5), VISIT, True),
                A(day(20), LETTER, False),
            ],
            LETTER,
            CadenceState(day(20), 1),
        ),
        # history given out of order is replayed in date order
        (
            [
                A(day(20), LETTER, False),
                A(day(5), VISIT, True),
                A(day(0), LETTER, False),
            ],
            LETTER,
            CadenceState(day(20), 1),
        ),
    ],
)
def test_state_from_history(history, channel, expected):
    assert state_from_history(channel, history) == expected


def test_apply_attempt_matches_replay():
    history = [
        A(day(0), LETTER, False),
        A(day(9), VISIT, False),
        A(day(14), LETTER, False),
    ]
    state = CadenceState()
    for attempt in history:
        state = apply_attempt(state, LETTER, attempt)
    assert state == state_from_history(LETTER, history)


RULE = BackoffRule(factor=1.5, ceiling_days=60)
LETTERS = Cadence(LETTER, 14, D)


@pytest.mark.parametrize(
    ("state", "quiet", "expected_due"),
    [
        (CadenceState(), None, D),  # never tried: due from the start
        (CadenceState(day(0), 0), None, day(14)),
        (CadenceState(day(0), 1), None, day(21)),
        (CadenceState(day(0), 4), None, day(60)),  # at the ceiling
        (CadenceState(day(0), 40), None, day(60)),
        # quiet until day 30: a letter due on day 14 waits until day 30
        (CadenceState(day(0), 0), QuietPeriod(day(1), day(30)), day(30)),
        # overdue work waits too: the person asked for quiet
        (CadenceState(day(-60), 0), QuietPeriod(day(1), day(30)), day(30)),
        # a due date after the quiet period is unaffected
        (CadenceState(day(20), 0), QuietPeriod(day(1), day(30)), day(34)),
        # letters were agreed to continue during the quiet period
        (
            CadenceState(day(0), 0),
            QuietPeriod(day(1), day(30), frozenset({LETTER})),
            day(14),
        ),
    ],
)
def test_due_on(state, quiet, expected_due):
    assert due_on(LETTERS, state, RULE, quiet).due_on == expected_due


def test_due_on_never_before_the_cadence_starts():
    later = Cadence(LETTER, 14, day(40))
    assert due_on(later, CadenceState(day(0), 0), RULE).due_on == day(40)


def test_plan_with_two_channels_reports_both_earliest_first():
    cadences = (Cadence(VISIT, 30, D), LETTERS)
    history = [
        A(day(0), LETTER, False),
        A(day(2), VISIT, False),
        A(day(14), LETTER, False),
    ]
    items = sorted(
        (due_on(c, state_from_history(c.channel, history), RULE) for c in cadences),
        key=lambda item: item.due_on,
    )
    # letter: last day 14, two unanswered -> 32 days -> day 46; visit: day 2 + 45 -> day 47
    assert [(i.channel, i.due_on) for i in items] == [
        (LETTER, day(46)),
        (VISIT, day(47)),
    ]
    assert next_due(cadences, history, RULE) == day(46)


def test_a_reply_brings_the_plan_back_to_its_base_cadence():
    unanswered = [A(day(14 * i), LETTER, False) for i in range(6)]
    assert next_due((LETTERS,), unanswered, RULE) == day(70 + 60)
    replied = [*unanswered, A(day(80), LETTER, True)]
    assert next_due((LETTERS,), replied, RULE) == day(94)


# Property: however many unanswered attempts, an open case is due again within the ceiling.

channels = st.sampled_from([LETTER, VISIT, "phone", "message"])
unanswered_history = st.lists(
    st.builds(
        Attempt,
        on=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
        channel=channels,
        answered=st.just(False),
    ),
    max_size=60,
)
rules = st.builds(
    BackoffRule,
    factor=st.floats(min_value=1, max_value=10, allow_nan=False),
    ceiling_days=st.integers(min_value=1, max_value=365),
)
cadences = st.builds(
    Cadence,
    channel=channels,
    every_days=st.integers(min_value=1, max_value=400),
    starts_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
)


@given(cadence=cadences, rule=rules, history=unanswered_history)
def test_open_case_is_always_due_again_within_the_ceiling(cadence, rule, history):
    due = next_due((cadence,), history, rule)
    own = [a.on for a in history if a.channel == cadence.channel]
    if own:
        latest = max(own)
        limit = max(cadence.every_days, rule.ceiling_days)
        assert latest < due <= max(cadence.starts_on, latest + timedelta(days=limit))
    else:
        assert due == cadence.starts_on


@given(cadence=cadences, rule=rules, history=unanswered_history, gap=st.integers(1, 400))
def test_quiet_period_delays_but_never_stops(cadence, rule, history, gap):
    start = max([a.on for a in history], default=cadence.starts_on)
    quiet = QuietPeriod(start, start + timedelta(days=gap))
    without_quiet = next_due((cadence,), history, rule)
    due = next_due((cadence,), history, rule, quiet)
    assert due == max(without_quiet, quiet.until)


@given(cadence=cadences, rule=rules, history=unanswered_history)
def test_more_unanswered_attempts_never_bring_the_next_attempt_closer(cadence, rule, history):
    state = state_from_history(cadence.channel, history)
    if state.last_on is None:
        return
    more = CadenceState(state.last_on, state.unanswered + 1)
    assert due_on(cadence, more, rule).due_on >= due_on(cadence, state, rule).due_on
