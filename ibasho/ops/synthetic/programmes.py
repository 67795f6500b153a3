"""Demo programmes: a season of sessions for the many doors, and family courses in progress."""

import datetime as dt
import random
from typing import Any

from ibasho.accounts.models import Membership, Role
from ibasho.people.models import Case, FamilyMember, Gender, Person
from ibasho.programmes import services
from ibasho.programmes.models import Attendance, Programme

# (kind, name ja, name en, mode, weekday, start, minutes, capacity, extra fields, people)
CATALOGUE: list[tuple[str, str, str, str, int, dt.time, int, int | None, dict[str, Any], int]] = [
    (
        "group_ibasho",
        "水曜の居場所",
        "Wednesday ibasho",
        "in_person",
        2,
        dt.time(13, 0),
        120,
        15,
        {"place": "市民活動センター 2階和室", "schedule": "毎週水曜 13:00〜15:00"},
        10,
    ),
    (
        "online",
        "夜のオンライン居場所",
        "Evening online ibasho",
        "online",
        4,
        dt.time(20, 0),
        90,
        20,
        {"online_link": "https://meet.example.org/yoru", "schedule": "毎週金曜 20:00〜21:30"},
        8,
    ),
    (
        "peer_group",
        "女性のための当事者会",
        "Peer group for women",
        "hybrid",
        5,
        dt.time(14, 0),
        120,
        10,
        {
            "women_only": True,
            "online_link": "https://meet.example.org/josei",
            "schedule": "隔週土曜 14:00〜16:00",
        },
        5,
    ),
    (
        "work_trial",
        "農園での就労体験",
        "Work trial at the farm",
        "in_person",
        1,
        dt.time(10, 0),
        180,
        6,
        {"place": "見沼の農園", "schedule": "毎週火曜 10:00〜13:00", "min_age": 18},
        4,
    ),
]
ATTENDANCE = [("attended", 55), ("camera_off", 8), ("part", 10), ("absent", 27)]
SEASON_WEEKS = 12


def populate(organisation: Any, rng: random.Random, today: dt.date) -> None:
    user = demo_worker(organisation)
    people = list(
        Person.objects.filter(organisation=organisation, cases__status=Case.Status.OPEN)
        .select_related("household")
        .order_by("id")
    )
    if not people:
        return
    for kind, name_ja, name_en, mode, weekday, starts, minutes, capacity, extra, count in CATALOGUE:
        programme = Programme.objects.create(
            organisation=organisation,
            kind=kind,
            name_ja=name_ja,
            name_en=name_en,
            mode=mode,
            starts_at=starts,
            duration_minutes=minutes,
            capacity=capacity,
            **extra,
        )
        every = 14 if "隔週" in extra.get("schedule", "") else 7
        first = _last_weekday(today - dt.timedelta(weeks=SEASON_WEEKS // 2), weekday)
        sessions = services.add_sessions(
            programme, first=first, count=SEASON_WEEKS * 7 // every, every_days=every, by=user
        )
        pool = [p for p in people if not programme.women_only or p.gender == Gender.FEMALE]
        enrolments = [
            services.enrol(programme, person=p, by=user)
            for p in rng.sample(pool, min(count, len(pool)))
        ]
        _attend(sessions, enrolments, rng, today, user, online=mode != "in_person")
    _family_courses(organisation, rng, today, people, user)
    Programme.objects.create(
        organisation=organisation,
        kind=Programme.Kind.CAMP,
        name_ja="夏のキャンプ（準備中）",
        name_en="Summer camp (in preparation)",
        capacity=12,
        is_open=False,
        description_ja="2泊3日。参加は見学だけでもかまいません。",
        description_en="Two nights. Coming just to watch is fine.",
    )


def _family_courses(
    organisation: Any, rng: random.Random, today: dt.date, people: list[Person], user: Any
) -> None:
    """A CRAFT course five weeks in and a fortnightly course halfway, with parents enrolled."""
    mothers = FamilyMember.objects.filter(
        organisation=organisation, relationship=FamilyMember.Relationship.MOTHER
    )
    # Health is encrypted: the well mothers are picked in memory.
    by_household = {m.household_id: m for m in mothers if m.health == FamilyMember.Health.WELL}
    with_parents = [
        (p, by_household[p.household_id]) for p in people if p.household_id in by_household
    ]
    chosen = rng.sample(with_parents, min(14, len(with_parents)))
    for template, name_ja, name_en, weeks_ago, weekday, group in (
        ("craft", "CRAFT家族教室", "CRAFT family course", 5, 3, chosen[:8]),
        ("fortnightly_3", "家族のための3回講座", "Three-session family course", 3, 5, chosen[8:]),
    ):
        course = Programme.objects.create(
            organisation=organisation,
            kind=Programme.Kind.FAMILY_COURSE,
            name_ja=name_ja,
            name_en=name_en,
            audience=Programme.Audience.FAMILY,
            course_template=template,
            starts_at=dt.time(18, 30),
            capacity=10,
            place="市民活動センター 会議室",
        )
        start = _last_weekday(today - dt.timedelta(weeks=weeks_ago), weekday)
        sessions = services.start_family_course(course, start=start, by=user)
        for n, session in enumerate(sessions[:3]):
            session.topic = [
                "家族自身の生活を大切にする",
                "行動の前後を見る（機能分析）",
                "伝え方を練習する",
            ][n]
            session.homework = "今週、本人の「良かった行動」を一つ書き留める"
            session.save()
        enrolments = [
            services.enrol(course, person=person, family_member=member, by=user)
            for person, member in group
        ]
        _attend(sessions, enrolments, rng, today, user, online=False)
        course.measurement_points.filter(kind="before").update(done_on=start)


def _attend(
    sessions: list[Any],
    enrolments: list[Any],
    rng: random.Random,
    today: dt.date,
    user: Any,
    *,
    online: bool,
) -> None:
    values, weights = zip(*ATTENDANCE, strict=True)
    for session in sessions:
        if session.date >= today:
            continue
        for enrolment in enrolments:
            status = rng.choices(values, weights=weights)[0]
            if status == Attendance.Status.CAMERA_OFF and not online:
                status = Attendance.Status.ATTENDED
            minutes = rng.randint(20, session.duration_minutes - 10) if status == "part" else None
            services.record_attendance(session, enrolment, status=status, minutes=minutes, by=user)


def demo_worker(organisation: Any) -> Any:
    """The first worker of the organisation records the demo's attendance (None if none)."""
    found = (
        Membership.objects.filter(organisation=organisation, role=Role.WORKER)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return found.user if found else None


def _last_weekday(day: dt.date, weekday: int) -> dt.date:
    """The given weekday on or before `day`."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)
