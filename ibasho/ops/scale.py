"""Synthetic data at three scales, shaped like the field and deterministic for a seed:
`small` (one NPO on a laptop), `prefecture` and `national`. Everything goes through the bulk
path in ibasho.ops.bulk, one organisation per transaction, with a progress bar."""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from tqdm import tqdm

from ibasho.accounts.models import Membership, Organisation, Role, User
from ibasho.lib import names
from ibasho.ops import bulk
from ibasho.outreach.models import Cadence, Contact, OutreachPlan, StageChange
from ibasho.outreach.scale import load_history
from ibasho.people import synthetic as people_synthetic
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
    scale_name: str, *, seed: int = 1, today: dt.date | None = None, progress: bool = True
) -> dict[str, int]:
    scale = SCALES[scale_name]
    today = today or dt.date.today()
    password_hash = make_password(BENCH_PASSWORD)  # hashed once: Argon2 is slow on purpose
    per_org = scale.people // scale.organisations
    contacts_per_org = scale.contacts // scale.organisations
    totals = {"organisations": 0, "people": 0, "contacts": 0, "staff": 0}
    organisations = tqdm(
        range(scale.organisations), disable=not progress, unit="org", desc=f"Loading {scale_name}"
    )
    with bulk.indexes_dropped(*BULK_TABLES):
        for index in organisations:
            rng = random.Random(seed * 1_000_003 + index)
            with transaction.atomic():
                staff, contacts = load_organisation(
                    index, rng, today, per_org, contacts_per_org, password_hash
                )
            totals["organisations"] += 1
            totals["people"] += per_org
            totals["staff"] += staff
            totals["contacts"] += contacts
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return totals


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
    first_user, first_membership = bulk.next_id(User), bulk.next_id(Membership)
    users, memberships = [], []
    for offset, (user, role) in enumerate(staff):
        user.id = first_user + offset
        users.append(user)
        memberships.append(
            Membership(
                id=first_membership + offset, organisation=organisation, user_id=user.id, role=role
            )
        )
    bulk.insert_objects(User, users)
    bulk.insert_objects(Membership, memberships)
    bulk.reset_sequences(User, Membership)
    workers = [
        u
        for u, (_, role) in zip(users, staff, strict=True)
        if role in (Role.WORKER, Role.COORDINATOR)
    ]
    caseload = people_synthetic.populate(organisation, rng, today, people=people, workers=workers)
    return len(staff), load_history(organisation, caseload, rng, today, contacts)
