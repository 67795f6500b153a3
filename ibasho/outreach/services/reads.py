"""Reads of a person's outreach record: the contact history as plain data and the trust
figures summed by the database."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet, Subquery, Sum

from ibasho.outreach import cadence as rules
from ibasho.outreach import trust
from ibasho.outreach.models import (
    TWO_WAY_CONTACTS,
    Contact,
)
from ibasho.people.models import Person


@dataclass(frozen=True)
class History:
    """A person's contact history as plain data, read in one query."""

    records: list[trust.ContactRecord]
    attempts: list[rules.Attempt]


def person_history(person: Person) -> History:
    return people_histories([person])[person.pk]


def people_histories(people: list[Person]) -> dict[int, History]:
    """The histories of several people of one organisation, read in one query."""
    if not people:
        return {}
    zone = people[0].organisation.zone
    found: dict[int, History] = {person.pk: History([], []) for person in people}
    rows = Contact.objects.filter(person_id__in=list(found)).values_list(
        "person_id", "occurred_at", "channel", "duration_minutes", "reached", "outcome"
    )
    for person_id, at, channel, minutes, reached, outcome in rows:
        two_way = Contact.counts_as_two_way(reached, outcome)
        history = found[person_id]
        history.records.append(trust.ContactRecord(at, minutes, reached, two_way))
        history.attempts.append(rules.Attempt(at.astimezone(zone).date(), channel, two_way))
    return found


def last_two_way_on(person: Person) -> dt.date | None:
    """The day (in the organisation's zone) the person last answered, or None if never."""
    last = Contact.objects.filter(
        TWO_WAY_CONTACTS, organisation_id=person.organisation_id, person_id=person.pk
    ).aggregate(last=Max("occurred_at"))["last"]
    return last.astimezone(person.organisation.zone).date() if last else None


FAMILY = ~TWO_WAY_CONTACTS & Q(reached=Contact.Reached.FAMILY)
ATTEMPT = ~TWO_WAY_CONTACTS & ~Q(reached=Contact.Reached.FAMILY)


def trust_totals(contacts: QuerySet[Contact]) -> trust.Totals:
    """`trust.totals_of` computed by the database, in one query whatever the history's length.
    Attempts before the first two-way contact are those strictly earlier than it."""
    first_two_way = (
        contacts.filter(TWO_WAY_CONTACTS).order_by("occurred_at").values("occurred_at")[:1]
    )
    found = contacts.aggregate(
        two_way_minutes=Sum("duration_minutes", filter=TWO_WAY_CONTACTS, default=0),
        family_minutes=Sum("duration_minutes", filter=FAMILY, default=0),
        attempts=Count("id", filter=ATTEMPT),
        attempts_before=Count("id", filter=ATTEMPT & Q(occurred_at__lt=Subquery(first_two_way))),
        first_response_at=Min("occurred_at", filter=TWO_WAY_CONTACTS),
    )
    responded = found["first_response_at"] is not None
    return trust.Totals(
        two_way_minutes=found["two_way_minutes"],
        family_minutes=found["family_minutes"],
        attempts=found["attempts"],
        first_response=trust.FirstResponse(
            found["attempts_before"] if responded else found["attempts"],
            responded,
            found["first_response_at"],
        ),
    )


def trust_windows(person: Person, today: dt.date, zone: ZoneInfo) -> trust.Windows:
    """`trust.Windows` summed by the database in one grouped query: each contact is placed in
    its month and week by comparing its time with where each month and week begins in the
    organisation's zone. Written as SQL (standard, for both databases) because building the
    same thirty-odd CASE branches through the ORM cost the person page more than the query."""
    months = trust.month_starts(today, zone)
    weeks = trust.week_starts(today, zone)  # the latest first, then tomorrow
    keys = trust.months_back(today, len(months) - 1)
    adapt = connection.ops.adapt_datetimefield_value
    month_case = " ".join(f"WHEN occurred_at >= %s THEN {n}" for n in range(len(keys) - 1, -1, -1))
    week_case = " ".join(f"WHEN occurred_at >= %s THEN {n}" for n in range(len(weeks) - 1))
    two_way = ", ".join(["%s"] * len(Contact.TWO_WAY_OUTCOMES))
    sql = f"""
        SELECT CASE {month_case} END,
               CASE WHEN occurred_at >= %s THEN NULL {week_case} END,
               CASE WHEN reached = %s AND outcome IN ({two_way}) THEN 'two_way'
                    WHEN reached = %s THEN 'family' ELSE 'attempt' END,
               SUM(duration_minutes)
        FROM {Contact._meta.db_table}
        WHERE organisation_id = %s AND person_id = %s AND occurred_at >= %s AND occurred_at < %s
        GROUP BY 1, 2, 3
    """  # noqa: S608 -- only placeholders and numbers are interpolated
    params = [
        *[adapt(start) for start in months[-2::-1]],
        adapt(weeks[-1]),
        *[adapt(start) for start in weeks[:-1]],
        Contact.Reached.PERSON,
        *sorted(Contact.TWO_WAY_OUTCOMES),
        Contact.Reached.FAMILY,
        person.organisation_id,
        person.pk,
        adapt(months[0]),
        adapt(months[-1]),
    ]
    minutes: dict[tuple[int, int], list[int]] = {}
    weeks_with_two_way = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for month, week, kind, total in cursor.fetchall():
            if kind == "attempt":
                continue
            bucket = minutes.setdefault(keys[month], [0, 0])
            bucket[0 if kind == "two_way" else 1] += total
            if kind == "two_way" and week is not None:
                weeks_with_two_way.add(week)
    return trust.Windows(minutes, len(weeks_with_two_way))


def trust_summary(person: Person, today: dt.date | None = None) -> trust.TrustSummary:
    """Trust figures summed by the database, so the person page costs the same for ten
    contacts and ten thousand."""
    organisation = person.organisation
    today = today or organisation.today()
    zone = organisation.zone
    contacts = Contact.objects.filter(organisation_id=person.organisation_id, person_id=person.pk)
    return trust.summarise_totals(trust_totals(contacts), trust_windows(person, today, zone), today)
