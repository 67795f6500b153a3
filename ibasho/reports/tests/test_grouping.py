"""The report reads contacts grouped by the database; its figures must equal the same figures
worked out contact by contact, each on its own local date, whatever the birthdays (29 February,
a band boundary inside the period, a birth year alone), stage changes and times of day."""

import datetime as dt
import random

import pytest

from ibasho.outreach.models import Contact, StageChange
from ibasho.reports import figures as f
from ibasho.reports import periods
from ibasho.reports import queries as q
from ibasho.reports.services import build_report
from ibasho.reports.tests.helpers import TOKYO, contact, person

pytestmark = pytest.mark.django_db

YEAR = periods.fiscal_year_period(2025, 4)  # 2025-04-01 – 2026-03-31
KINDS = [
    ("phone", "person", "spoke_by_phone"),
    ("phone", "nobody", "no_response"),
    ("letter", "nobody", "letter_left"),
    ("door_visit", "person", "face_to_face"),
    ("family_consultation", "family", "family_only"),
]
BIRTHS = [
    {"birth_date": dt.date(1996, 2, 29)},  # turns 30 on 1 March 2026 (no 29 February)
    {"birth_date": dt.date(2005, 9, 14)},  # turns 20 in the period
    {"birth_date": dt.date(1966, 4, 1)},  # turns 60 on the first day
    {"birth_date": dt.date(1996, 3, 31)},  # turns 30 on the last day
    {"birth_year": 1996},  # 30 from 1 January 2026
    {"birth_year": 1980},
    {},
]


def contact_by_contact(org) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """Every table's rows from one group per contact, dated by its own local day."""
    start, end = YEAR.bounds(TOKYO)
    rows = Contact.objects.filter(organisation=org, occurred_at__gte=start, occurred_at__lt=end)
    groups = [
        f.ContactGroup(c.person_id, c.channel, c.reached, c.outcome, 1, c.duration_minutes,
                       c.occurred_at.astimezone(TOKYO).date())
        for c in rows
    ]  # fmt: skip
    people = q.person_facts(org.pk, {g.person_id for g in groups}, YEAR, start)
    tables = f.contact_tables(groups, people, month_by_month(groups))
    return [[t.key, [(r.key, r.values) for r in t.all_rows()]] for t in tables]


def month_by_month(groups: list[f.ContactGroup]) -> list[f.MonthFigures]:
    found = []
    for year, month in YEAR.months():
        in_month = [g for g in groups if (g.first_on.year, g.first_on.month) == (year, month)]
        people = len({g.person_id for g in in_month})
        minutes = sum(g.minutes for g in in_month if g.two_way)
        found.append(f.MonthFigures(year, month, people, len(in_month), minutes))
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouped_figures_equal_figures_contact_by_contact(org_a, seed):
    rng = random.Random(seed)
    for index, birth in enumerate(BIRTHS):
        who = person(org_a, name=f"人{index}", **birth)
        stages = sorted(rng.sample(range(-30, 365), rng.randint(0, 3)))
        previous = ""
        for offset, stage in zip(stages, ("family_support", "individual", "group"), strict=False):
            changed_on = YEAR.start + dt.timedelta(days=offset)
            StageChange.objects.create(organisation=org_a, person=who, stage=stage,
                                       previous_stage=previous, changed_on=changed_on)  # fmt: skip
            previous = stage
        for _ in range(rng.randint(1, 25)):
            day = YEAR.start + dt.timedelta(days=rng.randint(-20, YEAR.days + 20))
            # Local midnight and the minute before it, where a day (and a value) changes.
            at = rng.choice([dt.time(0, 0), dt.time(23, 59), dt.time(rng.randint(0, 23), 30)])
            channel, reached, outcome = rng.choice(KINDS)
            contact(org_a, who, dt.datetime.combine(day, at), channel=channel, reached=reached,
                    outcome=outcome, minutes=rng.choice([5, 30, 60]))  # fmt: skip
    found = build_report("contacts", org_a, YEAR)
    assert [[t.key, [(r.key, r.values) for r in t.all_rows()]] for t in found.tables] == (
        contact_by_contact(org_a)
    )


@pytest.mark.parametrize(
    ("birth", "stages", "expected"),
    [
        ({"birth_date": dt.date(1996, 2, 29)}, [], [dt.date(2026, 3, 1)]),
        ({"birth_date": dt.date(2000, 2, 29)}, [], []),  # 25 → 26: the same band
        ({"birth_date": dt.date(2006, 2, 28)}, [], [dt.date(2026, 2, 28)]),
        ({"birth_year": 2006}, [], [dt.date(2026, 1, 1)]),
        ({"birth_year": 1980}, [], []),
        ({}, [dt.date(2025, 4, 1), dt.date(2025, 6, 2)], [dt.date(2025, 6, 2)]),
    ],
)
def test_change_days_are_the_days_a_band_or_stage_changes(birth, stages, expected):
    facts = f.PersonFacts(1, stages=tuple((day, f"s{i}") for i, day in enumerate(stages)),
                          **birth)  # fmt: skip
    assert facts.change_days(YEAR.start, YEAR.end) == expected
