"""Synthetic organisations for the demo, tests and benchmarks. The same seed and day always
give the same records."""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from ibasho.accounts.models import Membership, Organisation, Role, User
from ibasho.accounts.tenancy import organisation_scope
from ibasho.ops.synthetic import families, names, outcomes, outreach, programmes, reports
from ibasho.ops.synthetic import people as people_synthetic

DEMO_PASSWORD = "ibasho-demo"

STAFF = [
    ("admin", "管理 花子", "カンリハナコ", Role.ADMIN),
    ("sato", "佐藤 美穂", "サトウミホ", Role.COORDINATOR),
    ("tanaka", "田中 健太", "タナカケンタ", Role.WORKER),
    ("suzuki", "鈴木 恵", "スズキメグミ", Role.WORKER),
    ("ito", "伊藤 誠", "イトウマコト", Role.WORKER),
    ("analyst", "分析 太郎", "ブンセキタロウ", Role.ANALYST),
]

# Demo records of each domain after the caseload, in dependency order.
POPULATORS = [
    outreach.populate,
    outcomes.populate,
    programmes.populate,
    families.populate,
    reports.populate,
]


@dataclass
class DemoOrganisation:
    organisation: Organisation
    logins: list[tuple[str, str]]  # (username, role label)


@transaction.atomic
def create_organisation(
    *,
    seed: int = 1,
    people: int = 150,
    today: dt.date | None = None,
    name: str = "NPO法人 よりそいの森",
    username_prefix: str = "",
    password: str = DEMO_PASSWORD,
) -> DemoOrganisation:
    today = today or dt.date.today()
    rng = random.Random(seed)
    organisation = Organisation.objects.create(
        name=name,
        name_kana="ヨリソイノモリ",
        kind=Organisation.Kind.NPO,
        prefecture=names.PREFECTURE,
        municipality="さいたま市",
    )
    workers, logins = [], []
    for username, display, kana, role in STAFF:
        user = User.objects.create_user(
            username=f"{username_prefix}{username}",
            password=password,
            display_name=display,
            display_name_kana=kana,
        )
        Membership.objects.create(organisation=organisation, user=user, role=role)
        logins.append((user.username, str(role.label)))
        if role in (Role.WORKER, Role.COORDINATOR):
            workers.append(user)
    with organisation_scope(organisation.pk):
        people_synthetic.populate(organisation, rng, today, people=people, workers=workers)
        for populate in POPULATORS:
            populate(organisation, rng, today)
    return DemoOrganisation(organisation, logins)
