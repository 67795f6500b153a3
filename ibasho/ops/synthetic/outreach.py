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

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached
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

    def add(
        self,
        day: dt.date,
        channel: str,
        reached: str,
        outcome: str,
        minutes: int,
        direction: str = Contact.Direction.OUTREACH,
    ) -> None:
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

    def knock(
        self, start: dt.date, end: dt.date, channel: str, every: int, rule: rules.BackoffRule
    ) -> dt.date:
        """Unanswered attempts from `start`, backing off as the plan would, until `end`."""
        day, unanswered = start, 0
        while day < end:
            outcome = OC.LETTER_LEFT if channel in (C.LETTER, C.POSTCARD) else OC.NO_RESPONSE
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
            self.add(
                day,
                C.FAMILY_CONSULTATION,
                R.FAMILY,
                OC.FAMILY_ONLY,
                self.rng.choice([60, 90]),
                direction=Contact.Direction.INCOMING,
            )
            day += dt.timedelta(days=every + self.rng.randint(-3, 3))


def _stages(case: Case, steps: list[tuple[dt.date, str]]) -> list[StageChange]:
    changes, previous = [], ""
    for day, stage in steps:
        changes.append(
            StageChange(
                organisation_id=case.organisation_id,
                person_id=case.person_id,
                stage=stage,
                previous_stage=previous,
                changed_on=day,
            )
        )
        previous = stage
    return changes


def _scenario(rng: random.Random, age_days: int) -> str:
    """Long histories need a case old enough to hold them."""
    allowed = [
        (name, weight)
        for name, weight in SCENARIOS
        if age_days >= {"long_history": 240, "quiet": 90, "about_to_be_dropped": 50}.get(name, 0)
    ]
    return rng.choices([n for n, _ in allowed], [w for _, w in allowed])[0]


def _tell(
    story: Story,
    scenario: str,
    start: dt.date,
    today: dt.date,
    config: OutreachSettings,
    rule: rules.BackoffRule,
    rng: random.Random,
) -> tuple[list[tuple[str, int]], list[tuple[dt.date, str]], bool]:
    """Write one scenario's contacts; return its cadences, its stages and whether the person
    asked for a quiet period."""
    day = dt.timedelta(days=1)
    recent = today - day * rng.randint(0, 6)
    if scenario == "long_history":
        first_reply = start + day * rng.randint(120, (today - start).days - 100)
        story.family(start, first_reply, 45)
        story.knock(start + day * 7, first_reply, C.LETTER, 14, rule)
        story.add(
            first_reply,
            C.LETTER,
            R.PERSON,
            OC.WRITTEN_REPLY,
            20,
            direction=Contact.Direction.INCOMING,
        )
        at_door = first_reply + day * rng.randint(20, 80)
        story.talk(first_reply + day * 10, recent, 9, OC.MESSAGE_EXCHANGE, C.MESSAGE)
        story.talk(at_door, recent, 14, OC.FACE_TO_FACE, C.DOOR_VISIT)
        steps: list[tuple[dt.date, str]] = [
            (start, Stage.FAMILY_SUPPORT),
            (first_reply, Stage.INDIVIDUAL_INDIRECT),
            (at_door, Stage.INDIVIDUAL_FACE_TO_FACE),
        ]
        if rng.random() < 0.4:
            group = at_door + day * rng.randint(30, max(31, (today - at_door).days - 20))
            if group < today - day * 10:
                steps.append((group, Stage.GROUP))
                if rng.random() < 0.5:  # a step back, as happens
                    steps.append((today - day * rng.randint(1, 9), Stage.INDIVIDUAL_FACE_TO_FACE))
        return [(C.DOOR_VISIT, 14), (C.MESSAGE, 7)], steps, False
    if scenario == "knocking":
        story.family(start, recent, 45)
        story.knock(start + day * 3, today, C.LETTER, 14, rule)
        story.knock(start + day * 20, today, C.DOOR_VISIT, 30, rule)
        return [(C.LETTER, 14), (C.DOOR_VISIT, 30)], [(start, Stage.FAMILY_SUPPORT)], False
    if scenario == "family_only":
        story.family(start, recent, 30)
        story.knock(start + day * 10, today, C.LETTER, 28, rule)
        return [(C.LETTER, 28)], [(start, Stage.FAMILY_SUPPORT)], False
    if scenario == "quiet":
        first = start + day * rng.randint(20, (today - start).days - 40)
        story.knock(start, first, C.LETTER, 14, rule)
        story.talk(first, today - day * rng.randint(1, 10), 14, OC.SPOKE_BY_PHONE, C.PHONE)
        story.knock(first + day * 15, today, C.LETTER, 30, rule)
        quiet_steps: list[tuple[dt.date, str]] = [
            (start, Stage.FAMILY_SUPPORT),
            (first, Stage.INDIVIDUAL_INDIRECT),
        ]
        return [(C.PHONE, 14), (C.LETTER, 30)], quiet_steps, True
    # about to be dropped: contact faded out around the organisation's limit
    last = today - day * (config.no_attempt_days + rng.randint(-6, 10))
    story.knock(start, last, C.PHONE, 21, rule)
    return [(C.PHONE, 21)], [(start, Stage.FAMILY_SUPPORT)], False


def populate(organisation: Any, rng: random.Random, today: dt.date) -> None:
    """Give every open case of the organisation a plan and a plausible history."""
    zone = organisation.zone
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
    quiet_cases: list[Case] = []
    cadences: dict[int, list[tuple[str, int]]] = {}
    for case in cases:
        assignment = next(iter(case.assignments.all()), None)
        story = Story(case, assignment.worker_id if assignment else None, zone, rng)
        start = min(case.opened_on, today - dt.timedelta(days=7))
        scenario = _scenario(rng, (today - start).days)
        cadences[case.pk], steps, quiet = _tell(story, scenario, start, today, config, rule, rng)
        stages += _stages(case, steps)
        contacts += story.contacts
        if quiet:
            quiet_cases.append(case)
    Contact.objects.bulk_create(contacts, batch_size=500)
    StageChange.objects.bulk_create(stages, batch_size=500)
    for case in cases:
        plan = services.ensure_plan(case)
        plan.cadences.all().delete()
        Cadence.objects.bulk_create(
            Cadence(
                organisation_id=case.organisation_id,
                plan=plan,
                channel=channel,
                every_days=every,
                starts_on=case.opened_on,
            )
            for channel, every in cadences[case.pk]
        )
    for case in quiet_cases:
        QuietPeriod.objects.create(
            organisation_id=case.organisation_id,
            plan=case.outreach_plan,
            starts_on=today,
            until=today + dt.timedelta(days=rng.randint(20, 90)),
            continuing_channels=[C.LETTER],
            note="今は会いたくない。手紙なら読む。",
        )
    for plan in OutreachPlan.objects.filter(case__in=cases).select_related(
        "case__person__organisation", "case__organisation"
    ):
        services.refresh_plan(plan)
