from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibasho.outreach.trust import (
    FAMILY,
    NOBODY,
    PERSON,
    ContactRecord,
    attempt_count,
    consistent_weeks,
    family_hours,
    first_response,
    hours_per_month,
    milestone_progress,
    summarise,
    two_way_hours,
)

TOKYO = ZoneInfo("Asia/Tokyo")
TODAY = date(2025, 6, 30)


def at(days_ago: int, hour: int = 10) -> datetime:
    d = TODAY - timedelta(days=days_ago)
    return datetime(d.year, d.month, d.day, hour, tzinfo=TOKYO)


def talk(days_ago: int, minutes: int = 60) -> ContactRecord:
    return ContactRecord(at(days_ago), minutes, PERSON, True)


def family(days_ago: int, minutes: int = 60) -> ContactRecord:
    return ContactRecord(at(days_ago), minutes, FAMILY, False)


def knock(days_ago: int, minutes: int = 5) -> ContactRecord:
    return ContactRecord(at(days_ago), minutes, NOBODY, False)


def read_no_reply(days_ago: int) -> ContactRecord:
    # reached the person's phone or door, but no conversation: still an attempt
    return ContactRecord(at(days_ago), 2, PERSON, False)


@pytest.mark.parametrize(
    ("records", "two_way", "family_h", "attempts"),
    [
        ([], 0, 0, 0),
        ([talk(1, 45)], 0.75, 0, 0),
        ([talk(1, 45), talk(8, 45)], 1.5, 0, 0),
        ([family(3, 90)], 0, 1.5, 0),
        ([knock(1), knock(2), read_no_reply(3)], 0, 0, 3),
        # unanswered attempts never add to hours, however long the visit took
        ([knock(1, 120), talk(2, 30), family(4, 60)], 0.5, 1.0, 1),
        ([talk(1, 20)], 0.33, 0, 0),
    ],
)
def test_hours_and_attempts_are_counted_separately(records, two_way, family_h, attempts):
    assert two_way_hours(records) == two_way
    assert family_hours(records) == family_h
    assert attempt_count(records) == attempts


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(0, 0.0), (-1, 0.0), (5, 0.25), (10, 0.5), (19.99, 0.9995), (20, 1.0), (57, 1.0)],
)
def test_milestone_progress(hours, expected):
    assert milestone_progress(hours) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([], 0),
        ([talk(0)], 1),  # today counts
        ([talk(0), talk(6)], 1),  # same rolling week
        ([talk(0), talk(7)], 2),
        ([talk(d) for d in range(0, 84, 7)], 12),  # every week for twelve weeks
        ([talk(84)], 0),  # just outside the window
        ([talk(83)], 1),
        ([talk(-1)], 0),  # future entries are not counted
        ([family(0), knock(7), read_no_reply(14)], 0),  # only two-way contact counts
        ([talk(d) for d in range(84)], 12),  # many contacts a week still count once
    ],
)
def test_consistency_counts_weeks_with_a_two_way_contact(records, expected):
    assert consistent_weeks(records, TODAY, TOKYO) == expected


def test_consistency_uses_the_organisation_time_zone():
    # 23:30 UTC on 22 June is 08:30 on 23 June in Tokyo: 7 days ago, the second window.
    record = ContactRecord(datetime(2025, 6, 22, 23, 30, tzinfo=UTC), 30, PERSON, True)
    assert consistent_weeks([record], TODAY, TOKYO) == 1
    assert consistent_weeks([record], date(2025, 6, 29), TOKYO) == 1
    assert consistent_weeks([record], date(2025, 6, 22), TOKYO) == 0


@pytest.mark.parametrize(
    ("records", "attempts", "responded", "first_at"),
    [
        ([], 0, False, None),
        ([knock(30), knock(20), knock(10)], 3, False, None),
        ([knock(30), knock(20), talk(10), knock(5)], 2, True, at(10)),
        ([talk(10), knock(5)], 0, True, at(10)),
        # family consultations are not attempts to reach the person
        (
            [family(40), knock(30), family(25), read_no_reply(20), talk(10)],
            2,
            True,
            at(10),
        ),
        # order of the input does not matter
        ([talk(10), knock(20), knock(30)], 2, True, at(10)),
    ],
)
def test_attempts_before_first_response(records, attempts, responded, first_at):
    result = first_response(records)
    assert (result.attempts, result.responded, result.first_response_at) == (
        attempts,
        responded,
        first_at,
    )


def test_hours_per_month_keeps_empty_months_and_buckets_in_local_time():
    records = [
        talk(0, 60),  # June 2025
        family(0, 30),
        knock(1, 90),  # attempts are not hours
        talk(40, 120),  # May 2025
        # 31 Jan 2025 20:00 UTC is 1 Feb in Tokyo
        ContactRecord(datetime(2025, 1, 31, 20, tzinfo=UTC), 45, PERSON, True),
        talk(400, 600),  # outside the window
    ]
    months = hours_per_month(records, TODAY, TOKYO, months=6)
    assert [(m.year, m.month) for m in months] == [
        (2025, 1),
        (2025, 2),
        (2025, 3),
        (2025, 4),
        (2025, 5),
        (2025, 6),
    ]
    assert [m.two_way_hours for m in months] == [0, 0.75, 0, 0, 2.0, 1.0]
    assert [m.family_hours for m in months] == [0, 0, 0, 0, 0, 0.5]


def test_hours_per_month_crosses_the_year():
    months = hours_per_month([], date(2025, 2, 10), TOKYO, months=3)
    assert [(m.year, m.month) for m in months] == [(2024, 12), (2025, 1), (2025, 2)]


def test_summary_for_a_family_only_case():
    records = [family(d, 90) for d in range(0, 700, 30)]
    summary = summarise(records, TODAY, TOKYO)
    assert summary.two_way_hours == 0
    assert summary.family_hours == 1.5 * len(records)
    assert summary.consistent_weeks == 0
    assert not summary.first_response.responded
    assert summary.first_response.attempts == 0
    assert not summary.milestone_reached


def test_summary_after_long_persistence():
    records = [knock(d) for d in range(400, 100, -14)] + [talk(d, 90) for d in range(91, -1, -7)]
    summary = summarise(records, TODAY, TOKYO)
    assert summary.first_response.attempts == len(range(400, 100, -14))
    assert summary.two_way_hours == 1.5 * 14
    assert summary.milestone_reached
    assert summary.consistent_weeks == 12
    assert len(summary.months) == 12


records_strategy = st.lists(
    st.builds(
        ContactRecord,
        occurred_at=st.datetimes(
            min_value=datetime(2023, 1, 1),
            max_value=datetime(2025, 6, 30),
            timezones=st.just(UTC),
        ),
        minutes=st.integers(min_value=0, max_value=600),
        reached=st.sampled_from([PERSON, FAMILY, NOBODY]),
        two_way=st.booleans(),
    ).filter(lambda r: r.reached == PERSON or not r.two_way),
    max_size=50,
)


@given(records_strategy)
def test_every_minute_is_counted_once(records):
    total = sum(r.minutes for r in records if r.kind != "attempt")
    assert two_way_hours(records) + family_hours(records) == pytest.approx(total / 60, abs=0.02)
    counted = attempt_count(records) + sum(1 for r in records if r.kind != "attempt")
    assert counted == len(records)


@given(records_strategy)
def test_consistency_is_within_bounds(records):
    assert 0 <= consistent_weeks(records, TODAY, TOKYO) <= 12
