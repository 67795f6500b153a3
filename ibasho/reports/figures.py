"""Every report figure as a pure function over plain records (read by `queries`), so that the
definitions are tested table by table without a database."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ibasho.outreach import trust
from ibasho.outreach.models import Contact, Stage
from ibasho.people.models import Gender, Person
from ibasho.reports import definitions as d
from ibasho.reports.tables import COUNT, HOURS, NUMBER, PEOPLE, PUBLIC, Column, Headline, Row, Table

UNKNOWN = "unknown"
# Plain strings, so that the check per group is a quick set lookup.
TWO_WAY_OUTCOMES = frozenset(str(o) for o in Contact.TWO_WAY_OUTCOMES)
PERSON = str(Contact.Reached.PERSON)
STAGE_ORDER = {value: index for index, value in enumerate(Stage.values)}
ONE_DAY = dt.timedelta(days=1)


@dataclass(slots=True)
class ContactGroup:
    """Contacts of one person in the period with the same channel, party reached and outcome,
    and, for people whose age band or stage changes within the period, in the same stretch of
    days between two changes."""

    person_id: int
    channel: str
    reached: str
    outcome: str
    count: int
    minutes: int
    # A day the group's age band and stage are read on: the first day of its stretch (of the
    # period, for people whose values hold throughout), or of its contact for a single one.
    first_on: dt.date
    two_way: bool = field(init=False)

    def __post_init__(self) -> None:
        # The same rule as Contact.counts_as_two_way, worked out once per group.
        self.two_way = self.reached == PERSON and self.outcome in TWO_WAY_OUTCOMES


@dataclass(frozen=True)
class PersonFacts:
    person_id: int
    birth_date: dt.date | None = None
    birth_year: int | None = None
    gender: str = Gender.NOT_STATED
    municipality: str = ""
    referral_source: str = ""
    contacted_before: bool = False
    stages: tuple[tuple[dt.date, str], ...] = field(default=())  # (changed_on, stage), oldest first

    def stage_on(self, day: dt.date) -> str:
        found = UNKNOWN
        for changed_on, stage in self.stages:
            if changed_on <= day:
                found = stage
        return found

    def values_on(self, day: dt.date) -> tuple[str, str]:
        """The values that change with time: the age band and the stage on a day."""
        return d.age_band(day, self.birth_date, self.birth_year), self.stage_on(day)

    def change_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The days after `start` up to `end` whose values differ from the day before's: such a
        person's contacts are grouped by the stretches of days between them, so that each
        counts under its own day's values. An age changes only on a birthday (1 March for
        29 February outside leap years) or, known by the year alone, on 1 January; a stage on
        the day it was changed."""
        stage_days = {changed_on for changed_on, _ in self.stages if start < changed_on <= end}
        if not stage_days and self.values_on(start) == self.values_on(end):
            # An age only grows, so a band that is the same on the first and the last day holds
            # throughout; without a stage change in between, so does everything else.
            return []
        candidates = {changed_on for changed_on, _ in self.stages}
        for year in range(start.year, end.year + 1):
            candidates.update({dt.date(year, 1, 1), dt.date(year, 3, 1)})
            if self.birth_date:
                with contextlib.suppress(ValueError):  # 29 February outside leap years
                    candidates.add(self.birth_date.replace(year=year))
        return sorted(
            day
            for day in candidates
            if start < day <= end and self.values_on(day) != self.values_on(day - ONE_DAY)
        )


@dataclass(frozen=True)
class MonthFigures:
    year: int
    month: int
    people: int
    contacts: int
    two_way_minutes: int


def hours(minutes: int | float) -> float:
    return round(minutes / 60, 1)


def contact_columns() -> list[Column]:
    return [
        Column("people", _("Unique people"), PEOPLE),
        Column("contacts", _("Total contacts"), COUNT),
        Column("two_way_hours", _("Two-way hours"), HOURS),
    ]


Category = Callable[[ContactGroup, PersonFacts], str]


@dataclass(frozen=True)
class Joined:
    """Each group with its person's facts, and each person's first group in the period,
    worked out once for all the tables."""

    pairs: list[tuple[ContactGroup, PersonFacts]]
    first: dict[int, tuple[ContactGroup, PersonFacts]]


def joined(groups: Sequence[ContactGroup], people: dict[int, PersonFacts]) -> Joined:
    pairs = [(g, people.get(g.person_id) or PersonFacts(g.person_id)) for g in groups]
    first: dict[int, tuple[ContactGroup, PersonFacts]] = {}
    for pair in pairs:
        seen = first.get(pair[0].person_id)
        if seen is None or pair[0].first_on < seen[0].first_on:
            first[pair[0].person_id] = pair
    return Joined(pairs, first)


def breakdown(
    found: Joined,
    category: Category,
    order: Sequence[tuple[str, str]],
    *,
    key: str,
    title: str,
    term: str,
    partition: bool,
    notes: dict[str, str] | None = None,
    keep_all: bool = True,
) -> Table:
    """実人数, 延べ数 and two-way hours by a category. With `partition`, each person counts once,
    under their category at their first contact in the period; otherwise once under every
    category they had a contact in. 延べ数 always counts each contact under its own category."""
    unique: dict[str, set[int]] = defaultdict(set)
    contacts: dict[str, int] = defaultdict(int)
    minutes: dict[str, int] = defaultdict(int)
    for group, facts in found.pairs:
        value = category(group, facts)
        contacts[value] += group.count
        if group.two_way:
            minutes[value] += group.minutes
        if not partition:
            unique[value].add(group.person_id)
    if partition:
        for person_id, (group, facts) in found.first.items():
            unique[category(group, facts)].add(person_id)
    labels = dict(order)
    keys = [k for k, _label in order if keep_all or contacts.get(k)]
    keys += sorted(k for k in contacts if k not in labels)
    notes = notes or {}
    rows = [
        Row(k, labels.get(k, k), [len(unique[k]), contacts[k], hours(minutes[k])], notes.get(k, ""))
        for k in keys
    ]
    total = Row(
        "total",
        _("Total"),
        [len(found.first), sum(contacts.values()), hours(sum(minutes.values()))],
    )
    return Table(key, title, term, contact_columns(), rows, total)


def choices(pairs: Iterable[tuple[str, object]]) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in pairs]


def contact_tables(
    groups: Sequence[ContactGroup],
    people: dict[int, PersonFacts],
    months: Sequence[MonthFigures],
) -> list[Table]:
    """The 実人数/延べ数 report: by month, method, with whom, new or continuing, age band,
    gender, referral source, municipality and stage."""
    unknown = [(UNKNOWN, _("Unknown"))]
    no_source = _("No record of this kind is kept yet: reported as 0.")
    found = joined(groups, people)
    tables = [
        month_table(groups, months),
        breakdown(
            found, lambda g, p: d.method_of(g.channel), choices(d.METHODS),
            key="method", title=_("By method"), term="method", partition=False,
            notes={m: no_source for m in d.METHODS_WITHOUT_SOURCE},
        ),
        breakdown(
            found, lambda g, p: d.with_whom(g.reached), choices(d.WITH_WHOM),
            key="with_whom", title=_("By whom the contact was with"), term="with_whom",
            partition=False, notes={m: no_source for m in d.WITH_WHOM_WITHOUT_SOURCE},
        ),
        breakdown(
            found,
            lambda g, p: "continuing" if p.contacted_before else "new",
            choices(d.NEW_OR_CONTINUING),
            key="new_continuing", title=_("New and continuing"), term="new_continuing",
            partition=True,
        ),
        breakdown(
            found, lambda g, p: d.age_band(g.first_on, p.birth_date, p.birth_year),
            choices(d.AGE_BANDS), key="age_band", title=_("By age band"), term="age_band",
            partition=True,
        ),
        breakdown(
            found, lambda g, p: p.gender or Gender.NOT_STATED, choices(Gender.choices),
            key="gender", title=_("By gender"), term="attributes", partition=True,
        ),
        breakdown(
            found, lambda g, p: p.referral_source or UNKNOWN,
            choices(Person.ReferralSource.choices) + unknown,
            key="referral_source", title=_("By referral source"), term="attributes",
            partition=True,
        ),
        breakdown(
            found, lambda g, p: p.municipality or UNKNOWN,
            sorted({(p.municipality, p.municipality) for p in people.values() if p.municipality})
            + unknown,
            key="municipality", title=_("By municipality"), term="attributes", partition=True,
            keep_all=False,
        ),
        breakdown(
            found, lambda g, p: p.stage_on(g.first_on),
            choices(Stage.choices) + [(UNKNOWN, _("No stage recorded"))],
            key="stage", title=_("By stage"), term="stage", partition=True,
        ),
    ]  # fmt: skip
    return tables


def month_table(groups: Sequence[ContactGroup], months: Sequence[MonthFigures]) -> Table:
    """Month by month; the total row is the whole period's (each person once)."""
    rows = [
        Row(
            f"{m.year}-{m.month:02d}",
            _("%(year)s-%(month)s") % {"year": m.year, "month": m.month},
            [m.people, m.contacts, hours(m.two_way_minutes)],
        )
        for m in months
    ]
    total = Row(
        "total",
        _("Total"),
        [
            len({g.person_id for g in groups}),
            sum(g.count for g in groups),
            hours(sum(g.minutes for g in groups if g.two_way)),
        ],
    )
    return Table("month", _("By month"), "unique_people", contact_columns(), rows, total)


def contact_headlines(
    groups: Sequence[ContactGroup], people: dict[int, PersonFacts]
) -> list[Headline]:
    unique = {g.person_id for g in groups}
    return [
        Headline("people", _("Unique people"), len(unique), "unique_people"),
        Headline("contacts", _("Total contacts"), sum(g.count for g in groups), "total_contacts",
                 COUNT),
        Headline(
            "new_people", _("New people"),
            sum(1 for p in unique if not (people.get(p) or PersonFacts(p)).contacted_before),
            "new_continuing",
        ),
        Headline("answered", _("People who answered"),
                 len({g.person_id for g in groups if g.two_way}), "two_way_hours"),
        Headline("two_way_hours", _("Two-way hours"),
                 hours(sum(g.minutes for g in groups if g.two_way)), "two_way_hours", HOURS),
    ]  # fmt: skip


# -- programmes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFact:
    programme_id: int
    kind: str
    course_template: str
    on: dt.date
    cancelled: bool = False


@dataclass(frozen=True)
class AttendanceFact:
    programme_id: int
    kind: str
    enrolment_id: int
    person_id: int
    family_member_id: int | None
    on: dt.date
    online: bool = False

    @property
    def attendee(self) -> tuple[int, int | None]:
        return (self.person_id, self.family_member_id)


def programme_tables(
    sessions: Sequence[SessionFact],
    attendances: Sequence[AttendanceFact],
    start: dt.date,
    end: dt.date,
    kinds: Sequence[tuple[str, str]],
    templates: Sequence[tuple[str, str]],
) -> list[Table]:
    """Sessions held, participants (実人数) and attendances (延べ数) by programme kind; family
    courses completed. `attendances` are the present ones; sessions and attendances may reach
    outside the period (a course's earlier sessions count toward its completion)."""
    held = [s for s in sessions if not s.cancelled and start <= s.on <= end]
    present = [a for a in attendances if start <= a.on <= end]
    per_kind_sessions: dict[str, int] = defaultdict(int)
    for s in held:
        per_kind_sessions[s.kind] += 1
    attendees: dict[str, set[tuple[int, int | None]]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for a in present:
        attendees[a.kind].add(a.attendee)
        count[a.kind] += 1
    columns = [
        Column("sessions", _("Sessions held"), PUBLIC),
        Column("participants", _("Participants (unique)"), PEOPLE),
        Column("attendances", _("Attendances (total)"), COUNT),
    ]
    rows = [
        Row(k, label, [per_kind_sessions[k], len(attendees[k]), count[k]])
        for k, label in kinds
        if per_kind_sessions[k] or count[k]
    ]
    total = Row("total", _("Total"), [len(held), len({a.attendee for a in present}), len(present)])
    by_kind = Table("programmes", _("Programme sessions"), "sessions", columns, rows, total)
    return [by_kind, course_table(sessions, attendances, start, end, templates)]


def course_table(
    sessions: Sequence[SessionFact],
    attendances: Sequence[AttendanceFact],
    start: dt.date,
    end: dt.date,
    templates: Sequence[tuple[str, str]],
) -> Table:
    held_by_programme: dict[int, list[dt.date]] = defaultdict(list)
    template_of: dict[int, str] = {}
    for s in sessions:
        if s.kind == "family_course" and not s.cancelled:
            held_by_programme[s.programme_id].append(s.on)
            template_of[s.programme_id] = s.course_template or "other"
    ended = {p for p, days in held_by_programme.items() if start <= max(days) <= end}
    attended: dict[tuple[int, int], int] = defaultdict(int)
    for a in attendances:
        if a.programme_id in ended:
            attended[(a.programme_id, a.enrolment_id)] += 1
    participants: dict[str, int] = defaultdict(int)
    completed: dict[str, int] = defaultdict(int)
    for (programme_id, _enrolment), n in attended.items():
        template = template_of[programme_id]
        participants[template] += 1
        needed = math.ceil(
            Decimal(len(held_by_programme[programme_id])) * d.COURSE_COMPLETION_SHARE
        )
        if n >= needed:
            completed[template] += 1
    labels = [*templates, ("other", _("Other family course"))]
    columns = [
        Column("participants", _("Participants"), PEOPLE),
        Column("completed", _("Completed"), PEOPLE),
    ]
    rows = [
        Row(k, label, [participants[k], completed[k]]) for k, label in labels if participants[k]
    ]
    total = Row("total", _("Total"), [sum(participants.values()), sum(completed.values())])
    return Table(
        "courses",
        _("Family courses ended in the period"),
        "course_completed",
        columns,
        rows,
        total,
    )


# -- outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    person_id: int
    family_member_id: int | None
    instrument: str
    on: dt.date
    total: int


def instrument_tables(
    scores: Sequence[Score], start: dt.date, end: dt.date, names: dict[str, str]
) -> list[Table]:
    """Administrations in the period, and the paired change from the first to the latest
    total of each person (or family member) and instrument, the latest in the period."""
    in_period = [s for s in scores if start <= s.on <= end]
    administered: dict[str, int] = defaultdict(int)
    people: dict[str, set[tuple[int, int | None]]] = defaultdict(set)
    for s in in_period:
        administered[s.instrument] += 1
        people[s.instrument].add((s.person_id, s.family_member_id))
    instruments = sorted(administered)
    counted = Table(
        "instruments",
        _("Instruments administered"),
        "instruments",
        [
            Column("people", _("People"), PEOPLE),
            Column("administrations", _("Administrations"), COUNT),
        ],
        [Row(i, names.get(i, i), [len(people[i]), administered[i]]) for i in instruments],
        Row(
            "total",
            _("Total"),
            [len({(s.person_id, s.family_member_id) for s in in_period}), len(in_period)],
        ),
    )
    series: dict[tuple[str, int, int | None], list[Score]] = defaultdict(list)
    for s in scores:
        if s.on <= end:
            series[(s.instrument, s.person_id, s.family_member_id)].append(s)
    changes: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (instrument, *_who), found in series.items():
        found.sort(key=lambda s: s.on)
        if len(found) >= 2 and found[-1].on >= start:
            changes[instrument].append((found[0].total, found[-1].total))
    rows = []
    for instrument in sorted(changes):
        pairs = changes[instrument]
        first = statistics.mean(p[0] for p in pairs)
        latest = statistics.mean(p[1] for p in pairs)
        rows.append(
            Row(
                instrument,
                names.get(instrument, instrument),
                [len(pairs), round(first, 1), round(latest, 1), round(latest - first, 1)],
            )
        )
    paired = Table(
        "paired_change",
        _("Change between the first and the latest score (paired)"),
        "instruments",
        [
            Column("pairs", _("People with two or more"), PEOPLE),
            Column("first", _("Mean first total"), NUMBER),
            Column("latest", _("Mean latest total"), NUMBER),
            Column("change", _("Mean change"), NUMBER),
        ],
        rows,
    )
    return [counted, paired]


def milestone_table(
    *,
    two_way_minutes: dict[int, tuple[int, int]],
    stage_changes: Sequence[tuple[int, str, str]],
    outside_home: set[int],
) -> Table:
    """People who reached 20 hours of two-way contact in the period (minutes before the period
    and through its end, per person), moved a stage forward (person, previous, new), and took
    part in something outside home."""
    reached = sum(
        1 for before, through in two_way_minutes.values() if before < d.MILESTONE_MINUTES <= through
    )
    forward = {
        person
        for person, previous, stage in stage_changes
        if previous in STAGE_ORDER and STAGE_ORDER.get(stage, -1) > STAGE_ORDER[previous]
    }
    rows = [
        Row("twenty_hours", _("Reached 20 hours of two-way contact"), [reached]),
        Row("stage_forward", _("Moved a stage forward"), [len(forward)]),
        Row("outside_home", _("Took part in something outside home"), [len(outside_home)]),
    ]
    return Table(
        "milestones", _("Milestones"), "milestones", [Column("people", _("People"), PEOPLE)], rows
    )


# -- persistence -----------------------------------------------------------------------------

ATTEMPT_BINS = ((0, 0), (1, 1), (2, 4), (5, 9), (10, 19), (20, None))
DAY_BINS = ((0, 7), (8, 30), (31, 90), (91, 180), (181, 365), (366, None))
WEEK_BINS = ((0, 0), (1, 3), (4, 7), (8, 11), (12, 12))
SHARE_AFTER = (5, 10, 20)


@dataclass(frozen=True)
class Persistence:
    attempts: list[int]  # attempts before the first reply, one per person who answered
    days_to_reply: list[int]
    days_to_twenty_hours: list[int]
    consistency: list[int]  # weeks with a two-way contact of the last 12
    never_answered: int


def persistence_of(
    histories: dict[int, list[trust.ContactRecord]],
    open_people: set[int],
    as_of: dt.date,
    zone: dt.tzinfo,
) -> Persistence:
    attempts, to_reply, to_twenty, consistency = [], [], [], []
    never = 0
    for person_id, records in histories.items():
        records = sorted(records, key=lambda r: r.occurred_at)
        first = trust.first_response(records)
        if not first.responded or first.first_response_at is None:
            never += 1
            continue
        attempts.append(first.attempts)
        started = records[0].occurred_at.astimezone(zone).date()
        replied = first.first_response_at.astimezone(zone).date()
        to_reply.append((replied - started).days)
        total = 0
        for record in records:
            if record.two_way:
                total += record.minutes
                if total >= d.MILESTONE_MINUTES:
                    to_twenty.append((record.occurred_at.astimezone(zone).date() - started).days)
                    break
        if person_id in open_people:
            consistency.append(trust.consistent_weeks(records, as_of, zone))
    return Persistence(attempts, to_reply, to_twenty, consistency, never)


def bin_label(low: int, high: int | None, unit: str) -> str:
    if high is None:
        return _("%(low)s+ %(unit)s") % {"low": low, "unit": unit}
    if low == high:
        return f"{low} {unit}"
    return f"{low}–{high} {unit}"


def histogram_table(
    key: str, title: str, values: Sequence[int], bins: Sequence[tuple[int, int | None]], unit: str
) -> Table:
    rows = []
    for low, high in bins:
        n = sum(1 for v in values if v >= low and (high is None or v <= high))
        rows.append(Row(f"{low}-{'' if high is None else high}", bin_label(low, high, unit), [n]))
    return Table(
        key,
        title,
        "persistence",
        [Column("people", _("People"), PEOPLE)],
        rows,
        Row("total", _("Total"), [len(values)]),
    )


def quartiles(values: Sequence[int]) -> tuple[float, float, float] | None:
    if not values:
        return None
    if len(values) == 1:
        return (values[0], values[0], values[0])
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return (q1, median, q3)


def summary_table(found: Persistence) -> Table:
    """Medians and quartiles of each distribution, with how many people each rests on."""
    rows = []
    for key, label, values in (
        ("attempts", _("Attempts before the first reply"), found.attempts),
        ("days_to_reply", _("Days from the first attempt to the first reply"),
         found.days_to_reply),
        ("days_to_twenty", _("Days from the first contact to 20 hours"),
         found.days_to_twenty_hours),
        ("consistency", _("Weeks with a two-way contact, of the last 12"), found.consistency),
    ):  # fmt: skip
        q = quartiles(values)
        rows.append(
            Row(
                key, label, [len(values), *(round(v, 1) for v in q)] if q else [0, None, None, None]
            )
        )
    return Table(
        "persistence_summary",
        _("Persistence: medians and quartiles"),
        "persistence",
        [
            Column("people", _("People"), PEOPLE),
            Column("q1", _("Lower quartile"), NUMBER),
            Column("median", _("Median"), NUMBER),
            Column("q3", _("Upper quartile"), NUMBER),
        ],
        rows,
    )


def persistence_tables(found: Persistence) -> list[Table]:
    times, days, weeks = _("attempts"), _("days"), _("weeks")
    answered = Table(
        "answered",
        _("People reached out to"),
        "persistence",
        [Column("people", _("People"), PEOPLE)],
        [
            Row("answered", _("Answered at least once"), [len(found.attempts)]),
            Row("never", _("Not answered yet"), [found.never_answered]),
        ],
        Row("total", _("Total"), [len(found.attempts) + found.never_answered]),
    )
    return [
        summary_table(found),
        answered,
        histogram_table("attempts", _("Attempts before the first reply"), found.attempts,
                        ATTEMPT_BINS, times),
        histogram_table("days_to_reply", _("Days from the first attempt to the first reply"),
                        found.days_to_reply, DAY_BINS, days),
        histogram_table("days_to_twenty", _("Days from the first contact to 20 hours"),
                        found.days_to_twenty_hours, DAY_BINS, days),
        histogram_table("consistency", _("Weeks with a two-way contact, of the last 12"),
                        found.consistency, WEEK_BINS, weeks),
    ]  # fmt: skip


def share_after(table: Table, attempts: int) -> tuple[int, int] | None:
    """(people who answered only after `attempts` attempts, people who answered), from the
    attempts histogram as published: None when a cell it needs is hidden."""
    total = table.total.values[0] if table.total else None
    if total is None or (table.total and table.total.state(0) != "shown"):
        return None
    count = 0
    for row in table.rows:
        low = int(row.key.split("-")[0])
        if low >= attempts:
            if row.state(0) != "shown" or row.values[0] is None:
                return None
            count += int(row.values[0])
    return count, int(total)


def persistence_sentences(table: Table) -> list[str]:
    """Plain-language sentences under the attempts chart, from the published cells only."""
    sentences = []
    for attempts in (5, 10, 20):
        found = share_after(table, attempts)
        if found is None or not found[1]:
            continue
        count, total = found
        tenths = round(10 * count / total)
        sentences.append(
            _(
                "%(count)s of the %(total)s people who answered (about %(tenths)s in 10) did so "
                "only after the %(attempts)sth attempt."
            )
            % {"count": count, "total": total, "tenths": tenths, "attempts": attempts}
        )
    return sentences


# -- the unreached ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationBand:
    municipality: str
    age_from: int
    age_to: int
    population: int


def estimate(bands: Sequence[PopulationBand], rates: d.RateSet) -> Decimal:
    return sum(
        (Decimal(b.population) * rates.rate_for(b.age_from, b.age_to) for b in bands), Decimal(0)
    )


def unreached_table(
    bands: Sequence[PopulationBand], rates: d.RateSet, known: dict[str, int], year: int | None
) -> Table:
    """Known / estimated per municipality with population figures, and the gap."""
    by_place: dict[str, list[PopulationBand]] = defaultdict(list)
    for band in bands:
        by_place[band.municipality].append(band)
    rows = []
    for place in sorted(by_place):
        covered = [
            b for b in by_place[place] if b.age_to >= rates.age_from and b.age_from <= rates.age_to
        ]
        population = sum(b.population for b in covered)
        guess = int(estimate(by_place[place], rates).to_integral_value())
        rows.append(
            Row(place, place, [population, guess, known.get(place, 0), guess - known.get(place, 0)])
        )
    return Table(
        "unreached",
        _("Known and estimated people in a hikikomori state"),
        "unreached",
        [
            Column("population", _("Population in the age range"), PUBLIC),
            Column("estimated", _("Estimated (an estimate)"), PUBLIC),
            Column("known", _("Known to the organisation"), PEOPLE),
            Column("gap", _("Gap"), NUMBER),
        ],
        rows,
        Row(
            "total",
            _("Total"),
            [
                sum(int(r.values[0] or 0) for r in rows),
                sum(int(r.values[1] or 0) for r in rows),
                sum(int(r.values[2] or 0) for r in rows),
                sum(int(r.values[3] or 0) for r in rows),
            ],
        ),
        note=_("Estimate: population %(year)s × rates of %(source)s.")
        % {"year": year or "—", "source": rates.source},
    )
