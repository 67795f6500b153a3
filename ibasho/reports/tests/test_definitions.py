"""Every definition of the 実人数/延べ数 report, table by table, through the database (so on
SQLite and PostgreSQL alike)."""

import datetime as dt

import pytest

from ibasho.people.models import LOGGED_CHANNELS
from ibasho.reports import definitions as d
from ibasho.reports import periods
from ibasho.reports.services import build_report
from ibasho.reports.tests.helpers import cells, contact, person

pytestmark = pytest.mark.django_db

APRIL = periods.month_period(2026, 4)


def report(org, period=APRIL):  # type: ignore[no-untyped-def]
    return build_report("contacts", org, period)


@pytest.mark.parametrize(
    ("contacts", "people", "total"),
    [(1, 1, 1), (30, 1, 30), (5, 1, 5)],
)
def test_unique_people_count_a_person_once_however_many_contacts(org_a, contacts, people, total):
    who = person(org_a)
    for n in range(contacts):
        contact(org_a, who, dt.datetime(2026, 4, 1 + n % 28, 9 + n % 8))
    found = report(org_a)
    assert cells(found.table("month"), "total")[:2] == [people, total]
    assert {h.key: h.value for h in found.headlines}["people"] == people


@pytest.mark.parametrize(
    ("reached", "outcome", "row", "two_way_hours"),
    [
        ("family", "family_only", "family", 0),
        ("person", "face_to_face", "person", 1.0),
        ("nobody", "no_response", "nobody", 0),
        ("person", "read_no_reply", "person", 0),
    ],
)
def test_with_whom(org_a, reached, outcome, row, two_way_hours):
    who = person(org_a)
    contact(org_a, who, dt.date(2026, 4, 3), reached=reached, outcome=outcome, minutes=60)
    table = report(org_a).table("with_whom")
    assert cells(table, row) == [1, 1, two_way_hours]
    others = [r for r in table.rows if r.key != row]
    assert all(r.values[:2] == [0, 0] for r in others)
    assert next(r for r in table.rows if r.key == "agency").note  # no source: says so


def test_a_family_only_contact_counts_toward_total_contacts(org_a):
    who = person(org_a)
    contact(org_a, who, dt.date(2026, 4, 3), reached="family", outcome="family_only")
    contact(org_a, who, dt.date(2026, 4, 4), reached="family", outcome="family_only")
    found = report(org_a)
    assert cells(found.table("month"), "total")[:2] == [1, 2]
    assert cells(found.table("with_whom"), "family")[:2] == [1, 2]


@pytest.mark.parametrize(
    ("earlier", "first_in_period", "expected"),
    [
        (None, dt.datetime(2026, 4, 1, 0, 0), "new"),  # first minute of the period
        (dt.datetime(2026, 3, 31, 23, 59), dt.datetime(2026, 4, 1, 0, 0), "continuing"),
        (dt.datetime(2025, 4, 1, 10, 0), dt.datetime(2026, 4, 30, 23, 59), "continuing"),
        (None, dt.datetime(2026, 4, 30, 23, 59), "new"),  # last minute of the period
    ],
)
def test_new_or_continuing_at_the_period_boundary(org_a, earlier, first_in_period, expected):
    who = person(org_a)
    if earlier:
        contact(org_a, who, earlier)
    contact(org_a, who, first_in_period)
    table = report(org_a).table("new_continuing")
    other = "continuing" if expected == "new" else "new"
    assert cells(table, expected)[:2] == [1, 1]
    assert cells(table, other)[:2] == [0, 0]


def test_a_contact_just_outside_the_period_is_not_counted(org_a):
    who = person(org_a)
    contact(org_a, who, dt.datetime(2026, 3, 31, 23, 59))  # the evening before, in Tokyo
    contact(org_a, who, dt.datetime(2026, 5, 1, 0, 0))
    assert cells(report(org_a).table("month"), "total")[:2] == [0, 0]


@pytest.mark.parametrize(
    ("birth", "contact_days", "people_band", "contacts_by_band"),
    [
        # Turns 40 on 10 May: a contact on 9 May counts in the 30s, on 11 May in the 40s.
        (
            {"birth_date": dt.date(1986, 5, 10)},
            [dt.date(2026, 5, 9), dt.date(2026, 5, 11)],
            "30s",
            {"30s": 1, "40s": 1},
        ),
        # 18 on the contact's day, 20 today: counted as up to 19.
        ({"birth_date": dt.date(2006, 6, 1)}, [dt.date(2025, 4, 10)], "-19", {"-19": 1}),
        # Only a birth year: the age reached during that year.
        ({"birth_year": 1966}, [dt.date(2025, 4, 10)], "50s", {"50s": 1}),
        ({}, [dt.date(2025, 4, 10)], "unknown", {"unknown": 1}),
        ({"birth_year": 1960}, [dt.date(2025, 4, 10)], "60-", {"60-": 1}),
    ],
)
def test_age_band_on_the_contact_date_not_today(
    org_a, birth, contact_days, people_band, contacts_by_band
):
    who = person(org_a, **birth)
    for day in contact_days:
        contact(org_a, who, day)
    period = periods.Period(periods.CUSTOM, dt.date(2025, 4, 1), dt.date(2026, 6, 30))
    table = report(org_a, period).table("age_band")
    assert {r.key: r.values[0] for r in table.rows if r.values[0]} == {people_band: 1}
    assert {r.key: r.values[1] for r in table.rows if r.values[1]} == contacts_by_band


@pytest.mark.parametrize(
    ("start_month", "day", "fiscal_year", "first", "last"),
    [
        (4, dt.date(2026, 2, 15), 2025, dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        (4, dt.date(2026, 4, 1), 2026, dt.date(2026, 4, 1), dt.date(2027, 3, 31)),
        (1, dt.date(2026, 2, 15), 2026, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (1, dt.date(2025, 12, 31), 2025, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_the_fiscal_year_follows_the_organisations_start_month(
    org_a, start_month, day, fiscal_year, first, last
):
    org_a.fiscal_year_start_month = start_month
    org_a.save()
    period = periods.current_fiscal_year(day, start_month)
    assert (period.start, period.end, period.start.year) == (first, last, fiscal_year)
    who = person(org_a)
    contact(org_a, who, day)
    contact(org_a, who, first - dt.timedelta(days=1))  # the previous fiscal year
    found = report(org_a, period)
    assert cells(found.table("month"), "total")[:2] == [1, 1]
    assert len(found.table("month").rows) == 12
    assert found.table("month").rows[0].key == f"{first.year}-{first.month:02d}"


@pytest.mark.parametrize(
    ("channel", "method"),
    [
        ("centre_visit", "centre"),
        ("family_consultation", "centre"),
        ("phone", "phone"),
        ("door_visit", "home_visit"),
        ("email", "email"),
        ("message", "sns"),
        ("video_call", "online"),
        ("letter", "letter"),
        ("postcard", "letter"),
        ("group_session", "group"),
    ],
)
def test_method_of_each_channel(org_a, channel, method):
    assert d.method_of(channel) == method
    who = person(org_a)
    contact(org_a, who, dt.date(2026, 4, 2), channel=channel)
    assert cells(report(org_a).table("method"), method)[:2] == [1, 1]


def test_every_channel_has_a_method():
    assert {value for value, _label in LOGGED_CHANNELS} <= set(d.CHANNEL_METHOD)
    assert d.method_of("carrier_pigeon") == "other"


def test_by_method_a_person_counts_once_under_each_method(org_a):
    who = person(org_a)
    contact(org_a, who, dt.date(2026, 4, 2), channel="letter", reached="nobody",
            outcome="letter_left")  # fmt: skip
    contact(org_a, who, dt.date(2026, 4, 3), channel="letter", reached="nobody",
            outcome="letter_left")  # fmt: skip
    contact(org_a, who, dt.date(2026, 4, 9), channel="door_visit")
    table = report(org_a).table("method")
    assert cells(table, "letter")[:2] == [1, 2]
    assert cells(table, "home_visit")[:2] == [1, 1]
    assert cells(table, "accompany") == [0, 0, 0]
    assert cells(table, "total")[:2] == [1, 3]


def test_stage_on_the_contact_date(org_a):
    from ibasho.outreach.models import StageChange

    who = person(org_a)
    for stage, previous, day in (
        ("family_support", "", dt.date(2026, 1, 1)),
        ("group", "family_support", dt.date(2026, 4, 15)),
    ):
        StageChange.objects.create(
            organisation=org_a, person=who, stage=stage, previous_stage=previous, changed_on=day
        )
    contact(org_a, who, dt.date(2026, 4, 10))
    contact(org_a, who, dt.date(2026, 4, 20))
    table = report(org_a).table("stage")
    assert cells(table, "family_support")[:2] == [1, 1]
    assert cells(table, "group")[:2] == [0, 1]


def test_two_way_hours_and_other_organisations_records_are_left_out(org_a, org_b):
    mine, theirs = person(org_a), person(org_b)
    contact(org_a, mine, dt.date(2026, 4, 2), minutes=90)
    contact(org_a, mine, dt.date(2026, 4, 3), reached="nobody", outcome="no_response", minutes=20)
    contact(org_b, theirs, dt.date(2026, 4, 2), minutes=600)
    found = report(org_a)
    assert cells(found.table("month"), "total") == [1, 2, 1.5]


def test_the_report_never_reads_a_note(org_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    who = person(org_a)
    contact(org_a, who, dt.date(2026, 4, 2))
    with CaptureQueriesContext(connection) as queries:
        report(org_a)
    assert not any('"note"' in q["sql"] or ".note" in q["sql"] for q in queries.captured_queries)
