"""Read what the reports need as plain records: only the columns needed, grouped in the
database where possible, every query filtered by organisation. Never a note is read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate

from ibasho.lib.dates import age_on
from ibasho.outcomes.models import Administration
from ibasho.outreach import trust
from ibasho.outreach.models import TWO_WAY_CONTACTS, Contact, StageChange
from ibasho.people.models import Case, Person
from ibasho.programmes.models import Attendance, Session
from ibasho.reports import figures as f
from ibasho.reports.models import PopulationFigure
from ibasho.reports.periods import Period


def _contacts(organisation_id: int):  # type: ignore[no-untyped-def]
    return Contact.objects.filter(organisation_id=organisation_id)


def contact_figures(
    organisation_id: int, period: Period, zone: ZoneInfo
) -> tuple[list[f.ContactGroup], dict[int, f.PersonFacts], list[f.MonthFigures]]:
    start, end = period.bounds(zone)
    in_period = _contacts(organisation_id).filter(occurred_at__gte=start, occurred_at__lt=end)
    local_day = TruncDate("occurred_at", tzinfo=zone)
    # One pass over the period's contacts gives both the groups and the months.
    rows = list(
        in_period.annotate(
            year=ExtractYear("occurred_at", tzinfo=zone),
            month=ExtractMonth("occurred_at", tzinfo=zone),
        )
        .values_list("person_id", "channel", "reached", "outcome", "year", "month")
        .annotate(n=Count("id"), minutes=Sum("duration_minutes"), first=Min(local_day))
        .order_by()
    )
    people = person_facts(organisation_id, {r[0] for r in rows}, period, start)
    detailed = {p.person_id for p in people.values() if p.changes_within(period.start, period.end)}
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for pid, channel, reached, outcome, _year, _month, n, minutes, first in rows:
        if pid in detailed:
            continue
        found = merged.get((pid, channel, reached, outcome))
        if found is None:
            merged[(pid, channel, reached, outcome)] = [n, minutes or 0, first]
        else:
            found[0] += n
            found[1] += minutes or 0
            found[2] = min(found[2], first)
    groups = [f.ContactGroup(*key, *values) for key, values in merged.items()]
    if detailed:
        groups += split_by_day(in_period.filter(person_id__in=detailed), people, local_day)
    return groups, people, month_figures(rows, period)


def split_by_day(contacts, people: dict[int, f.PersonFacts], local_day) -> list[f.ContactGroup]:  # type: ignore[no-untyped-def]
    """Groups for people whose age band or stage changes within the period: their contacts
    by day, regrouped by the values of each day, so every contact counts under its own."""
    rows = (
        contacts.values_list("person_id", "channel", "reached", "outcome", local_day)
        .annotate(n=Count("id"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for pid, channel, reached, outcome, day, n, minutes in rows:
        key = (pid, channel, reached, outcome, people[pid].values_on(day))
        found = merged.get(key)
        if found is None:
            merged[key] = [n, minutes or 0, day]
        else:
            found[0] += n
            found[1] += minutes or 0
            found[2] = min(found[2], day)
    return [
        f.ContactGroup(pid, channel, reached, outcome, n, minutes, day)
        for (pid, channel, reached, outcome, _values), (n, minutes, day) in merged.items()
    ]


def person_facts(
    organisation_id: int, ids: set[int], period: Period, start: dt.datetime
) -> dict[int, f.PersonFacts]:
    if not ids:
        return {}
    earlier = _contacts(organisation_id).filter(person_id=OuterRef("pk"), occurred_at__lt=start)
    found = (
        Person.objects.filter(organisation_id=organisation_id, id__in=ids)
        .annotate(before=Exists(earlier))
        .values_list(
            "id", "birth_date", "birth_year", "gender", "municipality", "referral_source", "before"
        )
        .order_by()
    )
    stages: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    changes = (
        StageChange.objects.filter(
            organisation_id=organisation_id, person_id__in=ids, changed_on__lte=period.end
        )
        .values_list("person_id", "changed_on", "stage")
        .order_by("changed_on", "id")
    )
    for person_id, changed_on, stage in changes:
        stages[person_id].append((changed_on, stage))
    return {
        pid: f.PersonFacts(pid, bd, by, gender, place, source, before, tuple(stages[pid]))
        for pid, bd, by, gender, place, source, before in found
    }


def month_figures(rows: list[tuple[Any, ...]], period: Period) -> list[f.MonthFigures]:
    """People, contacts and two-way minutes per month, from the grouped rows."""
    people: dict[tuple[int, int], set[int]] = defaultdict(set)
    contacts: dict[tuple[int, int], int] = defaultdict(int)
    minutes: dict[tuple[int, int], int] = defaultdict(int)
    for pid, _channel, reached, outcome, year, month, n, spent, _first in rows:
        key = (year, month)
        people[key].add(pid)
        contacts[key] += n
        if reached == Contact.Reached.PERSON and outcome in f.TWO_WAY_OUTCOMES:
            minutes[key] += spent or 0
    return [
        f.MonthFigures(
            year, month, len(people[(year, month)]), contacts[(year, month)], minutes[(year, month)]
        )  # fmt: skip
        for year, month in period.months()
    ]


def programme_facts(
    organisation_id: int, period: Period
) -> tuple[list[f.SessionFact], list[f.AttendanceFact]]:
    """Sessions of programmes with a session in the period (all of them, for course
    completion), and the present attendances at them."""
    programmes = Session.objects.filter(
        organisation_id=organisation_id, date__gte=period.start, date__lte=period.end
    ).values("programme_id")
    sessions = Session.objects.filter(
        organisation_id=organisation_id, programme_id__in=programmes, date__lte=period.end
    ).values_list(
        "programme_id", "programme__kind", "programme__course_template", "date", "cancelled"
    )
    attendances = (
        Attendance.objects.filter(
            organisation_id=organisation_id,
            session__programme_id__in=programmes,
            session__date__lte=period.end,
            session__cancelled=False,
            status__in=Attendance.PRESENT,
        )
        .values_list(
            "session__programme_id",
            "session__programme__kind",
            "enrolment_id",
            "enrolment__person_id",
            "enrolment__family_member_id",
            "session__date",
            "session__online",
        )
        .order_by()
    )
    return (
        [f.SessionFact(*row) for row in sessions.order_by()],
        [f.AttendanceFact(*row) for row in attendances],
    )


def scores(organisation_id: int, period: Period) -> list[f.Score]:
    return [
        f.Score(*row)
        for row in Administration.objects.filter(
            organisation_id=organisation_id, administered_on__lte=period.end
        )
        .values_list("person_id", "family_member_id", "instrument", "administered_on", "total")
        .order_by()
    ]


def milestone_facts(
    organisation_id: int, period: Period, zone: ZoneInfo
) -> tuple[dict[int, tuple[int, int]], list[tuple[int, str, str]], set[int]]:
    start, end = period.bounds(zone)
    minutes = {
        pid: (before or 0, through or 0)
        for pid, before, through in _contacts(organisation_id)
        .filter(TWO_WAY_CONTACTS, occurred_at__lt=end)
        .values_list("person_id")
        .annotate(
            before=Sum("duration_minutes", filter=Q(occurred_at__lt=start)),
            through=Sum("duration_minutes"),
        )
        .values_list("person_id", "before", "through")
        .order_by()
    }
    stage_changes = list(
        StageChange.objects.filter(
            organisation_id=organisation_id,
            changed_on__gte=period.start,
            changed_on__lte=period.end,
        )
        .values_list("person_id", "previous_stage", "stage")
        .order_by()
    )
    outside = set(
        Attendance.objects.filter(
            organisation_id=organisation_id,
            session__date__gte=period.start,
            session__date__lte=period.end,
            session__online=False,
            session__cancelled=False,
            status__in=Attendance.PRESENT,
            # A family member's attendance is the family's step, not the person's.
            enrolment__family_member__isnull=True,
        ).values_list("enrolment__person_id", flat=True)
    )
    outside |= set(
        _contacts(organisation_id)
        .filter(
            TWO_WAY_CONTACTS,
            occurred_at__gte=start,
            occurred_at__lt=end,
            channel__in=f.d.OUTSIDE_HOME_CHANNELS,
        )
        .values_list("person_id", flat=True)
    )
    return minutes, stage_changes, outside


def histories(
    organisation_id: int, period: Period, zone: ZoneInfo
) -> tuple[dict[int, list[trust.ContactRecord]], set[int]]:
    """Every contact up to the end of the period, as trust records, and who has an open case."""
    _, end = period.bounds(zone)
    found: dict[int, list[trust.ContactRecord]] = defaultdict(list)
    rows = (
        _contacts(organisation_id)
        .filter(occurred_at__lt=end)
        .values_list("person_id", "occurred_at", "duration_minutes", "reached", "outcome")
        .order_by()
    )
    for pid, at, minutes, reached, outcome in rows.iterator(chunk_size=20_000):
        found[pid].append(
            trust.ContactRecord(at, minutes, reached, Contact.counts_as_two_way(reached, outcome))
        )
    open_people = set(
        Case.objects.filter(organisation_id=organisation_id, status=Case.Status.OPEN).values_list(
            "person_id", flat=True
        )
    )
    return found, open_people


def population(organisation_id: int, year: int | None) -> tuple[list[f.PopulationBand], int | None]:
    """Each municipality's bands from its latest year of figures up to `year`."""
    figures = PopulationFigure.objects.filter(organisation_id=organisation_id)
    if year:
        figures = figures.filter(year__lte=year)
    rows = list(
        figures.values_list("municipality", "year", "age_from", "age_to", "population").order_by()
    )
    latest: dict[str, int] = {}
    for place, y, *_rest in rows:
        latest[place] = max(latest.get(place, 0), y)
    bands = [f.PopulationBand(place, a, b, n) for place, y, a, b, n in rows if y == latest[place]]
    return bands, max(latest.values(), default=None)


def known_people(
    organisation_id: int, period: Period, age_from: int, age_to: int
) -> dict[str, int]:
    """People per municipality with a case open at some time in the period, aged within the
    range at its end (or of unknown age)."""
    open_in_period = Case.objects.filter(
        organisation_id=organisation_id, person_id=OuterRef("pk"), opened_on__lte=period.end
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
    rows = (
        Person.objects.filter(organisation_id=organisation_id)
        .filter(Exists(open_in_period))
        .values_list("municipality", "birth_date", "birth_year")
        .order_by()
    )
    counts: dict[str, int] = defaultdict(int)
    for place, birth_date, birth_year in rows:
        age = age_on(period.end, birth_date, birth_year)
        if age is None or age_from <= age <= age_to:
            counts[place or f.UNKNOWN] += 1
    return counts
