"""What the demo's reports need beyond the current caseload: population figures for the
municipalities (round numbers in the shape of e-Stat's 5-year bands; not real statistics), and
a year of earlier programme sessions and a finished family course, so that last fiscal year's
reports have programmes to show."""

import datetime as dt
import random
from typing import Any

from ibasho.ops.synthetic import names
from ibasho.ops.synthetic.programmes import _attend, _last_weekday, demo_worker
from ibasho.people.models import FamilyMember, Person
from ibasho.programmes import services
from ibasho.programmes.models import Enrolment, Programme
from ibasho.reports.models import PopulationFigure

# Rough residents per 5-year band from 15 to 64, per unit of the municipality's weight.
PER_WEIGHT = 1_300


def populate(organisation: Any, rng: random.Random, today: dt.date) -> None:
    PopulationFigure.objects.bulk_create(
        PopulationFigure(
            organisation=organisation,
            municipality=place,
            year=today.year - 1,
            age_from=age_from,
            age_to=age_from + 4,
            population=int(weight * PER_WEIGHT * rng.uniform(0.85, 1.15)),
            source="デモ用の架空の数値",
        )
        for place, weight in names.MUNICIPALITIES
        for age_from in range(15, 65, 5)
    )
    user = demo_worker(organisation)
    for programme in Programme.objects.filter(
        organisation=organisation, kind__in=["group_ibasho", "peer_group", "work_trial"]
    ).order_by("id"):
        enrolments = list(Enrolment.objects.filter(programme=programme, family_member=None))
        first = _last_weekday(today - dt.timedelta(days=420), rng.randint(0, 4))
        sessions = services.add_sessions(programme, first=first, count=26, every_days=14, by=user)
        _attend(sessions, enrolments, rng, first + dt.timedelta(days=26 * 14), user, online=False)
    _finished_course(organisation, rng, today, user)


def _finished_course(organisation: Any, rng: random.Random, today: dt.date, user: Any) -> None:
    course = Programme.objects.create(
        organisation=organisation,
        kind=Programme.Kind.FAMILY_COURSE,
        name_ja="家族のための5回講座（昨年度）",
        name_en="Five-session family course (last year)",
        audience=Programme.Audience.FAMILY,
        course_template="weekly_5",
        capacity=10,
    )
    sessions = services.start_family_course(
        course, start=_last_weekday(today - dt.timedelta(days=300), 5), by=user
    )
    parents = list(
        FamilyMember.objects.filter(
            organisation=organisation, relationship=FamilyMember.Relationship.MOTHER
        ).order_by("id")[:30]
    )
    people = {p.household_id: p for p in Person.objects.filter(organisation=organisation)}
    pairs = [(people[m.household_id], m) for m in parents if m.household_id in people]
    enrolments = [
        services.enrol(course, person=person, family_member=member, by=user)
        for person, member in rng.sample(pairs, min(9, len(pairs)))
    ]
    _attend(sessions, enrolments, rng, today, user, online=False)
    course.is_open = False
    course.save(update_fields=["is_open"])
