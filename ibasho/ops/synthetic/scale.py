"""Synthetic data at three scales, shaped like the field and deterministic for a seed:
`small` (one NPO on a laptop), `prefecture` and `national`. Everything goes through the bulk
path in ibasho.ops.bulk, one organisation per transaction, with a progress bar."""

import datetime as dt
import multiprocessing
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from tqdm import tqdm

from ibasho.accounts.models import Membership, Organisation, Role, User
from ibasho.accounts.tenancy import organisation_scope
from ibasho.lib.dbstats import refresh_planner_statistics
from ibasho.ops import bulk
from ibasho.ops.synthetic import names
from ibasho.ops.synthetic import people as people_synthetic
from ibasho.ops.synthetic.histories import load_history
from ibasho.outreach.models import Cadence, Contact, OutreachPlan, StageChange
from ibasho.people.models import Case, CaseAssignment, FamilyMember, Household, Person


@dataclass(frozen=True)
class Scale:
    organisations: int
    people: int
    contacts: int


SCALES = {
    "small": Scale(organisations=1, people=300, contacts=30_000),
    "prefecture": Scale(organisations=20, people=50_000, contacts=5_000_000),
    "national": Scale(organisations=2_000, people=1_500_000, contacts=20_000_000),
}
CASES_PER_WORKER = 75
BENCH_PASSWORD = "ibasho-bench"
# The big tables: their secondary indexes are rebuilt once after a load on PostgreSQL.
BULK_TABLES = [
    Contact,
    Person,
    Household,
    FamilyMember,
    Case,
    CaseAssignment,
    OutreachPlan,
    Cadence,
    StageChange,
]


def staff_for(
    organisation: Organisation, index: int, people: int, password_hash: str
) -> list[tuple[User, str]]:
    workers = max(2, people // CASES_PER_WORKER)
    roles = [Role.ADMIN, Role.COORDINATOR, Role.ANALYST] + [Role.WORKER] * workers
    return [
        (
            User(
                username=f"o{index}-{role}-{n}", password=password_hash, display_name=f"{role} {n}"
            ),
            role,
        )
        for n, role in enumerate(roles)
    ]


def load(
    scale_name: str,
    *,
    seed: int = 1,
    today: dt.date | None = None,
    progress: bool = True,
    jobs: int = 1,
) -> dict[str, int]:
    """Load a scale; with `jobs` > 1 on PostgreSQL, organisations load in parallel processes
    (ids come from the tables' sequences, so they never collide)."""
    scale = SCALES[scale_name]
    today = today or dt.date.today()
    password_hash = make_password(BENCH_PASSWORD)  # hashed once: Argon2 is slow on purpose
    work = [
        (index, seed, today, scale.people // scale.organisations,
         scale.contacts // scale.organisations, password_hash)
        for index in range(scale.organisations)
    ]  # fmt: skip
    totals = {"organisations": 0, "people": 0, "contacts": 0, "staff": 0}
    with bulk.indexes_dropped(*BULK_TABLES):
        if jobs > 1 and connection.vendor == "postgresql":
            connections.close_all()  # each process opens its own connection
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = list(
                    tqdm(
                        pool.imap_unordered(load_one, work),
                        total=len(work),
                        disable=not progress,
                        unit="org",
                        desc=scale_name,
                    )
                )
        else:
            results = [
                load_one(item)
                for item in tqdm(work, disable=not progress, unit="org", desc=scale_name)
            ]
    for people, staff, contacts in results:
        totals["organisations"] += 1
        totals["people"] += people
        totals["staff"] += staff
        totals["contacts"] += contacts
    refresh_planner_statistics()
    return totals


def load_one(item: tuple[int, int, dt.date, int, int, str]) -> tuple[int, int, int]:
    index, seed, today, people, contacts, password_hash = item
    rng = random.Random(seed * 1_000_003 + index)
    with transaction.atomic():
        staff, written = load_organisation(index, rng, today, people, contacts, password_hash)
    return people, staff, written


def load_organisation(
    index: int,
    rng: random.Random,
    today: dt.date,
    people: int,
    contacts: int,
    password_hash: str,
) -> tuple[int, int]:
    """One organisation with staff, caseload and contact history; returns (staff, contacts)."""
    organisation = Organisation.objects.create(
        name=f"支援団体 {index + 1:04d}",
        prefecture=names.PREFECTURE,
        municipality=names.MUNICIPALITIES[index % len(names.MUNICIPALITIES)][0],
    )
    staff = staff_for(organisation, index, people, password_hash)
    ids = bulk.allocate({User: len(staff), Membership: len(staff)})
    users, memberships = [], []
    for user, role in staff:
        user.id = next(ids[User])
        users.append(user)
        memberships.append(
            Membership(
                id=next(ids[Membership]), organisation=organisation, user_id=user.id, role=role
            )
        )
    bulk.insert_objects(User, users)
    bulk.insert_objects(Membership, memberships)
    workers = [
        u
        for u, (_, role) in zip(users, staff, strict=True)
        if role in (Role.WORKER, Role.COORDINATOR)
    ]
    with organisation_scope(organisation.pk):
        caseload = people_synthetic.populate(
            organisation, rng, today, people=people, workers=workers
        )
        return len(staff), load_history(organisation, caseload, rng, today, contacts)
