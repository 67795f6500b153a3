"""People approaching the organisation's age limit (youth services often end at 39), listed
months ahead so that a referral can be prepared before the birthday."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ibasho.people.models import Case, Person
from ibasho.referrals.models import Referral, ReferralSettings


@dataclass(frozen=True)
class Approaching:
    person: Person
    reaches_on: dt.date | None  # the birthday; None when only the year is known
    reaches_in_year: int
    referral: Referral | None  # the latest referral still open, if one


def _birthday(born: dt.date, age: int) -> dt.date:
    year = born.year + age
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 3, 1)


def approaching(membership: Any, found: ReferralSettings) -> list[Approaching]:
    """The people with an open case who reach the age limit within `months_ahead` months
    (or, known by year only, in a year that does), soonest first."""
    today = membership.organisation.today()
    horizon = today + dt.timedelta(days=31 * found.months_ahead)
    limit = found.age_limit
    people = (
        Person.objects.visible_to(membership)
        .filter(cases__status=Case.Status.OPEN)
        .filter(birth_year__gte=today.year - limit, birth_year__lte=horizon.year - limit)
        .distinct()
    )
    open_referrals: dict[int, Referral] = {}
    for referral in Referral.objects.visible_to(membership).filter(
        person__in=people, state__in=Referral.OPEN_STATES
    ):
        open_referrals.setdefault(referral.person_id, referral)
    rows = []
    for person in people:
        if person.birth_date:
            day = _birthday(person.birth_date, limit)
            if not today <= day <= horizon:
                continue
        else:
            day = None
        assert person.birth_year is not None
        rows.append(Approaching(person, day, person.birth_year + limit,
                                open_referrals.get(person.pk)))  # fmt: skip
    return sorted(rows, key=lambda r: r.reaches_on or dt.date(r.reaches_in_year, 12, 31))
