"""Read what the reports need as plain records: only the columns needed, grouped in the
database where possible, every query filtered by organisation. Never a note is read."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast

from ibasho.lib.dates import age_on
from ibasho.outcomes.models import Administration
from ibasho.outreach import trust
from ibasho.outreach.models import TWO_WAY_CONTACTS, Contact, StageChange
from ibasho.people.models import Case, Person
from ibasho.programmes.models import Attendance, Session
from ibasho.reports import figures as f
from ibasho.reports.models import PopulationFigure
from ibasho.reports.periods import Period

GROUPING_MEMORY = "64MB"


def _contacts(organisation_id: int):  # type: ignore[no-untyped-def]
    return Contact.objects.filter(organisation_id=organisation_id)


Figures = tuple[list[f.ContactGroup], dict[int, f.PersonFacts], list[f.MonthFigures]]


def contact_figures(organisation_id: int, period: Period, zone: ZoneInfo) -> Figures:
    return contact_figures_of([organisation_id], period, zone)[organisation_id]


def contact_figures_of(
    organisation_ids: list[int], period: Period, zone: ZoneInfo
) -> dict[int, Figures]:
    """The 実人数/延べ数 report's records for one organisation or several in the same time zone
    (the report for every organisation reads them a chunk at a time): each query covers them
    all, so the job costs a few queries per chunk, not per organisation. Nothing is pooled:
    every group is one person's and a person belongs to one organisation."""
    start, end = period.bounds(zone)
    in_period = Contact.unscoped.filter(
        organisation_id__in=organisation_ids, occurred_at__gte=start, occurred_at__lt=end
    )
    with memory_to_group(in_period.db):
        return _contact_figures(organisation_ids, in_period, period, zone)


@contextmanager
def memory_to_group(using: str) -> Iterator[None]:
    """On PostgreSQL, room to group a period's contacts in memory for this transaction only:
    with the default 4 MB of work_mem a fiscal year of a large organisation is sorted on disk,
    which took twice as long."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{GROUPING_MEMORY}'")
        yield


def _contact_figures(
    organisation_ids: list[int], in_period: Any, period: Period, zone: ZoneInfo
) -> dict[int, Figures]:
    start, _end = period.bounds(zone)
    # No time-zone functions in SQL: SQLite runs them in Python for every row.
    rows = _raw_rows(
        in_period.values_list("organisation_id", "person_id", "channel", "reached", "outcome")
        .annotate(n=Count("*"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    organisation_of = {pid: org for org, pid, *_rest in rows}
    # The people are named by a subquery: a list of thousands of ids costs more to send.
    people = person_facts_of(
        organisation_ids, in_period.values("person_id").order_by(), period, start
    )
    changes = {
        pid: days for pid, p in people.items() if (days := p.change_days(period.start, period.end))
    }
    # The age band and stage of a person without changes are the same on every day of the
    # period, so their groups are read on its first day: no contact's date is needed.
    groups = [
        f.ContactGroup(pid, channel, reached, outcome, n, minutes or 0, period.start)
        for _org, pid, channel, reached, outcome, n, minutes in rows
        if pid not in changes
    ]
    if changes:
        groups += split_by_values(in_period, changes, period, zone)
    months = month_figures_of(organisation_ids, period, zone)
    found: dict[int, Figures] = {org: ([], {}, months[org]) for org in organisation_ids}
    for group in groups:
        found[organisation_of[group.person_id]][0].append(group)
    for pid, facts in people.items():
        found[organisation_of[pid]][1][pid] = facts
    return found


def _raw_rows(queryset) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    """The query's rows as the database driver gives them, without Django's per-value
    conversion (on SQLite every date-time was converted and made aware row by row, which cost
    more than the query)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def split_by_values(
    in_period,  # type: ignore[no-untyped-def]
    changes: dict[int, list[dt.date]],
    period: Period,
    zone: ZoneInfo,
) -> list[f.ContactGroup]:
    """Groups for people whose age band or stage changes within the period: their contacts,
    regrouped by the stretch of days between two changes each falls in, so that each counts
    under its own day's values, and read on the stretch's first day. A contact's stretch is
    found by comparing its time with the local midnights of the change days. (SQLite has no
    cheap way to join each contact to its person's stretches, so this one regrouping is done
    here, for these people's contacts only.)"""
    connection = connections[in_period.db]
    # Compared as the driver reads them, so no row is converted: on SQLite the stored text
    # (the driver would parse every date-time in Python), elsewhere aware date-times.
    as_text = connection.vendor == "sqlite"

    def instant(day: dt.date) -> Any:
        at = Period(period.kind, day, day).bounds(zone)[0]
        return connection.ops.adapt_datetimefield_value(at) if as_text else at

    stretches = {pid: [instant(day) for day in days] for pid, days in changes.items()}
    read_at = Cast("occurred_at", models.TextField()) if as_text else F("occurred_at")
    rows = [
        row
        for some in slices(changes)
        for row in _raw_rows(
            in_period.filter(person_id__in=some)
            .annotate(at=read_at)
            .values_list("person_id", "channel", "reached", "outcome", "duration_minutes", "at")
            .order_by()
        )
    ]
    merged: dict[tuple[int, str, str, str, int], list[int]] = {}
    for pid, channel, reached, outcome, minutes, at in rows:
        key = (pid, channel, reached, outcome, bisect_right(stretches[pid], at))
        found = merged.get(key)
        if found is None:
            merged[key] = [1, minutes]
        else:
            found[0] += 1
            found[1] += minutes
    return [
        f.ContactGroup(pid, channel, reached, outcome, n, minutes,
                       changes[pid][k - 1] if k else period.start)
        for (pid, channel, reached, outcome, k), (n, minutes) in merged.items()
    ]  # fmt: skip


def month_figures(organisation_id: int, period: Period, zone: ZoneInfo) -> list[f.MonthFigures]:
    return month_figures_of([organisation_id], period, zone)[organisation_id]


def month_figures_of(
    organisation_ids: list[int], period: Period, zone: ZoneInfo
) -> dict[int, list[f.MonthFigures]]:
    """People, contacts and two-way minutes of each month of the period for each organisation,
    in one pass over the period's contacts: each contact's month is found by comparing it with
    the months' local bounds (a range per month took one scan each)."""
    months = period.months()
    start, end = period.bounds(zone)
    # The local start of each month after the first: a contact before the i-th is in month i.
    bounds = [
        Period(period.kind, dt.date(year, month, 1), dt.date(year, month, 1)).bounds(zone)[0]
        for year, month in months[1:]
    ]
    month_of = models.Case(
        *(When(occurred_at__lt=bound, then=Value(i)) for i, bound in enumerate(bounds)),
        default=Value(len(bounds)),
        output_field=models.IntegerField(),
    )
    totals = {
        (org, index): (people, n, minutes or 0)
        for org, index, people, n, minutes in Contact.unscoped.filter(
            organisation_id__in=organisation_ids, occurred_at__gte=start, occurred_at__lt=end
        )
        .annotate(month_index=month_of)
        .values("organisation_id", "month_index")
        .annotate(
            people=Count("person_id", distinct=True),
            n=Count("*"),
            minutes=Sum("duration_minutes", filter=TWO_WAY_CONTACTS),
        )
        .values_list("organisation_id", "month_index", "people", "n", "minutes")
        .order_by()
    }
    return {
        org: [
            f.MonthFigures(year, month, *totals.get((org, index), (0, 0, 0)))
            for index, (year, month) in enumerate(months)
        ]
        for org in organisation_ids
    }


def person_facts(
    organisation_id: int, ids: set[int], period: Period, start: dt.datetime
) -> dict[int, f.PersonFacts]:
    if not ids:
        return {}
    return person_facts_of([organisation_id], list(ids), period, start)


def person_facts_of(
    organisation_ids: list[int], ids: Any, period: Period, start: dt.datetime
) -> dict[int, f.PersonFacts]:
    """The facts of the people `ids` names (ids, or a query giving them)."""
    earlier = Contact.unscoped.filter(
        organisation_id=OuterRef("organisation_id"), person_id=OuterRef("pk"), occurred_at__lt=start
    )
    found = (
        Person.unscoped.filter(organisation_id__in=organisation_ids, id__in=ids)
        .annotate(before=Exists(earlier))
        .values_list(
            "id", "birth_date", "birth_year", "gender", "municipality", "referral_source", "before"
        )
        .order_by()
    )
    stages: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    changes = (
        StageChange.unscoped.filter(
            organisation_id__in=organisation_ids, person_id__in=ids, changed_on__lte=period.end
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


IDS_PER_QUERY = 10_000  # SQLite takes at most 32,766 parameters in a query


def slices(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for at in range(0, len(ordered), IDS_PER_QUERY):
        yield ordered[at : at + IDS_PER_QUERY]


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
