import datetime as dt
from zoneinfo import ZoneInfo

from ibasho.outreach.models import Contact
from ibasho.people.models import Case, Person

TOKYO = ZoneInfo("Asia/Tokyo")


def person(org, name="山田", **fields):  # type: ignore[no-untyped-def]
    found = Person.objects.create(
        organisation=org, family_name=name, family_name_kana="やまだ", **fields
    )
    Case.objects.create(organisation=org, person=found, opened_on=dt.date(2020, 1, 1))
    return found


def contact(org, who, when, *, channel="phone", reached="person", outcome="spoke_by_phone",
            minutes=30):  # type: ignore[no-untyped-def]  # fmt: skip
    """`when` is a local (Tokyo) datetime or date."""
    if isinstance(when, dt.date) and not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(10, 0))
    return Contact.objects.create(
        organisation=org,
        person=who,
        occurred_at=when.replace(tzinfo=TOKYO),
        channel=channel,
        reached=reached,
        outcome=outcome,
        duration_minutes=minutes,
    )


def cells(table, row_key):  # type: ignore[no-untyped-def]
    row = table.total if row_key == "total" else next(r for r in table.rows if r.key == row_key)
    return row.values
