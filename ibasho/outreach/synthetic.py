"""Synthetic outreach histories that look like the field: years of letters before a first
reply, people who are still being knocked on, family-only cases, quiet periods the person
asked for, and a few people about to be dropped, so that a new Today page is alive."""

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from ibasho.outreach import cadence as rules
from ibasho.outreach import services
from ibasho.outreach.models import (
    Cadence,
    Contact,
    OutreachPlan,
    OutreachSettings,
    QuietPeriod,
    Stage,
    StageChange,
)
from ibasho.people.models import Case

C, O, R = Contact.Channel, Contact.Outcome, Contact.Reached
SCENARIOS = [
    ("long_history", 30),
    ("knocking", 25),
    ("family_only", 20),
    ("quiet", 10),
    ("about_to_be_dropped", 15),
]
NOTES = [
    "玄関前で少し話せた。好きなゲームの話。",
    "母親から近況。夜はよく眠れていないとのこと。",
    "手紙をポストに。返事は求めない内容にした。",
    "本人から短いLINE。「読んでます」",
    "",
]


class Story:
    """Builds one person's contacts in date order."""

    def __init__(self, case: Case, staff_id: int | None, zone: ZoneInfo, rng: random.Random):
        self.case, self.staff_id, self.zone, self.rng = case, staff_id, zone, rng
        self.contacts: list[Contact] = []

    def add(self, day: dt.date, channel: str, reached: str, outcome: str, minutes: int,
            direction: str = Contact.Direction.OUTREACH) -> None:
        hour = self.rng.randint(10, 17)
        self.contacts.append(
            Contact(
                organisation_id=self.case.organisation_id,
                person_id=self.case.person_id,
                occurred_at=dt.datetime(day.year, day.month, day.day, hour, tzinfo=self.zone),
                staff_id=self.staff_id,
                created_by_id=self.staff_id,
                channel=channel,
                reached=reached,
                direction=direction,
                outcome=outcome,
                duration_minutes=minutes,
                note=self.rng.choice(NOTES),
            )
        )

    def knock(self, start: dt.date, end: dt.date, channel: str, every: int,
              rule: rules.BackoffRule) -> dt.date:
        """Unanswered attempts from `start`, backing off as the plan would, until `end`."""
        day, unanswered = start, 0
        while day < end:
            outcome = O.LETTER_LEFT if channel in (C.LETTER, C.POSTCARD) else O.NO_RESPONSE
            self.add(day, channel, R.NOBODY, outcome, 15 if channel == C.LETTER else 20)
            unanswered += 1
            day += dt.timedelta(days=rules.interval_after(every, unanswered, rule))
        return day

    def talk(self, start: dt.date, end: dt.date, every: int, outcome: str, channel: str) -> None:
        day = start
        while day < end:
            self.add(day, channel, R.PERSON, outcome, self.rng.choice([20, 30, 45, 60, 90]))
            day += dt.timedelta(days=every + self.rng.randint(-2, 3))

    def family(self, start: dt.date, end: dt.date, every: int) -> None:
        day = start
        while day < end:
            self.add(day, C.FAMILY_CONSULTATION, R.FAMILY, O.FAMILY_ONLY,
                     self.rng.choice([60, 90]), direction=Contact.Direction.INCOMING)
            day += dt.timedelta(days=every + self.rng.randint(-3, 3))


def _stage(case: Case, stages: list[tuple[dt.date, str]]) -> list[StageChange]:
    changes, previous = [], ""
    for day, stage in stages:
        changes.append(StageChange(organisation_id=case.organisation_id, person_id=case.person_id,
                                   stage=stage, previous_stage=previous, changed_on=day))
        previous = stage
    return changes


def populate(organisation: Any, rng: random.Random, today: dt.date) -> None:
    """Give every open case of the organisation a plan and a plausible history."""
    zone = services.organisation_zone(organisation)
    config = OutreachSettings.for_organisation(organisation)
    rule = rules.BackoffRule(float(config.backoff_factor), config.backoff_ceiling_days)
    cases = list(
        Case.objects.filter(organisation=organisation, status=Case.Status.OPEN)
        .select_related("person", "organisation")
        .prefetch_related("assignments")
        .order_by("id")
    )
    contacts: list[Contact] = []
    stages: list[StageChange] = []
    quiet: list[tuple[Case, dt.date, list[str]]] = []
    cadences: dict[int, list[tuple[str, int]]] = {}
    for case in cases:
        assignment = next(iter(case.assignments.all()), None)
        story = Story(case, assignment.worker_id if assignment else None, zone, rng)
        scenario = rng.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS])[0]
        years = rng.randint(1, 4)
        start = today - dt.timedelta(days=365 * years + rng.randint(0, 200))
        if scenario == "long_history":
            first_reply = start + dt.timedelta(days=rng.randint(150, 365 * years - 60))
            story.family(start, first_reply, 60)
            story.knock(start + dt.timedelta(days=7), first_reply, C.LETTER, 14, rule)
            story.add(first_reply, C.LETTER, R.PERSON, O.WRITTEN_REPLY, 20,
                      direction=Contact.Direction.INCOMING)
            through_door = first_reply + dt.timedelta(days=rng.randint(20, 90))
            story.talk(first_reply + dt.timedelta(days=14), through_door, 21,
                       O.MESSAGE_EXCHANGE, C.MESSAGE)
            story.talk(through_door, today - dt.timedelta(days=rng.randint(0, 10)), 10,
                       O.FACE_TO_FACE, C.DOOR_VISIT)
            stages += _stage(case, [
                (start, Stage.FAMILY_SUPPORT), (first_reply, Stage.INDIVIDUAL_INDIRECT),
                (through_door, Stage.INDIVIDUAL_FACE_TO_FACE),
            ])
            if rng.random() < 0.3:
                back = today - dt.timedelta(days=rng.randint(10, 60))
                stages += _stage(case, [(through_door, Stage.INDIVIDUAL_FACE_TO_FACE),
                                        (back, Stage.INDIVIDUAL_INDIRECT)])[1:]
            cadences[case.pk] = [(C.DOOR_VISIT, 14), (C.MESSAGE, 7)]
        elif scenario == "knocking":
            story.family(start, today, 45)
            story.knock(start + dt.timedelta(days=3), today, C.LETTER, 14, rule)
            story.knock(start + dt.timedelta(days=30), today, C.DOOR_VISIT, 30, rule)
            stages += _stage(case, [(start, Stage.FAMILY_SUPPORT)])
            cadences[case.pk] = [(C.LETTER, 14), (C.DOOR_VISIT, 30)]
        elif scenario == "family_only":
            story.family(start, today - dt.timedelta(days=rng.randint(0, 20)), 30)
            stages += _stage(case, [(start, Stage.FAMILY_SUPPORT)])
            cadences[case.pk] = [(C.LETTER, 28)]
        elif scenario == "quiet":
            first = start + dt.timedelta(days=rng.randint(30, 200))
            story.knock(start, first, C.LETTER, 14, rule)
            story.talk(first, today - dt.timedelta(days=5), 14, O.SPOKE_BY_PHONE, C.PHONE)
            stages += _stage(case, [(start, Stage.FAMILY_SUPPORT),
                                    (first, Stage.INDIVIDUAL_INDIRECT)])
            quiet.append((case, today + dt.timedelta(days=rng.randint(20, 90)), [C.LETTER]))
            cadences[case.pk] = [(C.PHONE, 14), (C.LETTER, 30)]
        else:  # about to be dropped: contact faded out some weeks ago
            last = today - dt.timedelta(days=config.no_attempt_days + rng.randint(-3, 10))
            story.knock(start, last, C.PHONE, 21, rule)
            stages += _stage(case, [(start, Stage.FAMILY_SUPPORT)])
            cadences[case.pk] = [(C.PHONE, 21)]
        contacts += story.contacts
    Contact.objects.bulk_create(contacts, batch_size=500)
    StageChange.objects.bulk_create(stages, batch_size=500)
    for case in cases:
        plan = services.ensure_plan(case)
        plan.cadences.all().delete()
        Cadence.objects.bulk_create(
            Cadence(organisation_id=case.organisation_id, plan=plan, channel=channel,
                    every_days=every, starts_on=case.opened_on)
            for channel, every in cadences[case.pk]
        )
    for case, until, continuing in quiet:
        QuietPeriod.objects.create(organisation_id=case.organisation_id,
                                   plan=case.outreach_plan, starts_on=today, until=until,
                                   continuing_channels=continuing,
                                   note="今は会いたくない。手紙なら読む。")
    for plan in OutreachPlan.objects.filter(case__in=cases).select_related(
        "case__person__organisation", "case__organisation"
    ):
        services.refresh_plan(plan)
