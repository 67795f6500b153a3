"""A synthetic caseload shaped like the field: ages 15–64 with many in their 40s and 50s,
women not rare, parents in their 70s and 80s, some cases known only through the family."""

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone

from ibasho.ops import bulk
from ibasho.ops.synthetic import names
from ibasho.people.models import Case, CaseAssignment, FamilyMember, Gender, Household, Person

# Age bands of people supported (weights): the 40s and 50s are the largest groups.
AGE_BANDS = [
    ((15, 19), 6),
    ((20, 29), 16),
    ((30, 39), 20),
    ((40, 49), 27),
    ((50, 59), 23),
    ((60, 64), 8),
]
GENDERS = [(Gender.MALE, 60), (Gender.FEMALE, 37), (Gender.NOT_STATED, 2), (Gender.OTHER, 1)]
FAMILY_ONLY_SHARE = 0.3
REFERRALS = [
    (Person.ReferralSource.FAMILY, 50),
    (Person.ReferralSource.ELDERLY_CARE_HUB, 12),
    (Person.ReferralSource.WELFARE_COMMISSIONER, 8),
    (Person.ReferralSource.CLINIC, 8),
    (Person.ReferralSource.SELF, 7),
    (Person.ReferralSource.SCHOOL, 5),
    (Person.ReferralSource.OTHER_ORGANISATION, 6),
    (Person.ReferralSource.NEIGHBOUR, 4),
]
OWN_WORDS = [
    "今は外に出るのがこわい。でも話を聞いてもらえるのはいい。",
    "手紙は読んでいます。返事はまだ書けません。",
    "ゲームの話なら少しできる。",
    "親に迷惑をかけているのはわかっている。",
    "",
]
GOALS = [
    "夜に眠れるようになりたい",
    "コンビニに一人で行けるようになりたい",
    "同じ趣味の人と話してみたい",
    "親がいなくなった後のことを知りたい",
    "",
]
AVOID = [
    "インターホンは鳴らさず、手紙をポストに入れる",
    "電話は避ける。LINEなら読む",
    "夕方以降の訪問はしない",
    "父親のいる時間は訪問しない",
    "",
    "",
]


def weighted(rng: random.Random, options):  # type: ignore[no-untyped-def]
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def code(rng: random.Random) -> uuid.UUID:
    """Record codes drawn from the seed, so a seed always gives the same caseload."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class Caseload:
    people: list[Person]
    family_only: set[int]  # ids of people never met, known through their family
    cases: list[Case]
    worker_of_case: dict[int, int]  # case id -> assigned worker's user id


def populate(
    organisation, rng: random.Random, today: dt.date, *, people: int, workers: list
) -> Caseload:  # type: ignore[no-untyped-def]
    """Create `people` people with households, family and open cases through the bulk path."""
    ids = bulk.allocate(
        {
            Household: people,
            FamilyMember: 3 * people,
            Person: people,
            Case: people,
            CaseAssignment: people,
        }
    )
    households, members, persons, cases, assignments = [], [], [], [], []
    family_only = set()
    for _ in range(people):
        household, household_members, person = one_person(organisation, rng, today)
        household.id = next(ids[Household])
        households.append(household)
        for member in household_members:
            member.id = next(ids[FamilyMember])
            member.household_id = household.id
            members.append(member)
        person.id = next(ids[Person])
        person.household_id = household.id
        persons.append(person)
        if rng.random() < FAMILY_ONLY_SHARE:
            family_only.add(person.id)
        opened = today - dt.timedelta(days=int(rng.expovariate(1 / 500)) + 7)
        case = Case(
            id=next(ids[Case]),
            organisation=organisation,
            code=code(rng),
            person_id=person.id,
            opened_on=opened,
        )
        cases.append(case)
        if workers and rng.random() > 0.03:  # a few cases wait for a worker
            assignments.append(
                CaseAssignment(
                    id=next(ids[CaseAssignment]),
                    organisation=organisation,
                    case_id=case.id,
                    worker=rng.choice(workers),
                    since=opened,
                )
            )
    for model, objects in (
        (Household, households),
        (FamilyMember, members),
        (Person, persons),
        (Case, cases),
        (CaseAssignment, assignments),
    ):
        bulk.insert_objects(model, objects)
    worker_of_case = {a.case_id: a.worker.pk for a in assignments}
    return Caseload(persons, family_only, cases, worker_of_case)


def one_person(organisation, rng: random.Random, today: dt.date):  # type: ignore[no-untyped-def]
    low, high = weighted(rng, AGE_BANDS)
    age = rng.randint(low, high)
    gender = weighted(rng, GENDERS)
    family, family_kana = rng.choice(names.FAMILY_NAMES)
    given_pool = names.FEMALE_GIVEN if gender == Gender.FEMALE else names.MALE_GIVEN
    given, given_kana = rng.choice(given_pool)
    municipality = weighted(rng, names.MUNICIPALITIES)
    birth_year = today.year - age
    now = timezone.now()
    household = Household(
        organisation=organisation,
        code=code(rng),
        name=f"{family}家",
        name_kana=family_kana,
        prefecture=names.PREFECTURE,
        municipality=municipality,
        created_at=now,
        updated_at=now,
    )
    household.prepare()
    members = family_members(organisation, rng, household, family, family_kana, birth_year, today)
    years_withdrawn = min(age - 14, max(1, int(rng.expovariate(1 / 8))))
    person = Person(
        organisation=organisation,
        code=code(rng),
        family_name=family,
        given_name=given,
        family_name_kana=family_kana,
        given_name_kana=given_kana,
        preferred_name=rng.choice(names.NICKNAMES) if rng.random() < 0.2 else "",
        birth_year=birth_year,
        birth_date=(
            dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.7
            else None
        ),
        gender=gender,
        prefecture=names.PREFECTURE,
        municipality=municipality,
        living_situation=(
            Person.Living.WITH_PARENTS
            if rng.random() < 0.8
            else rng.choice([Person.Living.ALONE, Person.Living.WITH_SIBLINGS])
        ),
        withdrawal_since=dt.date(today.year - years_withdrawn, rng.randint(1, 12), 1),
        own_words=rng.choice(OWN_WORDS),
        goals=rng.choice(GOALS),
        things_to_avoid=rng.choice(AVOID),
        preferred_channels=rng.sample(
            ["letter", "message", "email", "via_family", "phone"], k=rng.randint(1, 2)
        ),
        referral_source=weighted(rng, REFERRALS),
        created_at=now,
        updated_at=now,
    )
    person.prepare()
    return household, members, person


def family_members(
    organisation,
    rng: random.Random,
    household: Household,
    family: str,
    family_kana: str,
    child_birth_year: int,
    today: dt.date,
) -> list[FamilyMember]:  # type: ignore[no-untyped-def]
    """Parents about 25–35 years older than the person; the older they are, the likelier
    illness, care, a pension as the only income, or death."""
    result = []
    parent_birth_year = child_birth_year - rng.randint(25, 35)
    for relationship, pool in (
        (FamilyMember.Relationship.MOTHER, names.PARENT_FEMALE),
        (FamilyMember.Relationship.FATHER, names.PARENT_MALE),
    ):
        birth_year = parent_birth_year + rng.randint(-3, 3)
        age = today.year - birth_year
        if relationship == FamilyMember.Relationship.FATHER and rng.random() < 0.15 + age / 400:
            health = FamilyMember.Health.DIED
        elif age >= 75 and rng.random() < 0.35:
            health = rng.choice(
                [
                    FamilyMember.Health.ILL,
                    FamilyMember.Health.IN_CARE,
                    FamilyMember.Health.HOSPITALISED,
                ]
            )
        else:
            health = FamilyMember.Health.WELL
        given, given_kana = rng.choice(pool)
        result.append(
            FamilyMember(
                organisation=organisation,
                code=code(rng),
                created_at=timezone.now(),
                updated_at=timezone.now(),
                name=f"{family}{given}",
                name_kana=f"{family_kana}{given_kana}",
                relationship=relationship,
                birth_year=birth_year,
                health=health,
                board_signal=health in FamilyMember.SUDDEN,  # bulk loads skip save()
                health_changed_on=(
                    today - dt.timedelta(days=rng.randint(1, 400))
                    if health != FamilyMember.Health.WELL
                    else None
                ),
                income_source=(
                    FamilyMember.Income.PENSION if age >= 65 else FamilyMember.Income.EMPLOYMENT
                ),
                contactable=health != FamilyMember.Health.DIED,
            )
        )
    if rng.random() < 0.3:
        given, given_kana = rng.choice(names.FEMALE_GIVEN + names.MALE_GIVEN)
        result.append(
            FamilyMember(
                organisation=organisation,
                code=code(rng),
                created_at=timezone.now(),
                updated_at=timezone.now(),
                name=f"{family}{given}",
                name_kana=f"{family_kana}{given_kana}",
                relationship=FamilyMember.Relationship.SIBLING,
                birth_year=child_birth_year + rng.randint(-6, 6),
                income_source=FamilyMember.Income.EMPLOYMENT,
                contactable=rng.random() < 0.5,
            )
        )
    return result
