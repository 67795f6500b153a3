"""Contact histories at scale for the benchmark's synthetic organisations: many unanswered
attempts before a first reply, family-only cases, a long tail of long histories, and the
outreach plan state (backoff, due dates) computed from each history by the same pure rules the
app uses. Written through the bulk path; the demo's richer stories are in synthetic.py."""

import datetime as dt
import random
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from ibasho.ops import bulk
from ibasho.ops.synthetic.outreach import NOTES
from ibasho.outreach import cadence as rules
from ibasho.outreach.models import (
    Cadence,
    Contact,
    OutreachPlan,
    OutreachSettings,
    Stage,
    StageChange,
)

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached
TWO_WAY = [
    (C.MESSAGE, OC.MESSAGE_EXCHANGE),
    (C.DOOR_VISIT, OC.FACE_TO_FACE),
    (C.PHONE, OC.SPOKE_BY_PHONE),
    (C.LETTER, OC.WRITTEN_REPLY),
]
UNANSWERED = [
    (C.LETTER, OC.LETTER_LEFT),
    (C.DOOR_VISIT, OC.NO_RESPONSE),
    (C.MESSAGE, OC.READ_NO_REPLY),
    (C.PHONE, OC.NO_RESPONSE),
]
PLAN_CHANNELS = [(C.LETTER, 14), (C.DOOR_VISIT, 30)]
FAMILY_ONLY_CHANNELS = [(C.LETTER, 28)]
LONG_HISTORY = 600  # contacts for one person per organisation, for the person-page benchmark


def history_sizes(rng: random.Random, people: int, contacts: int) -> list[int]:
    """Contacts per person: a long tail around the mean, one very long history first, and
    the total close to `contacts`."""
    mean = max(1.0, contacts / people)
    sizes = [max(1, int(rng.expovariate(1 / mean))) for _ in range(people)]
    if people:
        sizes[0] = max(sizes[0], LONG_HISTORY)
    return sizes


def code(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def one_history(
    rng: random.Random,
    *,
    person_id: int,
    organisation_id: int,
    staff_id: Any,
    start: dt.date,
    today: dt.date,
    size: int,
    family_only: bool,
    zone: ZoneInfo,
) -> list[dict[str, Any]]:
    """One person's contacts as plain rows, oldest first."""
    span = max(7, (today - start).days)
    days = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(size))
    first_reply = size if family_only else min(size, int(rng.expovariate(1 / 10)) + 1)
    contacts = []
    for index, day in enumerate(days):
        if family_only and rng.random() < 0.4:
            channel, outcome, reached, minutes = C.FAMILY_CONSULTATION, OC.FAMILY_ONLY, R.FAMILY, 60
        elif index < first_reply or rng.random() < 0.5:
            channel, outcome = rng.choice(UNANSWERED)
            reached, minutes = R.NOBODY, 15
        else:
            channel, outcome = rng.choice(TWO_WAY)
            reached, minutes = R.PERSON, rng.choice([15, 30, 45, 60, 90])
        at = dt.datetime(
            day.year, day.month, day.day, rng.randint(9, 18), rng.randrange(60), tzinfo=zone
        )
        contacts.append(
            {
                "organisation_id": organisation_id,
                "code": code(rng),
                "person_id": person_id,
                "occurred_at": at,
                "staff_id": staff_id,
                "created_by_id": staff_id,
                "channel": channel,
                "reached": reached,
                "outcome": outcome,
                "duration_minutes": minutes,
                "note": rng.choice(NOTES),
                "created_at": at,
                "updated_at": at,
                "direction": Contact.Direction.OUTREACH,
                "next_step": "",
            }
        )
    return contacts


def load_history(
    organisation: Any, caseload: Any, rng: random.Random, today: dt.date, contacts: int
) -> int:
    """Contacts, plans, cadences and stages for every case of a freshly loaded caseload."""
    zone = ZoneInfo(organisation.time_zone)
    config = OutreachSettings.for_organisation(organisation)
    rule = rules.BackoffRule(float(config.backoff_factor), config.backoff_ceiling_days)
    sizes = history_sizes(rng, len(caseload.cases), contacts)
    cases = len(caseload.cases)
    ids = bulk.allocate(
        {Contact: sum(sizes), OutreachPlan: cases, Cadence: 2 * cases, StageChange: cases}
    )
    plans, cadences, stages = [], [], []

    def histories():  # type: ignore[no-untyped-def]
        for case, size in zip(caseload.cases, sizes, strict=True):
            family_only = case.person_id in caseload.family_only
            history = one_history(
                rng,
                person_id=case.person_id,
                organisation_id=organisation.pk,
                staff_id=caseload.worker_of_case.get(case.pk),
                start=case.opened_on,
                today=today,
                size=size,
                family_only=family_only,
                zone=zone,
            )
            for contact in history:
                contact["id"] = next(ids[Contact])
                yield contact
            plan_for(case, history, family_only)

    def plan_for(case: Any, history: list[dict[str, Any]], family_only: bool) -> None:
        attempts = [
            rules.Attempt(
                c["occurred_at"].date(),
                c["channel"],
                Contact.counts_as_two_way(c["reached"], c["outcome"]),
            )
            for c in history
        ]
        plan = OutreachPlan(
            id=next(ids[OutreachPlan]),
            organisation=organisation,
            code=code(rng),
            case_id=case.pk,
            backoff_factor=config.backoff_factor,
            backoff_ceiling_days=config.backoff_ceiling_days,
            last_contact_on=max((a.on for a in attempts), default=None),
            last_two_way_on=max((a.on for a in attempts if a.answered), default=None),
        )
        due_dates = []
        for channel, every in FAMILY_ONLY_CHANNELS if family_only else PLAN_CHANNELS:
            state = rules.state_from_history(channel, attempts)
            due = rules.due_on(
                rules.Cadence(channel, every, case.opened_on), state, rule, None
            ).due_on
            due_dates.append(due)
            cadences.append(
                Cadence(
                    id=next(ids[Cadence]),
                    organisation=organisation,
                    code=code(rng),
                    plan_id=plan.id,
                    channel=channel,
                    every_days=every,
                    starts_on=case.opened_on,
                    last_on=state.last_on,
                    unanswered=state.unanswered,
                    next_due_on=due,
                )
            )
        plan.next_due_on = min(due_dates)
        plans.append(plan)
        stage = (
            Stage.FAMILY_SUPPORT if plan.last_two_way_on is None else Stage.INDIVIDUAL_FACE_TO_FACE
        )
        stages.append(
            StageChange(
                id=next(ids[StageChange]),
                organisation=organisation,
                code=code(rng),
                person_id=case.person_id,
                stage=stage,
                changed_on=plan.last_two_way_on or case.opened_on,
            )
        )

    written = bulk.insert_dicts(Contact, histories())
    bulk.insert_objects(OutreachPlan, plans)
    bulk.insert_objects(Cadence, cadences)
    bulk.insert_objects(StageChange, stages)
    return written
