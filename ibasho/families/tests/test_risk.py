from datetime import date

import pytest

from ibasho.families.risk import (
    HouseholdFacts,
    ParentFacts,
    ParentStatus,
    PersonFacts,
    Severity,
    Thresholds,
    assess,
    board_order,
    full_years,
)

TODAY = date(2026, 11, 23)


def years_ago(years: int, *, days_short: int = 0) -> date:
    """The date exactly `years` before today (or that many days later)."""
    day = TODAY.replace(year=TODAY.year - years)
    return day.replace(day=day.day + days_short) if days_short else day


def withdrawn(age: int, since: date | None) -> HouseholdFacts:
    return HouseholdFacts(people=(PersonFacts(age=age, withdrawn_since=since),))


def parent(**kwargs) -> HouseholdFacts:
    return HouseholdFacts(parents=(ParentFacts(label="Mother", **kwargs),))


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (HouseholdFacts(), ()),
        (parent(age=74), ()),
        (parent(age=75), ("parent_age_watch",)),
        (parent(age=79), ("parent_age_watch",)),
        # the higher band replaces the lower one
        (parent(age=80), ("parent_age_high",)),
        (parent(status=ParentStatus.ILL), ("parent_ill",)),
        (parent(status=ParentStatus.HOSPITALISED), ("parent_hospitalised",)),
        (parent(status=ParentStatus.IN_CARE), ("parent_in_care",)),
        (parent(status=ParentStatus.DIED), ("parent_died",)),
        # age does not matter once a parent has died
        (
            parent(age=90, status=ParentStatus.DIED),
            ("parent_died",),
        ),
        (HouseholdFacts(income_stopping=True), ("income_stopping",)),
        (HouseholdFacts(no_outside_contact=True), ("no_outside_contact",)),
        (HouseholdFacts(violence=True), ("violence",)),
        (withdrawn(40, years_ago(10)), ("long_withdrawal",)),
        (withdrawn(40, years_ago(10, days_short=1)), ()),
        (withdrawn(39, years_ago(20)), ()),
        (withdrawn(50, years_ago(9)), ()),
        (withdrawn(50, None), ()),
        # one qualifying person among siblings is enough, and counts once
        (
            HouseholdFacts(
                people=(
                    PersonFacts(age=45, withdrawn_since=years_ago(12)),
                    PersonFacts(age=30, withdrawn_since=years_ago(12)),
                    PersonFacts(age=52, withdrawn_since=years_ago(30)),
                )
            ),
            ("long_withdrawal",),
        ),
    ],
)
def test_signals_follow_the_default_thresholds(facts, expected):
    assert sorted(assess(facts, TODAY).codes) == sorted(expected)


@pytest.mark.parametrize(
    ("limits", "facts", "expected"),
    [
        (
            Thresholds(parent_age_watch=70),
            parent(age=72),
            ("parent_age_watch",),
        ),
        (
            Thresholds(parent_age_high=78),
            parent(age=78),
            ("parent_age_high",),
        ),
        (Thresholds(parent_age_watch=76), parent(age=75), ()),
        (
            Thresholds(person_age=35, withdrawn_years=5),
            withdrawn(36, years_ago(6)),
            ("long_withdrawal",),
        ),
        (
            Thresholds(withdrawn_years=15),
            withdrawn(45, years_ago(12)),
            (),
        ),
    ],
)
def test_thresholds_are_configurable(limits, facts, expected):
    assert assess(facts, TODAY, limits).codes == expected


def test_labels_carry_the_configured_threshold_in_both_languages():
    risk = assess(parent(age=82), TODAY, Thresholds(parent_age_high=82))
    (signal,) = risk.signals
    assert signal.label("en") == "Parent aged 82 or over"
    assert signal.label("ja") == "親が82歳以上"
    assert signal.subject == "Mother"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"parent_age_watch": 85},
            "parent_age_watch must not be above parent_age_high",
        ),
        ({"person_age": 0}, "person_age must be at least 1"),
        ({"withdrawn_years": -1}, "withdrawn_years must be at least 1"),
        ({"top_days": -1}, "top_days must not be negative"),
    ],
)
def test_bad_thresholds_are_refused_with_the_field_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Thresholds(**kwargs)


@pytest.mark.parametrize(
    ("status", "changed_on", "severity", "on_top"),
    [
        (ParentStatus.HOSPITALISED, TODAY, Severity.URGENT, True),
        (
            ParentStatus.IN_CARE,
            date(2026, 10, 24),
            Severity.URGENT,
            True,
        ),  # 30 days ago
        (ParentStatus.DIED, date(2026, 10, 23), Severity.HIGH, False),  # 31 days ago
        (ParentStatus.HOSPITALISED, None, Severity.HIGH, False),  # date unknown
        (ParentStatus.HOSPITALISED, date(2026, 11, 30), Severity.HIGH, False),  # future
        (ParentStatus.ILL, TODAY, Severity.RAISED, False),  # illness is not sudden
    ],
)
def test_a_recent_sudden_change_is_urgent_and_on_top(status, changed_on, severity, on_top):
    risk = assess(parent(status=status, status_changed_on=changed_on), TODAY)
    assert risk.severity is severity
    assert (risk.top_since is not None) is on_top


def test_top_days_can_be_shortened():
    facts = parent(status=ParentStatus.DIED, status_changed_on=date(2026, 11, 15))
    assert assess(facts, TODAY, Thresholds(top_days=7)).top_since is None
    assert assess(facts, TODAY, Thresholds(top_days=8)).top_since == date(2026, 11, 15)


def test_score_adds_every_signal_for_every_parent():
    facts = HouseholdFacts(
        parents=(
            ParentFacts(label="Father", age=84),
            ParentFacts(label="Mother", age=81),
        ),
        violence=True,
    )
    risk = assess(facts, TODAY)
    assert risk.codes == ("violence", "parent_age_high", "parent_age_high")
    assert risk.score == sum(s.weight for s in risk.signals) > risk.signals[0].weight
    assert [s.subject for s in risk.signals[1:]] == ["Father", "Mother"]


def test_the_board_puts_the_newest_hospitalisation_above_older_and_heavier_risks():
    households = {
        "violent, many signals": HouseholdFacts(
            parents=(ParentFacts(age=85),),
            violence=True,
            income_stopping=True,
            no_outside_contact=True,
        ),
        "hospitalised last week": parent(
            status=ParentStatus.HOSPITALISED, status_changed_on=date(2026, 11, 16)
        ),
        "hospitalised today": parent(status=ParentStatus.HOSPITALISED, status_changed_on=TODAY),
        "quiet": HouseholdFacts(),
        "elderly parent": parent(age=77),
    }
    ordered = board_order((name, assess(facts, TODAY)) for name, facts in households.items())
    assert [name for name, _ in ordered] == [
        "hospitalised today",
        "hospitalised last week",
        "violent, many signals",
        "elderly parent",
        "quiet",
    ]


def test_the_board_keeps_the_callers_order_between_equal_households():
    same = parent(age=80)
    ordered = board_order([("b", assess(same, TODAY)), ("a", assess(same, TODAY))])
    assert [name for name, _ in ordered] == ["b", "a"]


@pytest.mark.parametrize(
    ("born", "day", "years"),
    [
        (date(1950, 2, 28), date(2026, 2, 27), 75),
        (date(1950, 2, 28), date(2026, 2, 28), 76),
        (date(1952, 2, 29), date(2026, 2, 28), 73),
        (date(1952, 2, 29), date(2026, 3, 1), 74),
    ],
)
def test_full_years(born, day, years):
    assert full_years(born, day) == years
