"""Demo family support: households showing each risk signal, contingency plans, family
consultations, steps reported by families and open safety events."""

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from ibasho.families import services
from ibasho.families.models import (
    BehaviourChange,
    ContingencyPlan,
    CrisisContact,
    HouseholdCircumstances,
    RiskSettings,
)
from ibasho.ops.synthetic.programmes import demo_worker
from ibasho.people.models import Case, FamilyMember, Household, Person

CONSULTATION_NOTES = [
    "母親から。本人の昼夜逆転について相談。",
    "父親の通院に本人が付き添ったとのこと。",
    "家族自身の疲れが強い。家族教室を紹介した。",
    "将来のお金のことが心配とのこと。サバイバルプランの話をした。",
]


def populate(organisation: Any, rng: random.Random, today: dt.date) -> None:
    user = demo_worker(organisation)
    RiskSettings.objects.get_or_create(organisation=organisation)
    CrisisContact.objects.bulk_create(
        [
            CrisisContact(
                organisation=organisation,
                name="精神保健福祉センター（例）",
                phone="048-000-0000",
                hours="平日 9:00〜17:00",
                order=1,
            ),
            CrisisContact(
                organisation=organisation,
                name="夜間・休日の相談窓口（例）",
                phone="0120-000-000",
                hours="毎日 17:00〜翌9:00",
                order=2,
            ),
        ]
    )
    households = list(
        Household.objects.filter(organisation=organisation, people__cases__status=Case.Status.OPEN)
        .distinct()
        .order_by("id")
    )
    if len(households) < 8:
        return
    rng.shuffle(households)
    (hospitalised, in_care, died, income, isolated, violent, long_withdrawn, *rest) = households
    _parent_change(hospitalised, FamilyMember.Health.HOSPITALISED, today, user)
    _parent_change(in_care, FamilyMember.Health.IN_CARE, today - dt.timedelta(days=6), user)
    _parent_change(died, FamilyMember.Health.DIED, today - dt.timedelta(days=12), user)
    for household, flag in (
        (income, "income_stopping"),
        (isolated, "no_outside_contact"),
        (violent, "violence"),
    ):
        HouseholdCircumstances.objects.create(
            organisation=organisation, household=household, **{flag: True}
        )
    person = _person_of(long_withdrawn)
    person.birth_year = today.year - 52
    person.birth_date = None
    person.withdrawal_since = dt.date(today.year - 18, 4, 1)
    person.save()

    services.raise_safety_event(
        _person_of(violent),
        kind="violence",
        severity=2,
        by=user,
        description="母親によると、物を投げて壁に穴をあけた。けが人はいない。",
    )
    services.raise_safety_event(
        _person_of(hospitalised),
        kind="parent_collapse",
        severity=3,
        by=user,
        description="母親が自宅で倒れ救急搬送。本人は一人で自宅にいる。",
    )
    acknowledged = services.raise_safety_event(
        _person_of(rest[0]),
        kind="suicide_risk",
        severity=3,
        by=user,
        description="面談で「消えたい」との発言。主治医に連絡済み。",
    )
    coordinator = organisation.memberships.filter(role="coordinator").first()
    services.acknowledge_safety_event(acknowledged, by=coordinator.user if coordinator else user)

    for n, household in enumerate([hospitalised, died, *rest[1:12]]):
        ContingencyPlan.objects.create(
            organisation=organisation,
            household=household,
            who_to_notify="叔父（市内在住）、地域包括支援センター",
            money_and_housing="持ち家。預金は数年分。",
            utilities_and_accounts="電気・ガスは母親名義。口座引き落とし。",
            public_assistance=rng.choice(ContingencyPlan.Readiness.values),
            abilities_and_wishes="買い物は一人でできる。手続きは不安。",
            # every third plan is overdue for review
            last_reviewed_on=today - dt.timedelta(days=300 if n % 3 == 0 else rng.randint(10, 150)),
        )
    _consultations(rest[1:30], rng, today, user)
    for household in rng.sample(rest, min(8, len(rest))):
        BehaviourChange.objects.create(
            organisation=organisation,
            person=_person_of(household),
            kind=rng.choice(BehaviourChange.Kind.values[:3]),
            occurred_on=today - dt.timedelta(days=rng.randint(3, 120)),
            reported_by=household.members.filter(relationship="mother").first(),
            recorded_by=user,
        )


def _person_of(household: Household) -> Person:
    return household.people.order_by("id").first()  # type: ignore[return-value]


def _parent_change(household: Household, health: str, since: dt.date, user: Any) -> None:
    parent = household.members.filter(relationship__in=["mother", "father"]).order_by("id").first()
    if parent is None:
        parent = FamilyMember.objects.create(
            organisation_id=household.organisation_id,
            household=household,
            name=f"{household.name.removesuffix('家')}母",
            relationship="mother",
            birth_year=since.year - 80,
        )
    services.update_health(parent, health=health, since=since, by=user)


def _consultations(
    households: list[Household], rng: random.Random, today: dt.date, user: Any
) -> None:
    for household in households:
        # Health is encrypted: chosen in memory.
        member = next(
            (m for m in household.members.all() if m.health != FamilyMember.Health.DIED), None
        )
        if member is None:
            continue
        for _ in range(rng.randint(1, 3)):
            day = today - dt.timedelta(days=rng.randint(1, 180))
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(9, 16), 0)))
            services.record_family_consultation(
                _person_of(household),
                family_member=member,
                by=user,
                occurred_at=when,
                duration_minutes=rng.choice([30, 45, 60, 90]),
                note=rng.choice(CONSULTATION_NOTES),
            )
