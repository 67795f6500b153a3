from datetime import date

import pytest

from ibasho.lib.dates import add_months
from ibasho.programmes.courses import TEMPLATES, lay_out

START = date(2026, 4, 7)  # a Tuesday


@pytest.mark.parametrize(
    ("code", "count", "minutes", "last_on", "total_minutes"),
    [
        ("craft", 12, 90, date(2026, 6, 23), 12 * 90),
        ("weekly_5", 5, 120, date(2026, 5, 5), 5 * 120),
        ("fortnightly_3", 3, 180, date(2026, 5, 5), 3 * 180),
    ],
)
def test_templates_lay_out_numbered_sessions(code, count, minutes, last_on, total_minutes):
    plan = lay_out(TEMPLATES[code], START)
    assert [s.number for s in plan.sessions] == list(range(1, count + 1))
    assert {s.minutes for s in plan.sessions} == {minutes}
    assert plan.sessions[0].on == START
    assert plan.sessions[-1].on == last_on
    assert plan.total_minutes == total_minutes
    # every session on the same weekday as the first
    assert {s.on.weekday() for s in plan.sessions} == {START.weekday()}


@pytest.mark.parametrize(
    ("code", "follow_up", "due_on"),
    [
        ("craft", None, date(2026, 8, 23)),
        ("weekly_5", None, date(2026, 8, 5)),
        ("fortnightly_3", None, date(2026, 9, 5)),
        ("fortnightly_3", 2, date(2026, 7, 5)),
    ],
)
def test_measurement_points_before_after_and_follow_up(code, follow_up, due_on):
    plan = lay_out(TEMPLATES[code], START, follow_up_months=follow_up)
    before, after, later = plan.measurements
    last = plan.sessions[-1].on
    assert (before.kind, before.due_on, before.window_start) == (
        "before",
        START,
        date(2026, 3, 24),
    )
    assert (after.kind, after.due_on, after.window_end) == (
        "after",
        last,
        date.fromordinal(last.toordinal() + 14),
    )
    assert (later.kind, later.due_on) == ("follow_up", due_on)
    assert later.window_start == add_months(last, 2)
    assert later.window_end == add_months(last, 4)
    assert later.window_start <= later.due_on <= later.window_end


@pytest.mark.parametrize("months", [0, 1, 5])
def test_follow_up_outside_two_to_four_months_is_refused(months):
    with pytest.raises(ValueError, match="follow_up_months must be between 2 and 4"):
        lay_out(TEMPLATES["craft"], START, follow_up_months=months)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 12, 31), 4, date(2027, 4, 30)),
    ],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_template_names_in_both_languages():
    craft = TEMPLATES["craft"]
    assert craft.name("ja").startswith("CRAFTプログラム")
    assert craft.name("en").startswith("CRAFT family programme")
