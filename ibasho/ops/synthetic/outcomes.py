"""Synthetic outcomes for the demo: two years of instruments, Kato assessments and recovery
profiles for most people, drifting slowly towards recovery with steps back along the way.

Written in bulk with the pure scoring engine, so every stored result is a real score of its
answers. No signals are sent: demo data raises no live safety events.
"""

import datetime as dt
import random
from typing import Any

from ibasho.outcomes import kato, recovery, scoring
from ibasho.outcomes.models import Administration, KatoAssessment, RecoveryRating, Respondent
from ibasho.outcomes.services import apply_score, build_kato_assessment
from ibasho.people.models import Person

SHARE_MEASURED = 0.7  # people with any outcomes recorded
# Instruments per person and how often they are given (days between administrations).
SCHEDULE = [("k6", 90, 0.9), ("hq25", 180, 0.6), ("ucla3", 120, 0.5), ("lsns6", 180, 0.4),
            ("phq9", 120, 0.3)]  # fmt: skip


def answers_near(definition: scoring.Definition, level: float, rng: random.Random) -> list[int]:
    """Answers whose item contributions sit around ``level`` (0 = lowest, 1 = highest)."""
    values = []
    for item in definition.items:
        spread = item.high - item.low
        contribution = round(item.low + spread * min(1.0, max(0.0, rng.gauss(level, 0.18))))
        values.append(item.scored(contribution))  # reverse items: raw answer from contribution
    return values


def populate(organisation: Any, rng: random.Random, today: dt.date) -> None:
    definitions = scoring.builtin_definitions()
    profile = recovery.load_profile()
    people = list(Person.objects.filter(organisation=organisation).order_by("id"))
    administrations, assessments, ratings = [], [], []
    for person in people:
        if rng.random() > SHARE_MEASURED:
            continue
        start = today - dt.timedelta(days=rng.randint(400, 730))
        severity = rng.uniform(0.45, 0.85)  # where this person starts (higher = harder)
        drift = rng.uniform(0.05, 0.35)  # how far things ease over two years
        for code, every, chance in SCHEDULE:
            if rng.random() > chance:
                continue
            definition = definitions[code]
            day = start + dt.timedelta(days=rng.randint(0, 30))
            while day <= today:
                progress = (day - start).days / 730
                level = severity - drift * progress + rng.uniform(-0.08, 0.08)
                if definition.higher_is == "better":
                    level = 1 - level
                answers = answers_near(definition, level, rng)
                if code == "phq9" and rng.random() < 0.05:
                    answers[8] = 1  # an occasional item-9 answer, flagged like any other
                administrations.append(_administration(person, definition, answers, day, rng))
                day += dt.timedelta(days=every + rng.randint(-20, 20))
        assessments += _kato_history(person, start, today, severity, rng)
        ratings += _recovery_history(person, profile, start, today, severity, drift, rng)
    Administration.objects.bulk_create(administrations, batch_size=1000)
    KatoAssessment.objects.bulk_create(assessments, batch_size=1000)
    RecoveryRating.objects.bulk_create(ratings, batch_size=1000)


def _administration(
    person: Person, definition: scoring.Definition, answers: list[int], day: dt.date,
    rng: random.Random,
) -> Administration:  # fmt: skip
    result = scoring.score(definition, answers)
    administration = Administration(
        organisation_id=person.organisation_id,
        person=person,
        instrument=definition.code,
        instrument_name=dict(definition.name),
        administered_on=day,
        respondent=rng.choice([Respondent.SELF, Respondent.SELF, Respondent.WORKER]).value,
        answers=list(result.answers),
    )
    apply_score(administration, result)
    return administration


def _kato_history(
    person: Person, start: dt.date, today: dt.date, severity: float, rng: random.Random
) -> list[KatoAssessment]:
    rows = []
    months = rng.randint(6, 120)
    for offset in sorted(rng.sample(range(0, max(1, (today - start).days)), k=rng.randint(1, 3))):
        day = start + dt.timedelta(days=offset)
        days_out = max(0, min(7, round((1 - severity) * 6 + rng.uniform(-1, 1) + offset / 365)))
        room = days_out <= 1 and rng.random() < 0.25
        answers = kato.KatoAnswers(days_out, room, months + offset // 30, rng.random() < 0.85)
        rows.append(build_kato_assessment(person, answers, day))
    return rows


def _recovery_history(
    person: Person, profile: recovery.Profile, start: dt.date, today: dt.date,
    severity: float, drift: float, rng: random.Random,
) -> list[RecoveryRating]:  # fmt: skip
    rows = []
    day = start + dt.timedelta(days=rng.randint(0, 60))
    while day <= today:
        progress = (day - start).days / 730
        base = 1 + (1 - severity + drift * progress) * 4
        for rater in (RecoveryRating.Rater.SELF, RecoveryRating.Rater.WORKER):
            if rater == RecoveryRating.Rater.SELF and rng.random() < 0.3:
                continue  # the person did not want to rate this time
            levels: dict[str, int | None] = {
                key: max(profile.low, min(profile.high, round(base + rng.uniform(-1.2, 1.2))))
                for key in profile.keys
            }
            rows.append(
                RecoveryRating(
                    organisation_id=person.organisation_id,
                    person=person,
                    rated_on=day,
                    rater=rater.value,
                    levels=levels,
                    profile_version=profile.version,
                )
            )
        day += dt.timedelta(days=180 + rng.randint(-20, 20))
    return rows
