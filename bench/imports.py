"""The import of a whole caseload: people and their contact history written as a centre's CSV
files (Shift_JIS, 和暦 dates), then imported through `ibasho.imports` into a new organisation
of the database DATABASE_URL names, timed from reading the file to the commit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import time
from typing import Any

from django.db import transaction

from ibasho.accounts.models import Membership, Organisation, Role, User
from ibasho.accounts.tenancy import organisation_scope
from ibasho.imports import columns
from ibasho.imports.readers import read_table
from ibasho.imports.services import import_rows
from ibasho.outreach.models import Contact

FAMILY = ["佐藤", "鈴木", "髙橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "山﨑"]
FAMILY_KANA = [
    "さとう",
    "すずき",
    "たかはし",
    "たなか",
    "いとう",
    "わたなべ",
    "やまもと",
    "なかむら",
    "こばやし",
    "やまさき",
]
CHANNELS = ["手紙", "訪問", "電話", "メール", "来所", "はがき"]
REACHED = ["本人", "なし", "なし", "家族"]
DIGIT_KANA = "あいうえおかきくけこ"


def reading(n: int) -> str:
    """A given-name reading of its own for each person (people who share a reading and a
    town are asked about as possible duplicates, which is not what this measures)."""
    return "".join(DIGIT_KANA[int(d)] for d in str(n))


def wareki(day: dt.date) -> str:
    if day >= dt.date(2019, 5, 1):
        return f"R{day.year - 2018}.{day.month}.{day.day}"
    return f"H{day.year - 1988}/{day.month}/{day.day}"


def files(people: int, contacts: int, today: dt.date, seed: int = 1) -> tuple[bytes, bytes]:
    chance = random.Random(seed)
    people_csv, contacts_csv = io.StringIO(), io.StringIO()
    out = csv.writer(people_csv)
    out.writerow(["管理番号", "氏名", "ふりがな", "生年月日", "住所"])
    for n in range(people):
        f = chance.randrange(len(FAMILY))
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=chance.randrange(0, 365 * 30))
        out.writerow([f"P{n:06d}", f"{FAMILY[f]} 利用者{n}", f"{FAMILY_KANA[f]} {reading(n)}",
                      f"S{birth.year - 1925}.{birth.month}.{birth.day}" if birth.year < 1989
                      else birth.isoformat(), "東京都八王子市"])  # fmt: skip
    out = csv.writer(contacts_csv)
    out.writerow(["利用者ID", "相談日", "対応方法", "相手", "時間(分)", "内容"])
    for n in range(contacts):
        person = n % people
        day = today - dt.timedelta(days=chance.randrange(1, 1500))
        out.writerow([f"P{person:06d}", wareki(day), chance.choice(CHANNELS),
                      chance.choice(REACHED), chance.randrange(5, 90), "近況を聞いた"])  # fmt: skip
    return (people_csv.getvalue().encode("cp932"), contacts_csv.getvalue().encode("cp932"))


def run(people: int = 10_000, contacts: int = 200_000) -> dict[str, Any]:
    organisation = Organisation.objects.create(name="取込ベンチ", prefecture="13")
    user = User.objects.create_user(username=f"import-bench-{organisation.code.hex[:8]}")
    Membership.objects.create(organisation=organisation, user=user, role=Role.COORDINATOR)
    people_file, contacts_file = files(people, contacts, organisation.today())
    timings: dict[str, Any] = {"people": people, "contacts": contacts}
    started, cpu = time.perf_counter(), time.process_time()
    with organisation_scope(organisation.pk):
        for kind, data in (("people", people_file), ("contacts", contacts_file)):
            begun = time.perf_counter()
            table = read_table(data, f"{kind}.csv", columns.scorer(kind))
            mapping = columns.recognise(kind, table.headers)
            with transaction.atomic():
                summary = import_rows(organisation, kind, table, mapping, by=user, only_valid=False)
            if summary.rejected:
                raise SystemExit(f"{summary.rejected} {kind} rows refused: {summary.errors[:3]}")
            timings[f"{kind}_seconds"] = round(time.perf_counter() - begun, 1)
        timings["contacts_written"] = Contact.objects.filter(organisation=organisation).count()
    timings["total_seconds"] = round(time.perf_counter() - started, 1)
    # The machine may be shared: the CPU the import itself used is the steadier figure.
    timings["cpu_seconds"] = round(time.process_time() - cpu, 1)
    return timings
