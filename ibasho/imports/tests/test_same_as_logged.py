"""An imported contact history leaves trust hours and the outreach plan exactly as logging the
same contacts one by one does (the import takes the batched path, one plan replay per
person)."""

import datetime as dt
import random

import pytest

from ibasho.audit.models import AuditEntry
from ibasho.imports.engine import Importer
from ibasho.imports.readers import Row, Table
from ibasho.outreach.models import Contact, OutreachPlan
from ibasho.outreach.services.contacts import record_contact
from ibasho.outreach.services.reads import trust_summary
from ibasho.outreach.tests.replay import assert_plans_equal_replay, stored_state
from ibasho.people.models import Case, CaseAssignment, Person, PossibleDuplicate
from ibasho.people.services import create_people, create_person

pytestmark = pytest.mark.django_db

CHANNELS = ["手紙", "訪問", "電話", "メール", "来所", "はがき"]
REACHED = ["本人", "なし", "家族", "なし"]


def history(seed: int, today: dt.date) -> list[tuple[dt.date, str, str, int]]:
    """Contacts over two years, in the order a spreadsheet lists them (not always by date)."""
    chance = random.Random(seed)
    rows = []
    for _ in range(40):
        day = today - dt.timedelta(days=chance.randrange(1, 730))
        rows.append((day, chance.choice(CHANNELS), chance.choice(REACHED), chance.randrange(0, 90)))
    chance.shuffle(rows)
    return rows


def state(person) -> dict:  # type: ignore[no-untyped-def]
    plan = OutreachPlan.objects.get(case__person=person)
    return {
        "plan": (plan.last_contact_on, plan.last_two_way_on, plan.next_due_on),
        "cadences": sorted(
            (c.channel, c.last_on, c.unanswered, c.next_due_on) for c in plan.cadences.all()
        ),
        "trust": trust_summary(person),
        "contacts": sorted(
            (c.occurred_at, c.channel, c.reached, c.outcome, c.duration_minutes, c.staff_id)
            for c in Contact.objects.filter(person=person)
        ),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_import_equals_logging_one_by_one(org_a, worker_a, seed):
    by = worker_a.user
    names = dict(
        family_name="試験", given_name="一", family_name_kana="シケン", given_name_kana="ハジメ"
    )
    imported = create_person(by=by, organisation=org_a, **names)
    logged = create_person(by=by, organisation=org_a, **{**names, "given_name": "二"})
    rows = history(seed, org_a.today())
    headers = ["氏名", "ふりがな", "相談日", "対応方法", "相手", "時間(分)"]
    table = Table(
        headers=headers,
        rows=[
            Row(n, ["試験 一", "しけん はじめ", day.isoformat(), channel, reached, minutes])
            for n, (day, channel, reached, minutes) in enumerate(rows, start=2)
        ],
        header_row=1,
    )
    importer = Importer(
        org_a,
        "contacts",
        table,
        {
            h: k
            for h, k in zip(
                headers, ["name", "reading", "date", "channel", "reached", "minutes"], strict=True
            )
        },
    )
    checked = importer.check()
    assert all(row.ok for row in checked), [row.errors for row in checked]
    importer.apply(checked, by=by, only_valid=False)
    for row in checked:  # the same values, logged one contact at a time
        fields = importer.contact_fields(row.values)
        record_contact(logged, by=by, **fields)
    assert state(imported) == state(logged)
    assert_plans_equal_replay(imported)
    assert Contact.objects.filter(person=imported).count() == len(rows)


def test_several_people_imported_together_equal_logging(org_a, worker_a):
    """The import writes many people's histories at once: each plan is still the one logging
    that person's contacts one by one gives."""
    by = worker_a.user
    headers = ["氏名", "ふりがな", "相談日", "対応方法", "相手", "時間(分)"]
    pairs, rows = [], []
    for n, (given, kana) in enumerate([("一", "ハジメ"), ("二", "ジロウ"), ("三", "サブロウ")]):
        names = dict(family_name="試験", given_name=given, family_name_kana="シケン")
        imported = create_person(by=by, organisation=org_a, given_name_kana=kana, **names)
        logged = create_person(
            by=by,
            organisation=org_a,
            given_name_kana=kana,
            **{**names, "given_name": f"{given}記"},
        )
        pairs.append((imported, logged))
        rows += [
            [f"試験 {given}", f"シケン {kana}", day.isoformat(), channel, reached, minutes]
            for day, channel, reached, minutes in history(10 + n, org_a.today())
        ]
    table = Table(
        headers=headers, rows=[Row(n, r) for n, r in enumerate(rows, start=2)], header_row=1
    )
    keys = ["name", "reading", "date", "channel", "reached", "minutes"]
    importer = Importer(org_a, "contacts", table, dict(zip(headers, keys, strict=True)))
    checked = importer.check()
    assert all(row.ok for row in checked), [row.errors for row in checked]
    importer.apply(checked, by=by, only_valid=False)
    twins = {imported.pk: logged for imported, logged in pairs}
    for row in checked:
        record_contact(twins[row.person.pk], by=by, **importer.contact_fields(row.values))
    for imported, logged in pairs:
        assert state(imported) == state(logged)
        assert_plans_equal_replay(imported)
        assert Contact.objects.filter(person=imported).count() == 40


def people_state(organisation) -> list:  # type: ignore[no-untyped-def]
    """What registering people leaves, without ids and codes: each person with their case,
    worker, plan, audit trail, and the possible duplicates noted."""
    found = []
    for person in Person.objects.filter(organisation=organisation).order_by("pk"):
        case = Case.objects.get(person=person)
        found.append(
            (
                person.full_name,
                person.full_name_kana,
                person.birth_date,
                person.birth_year,
                person.sort_key,
                (case.status, case.opened_on),
                sorted(a.worker.username for a in CaseAssignment.objects.filter(case=case)),
                stored_state(person),
                sorted(
                    (e.action, tuple(e.fields))
                    for e in AuditEntry.objects.filter(person_code=person.code)
                ),
            )
        )
    pairs = sorted(
        (d.person.full_name, d.other.full_name, tuple(d.reasons))
        for d in PossibleDuplicate.objects.filter(organisation=organisation)
    )
    return [found, pairs]


def test_people_registered_together_equal_one_by_one(org_a, org_b, worker_a, worker_b):
    """The import registers a name list together: the records, plans, audit trail and possible
    duplicates are those of registering each person in turn."""
    rows = [
        (dict(family_name="山田", given_name="一", family_name_kana="ヤマダ",
              given_name_kana="ハジメ", birth_date=dt.date(1990, 4, 1)), True),
        (dict(family_name="山田", given_name="壱", family_name_kana="ヤマダ",
              given_name_kana="ハジメ", birth_year=1990, municipality="八王子市"), False),
        (dict(family_name="山田", given_name="元", family_name_kana="ヤマダ",
              given_name_kana="ハジメ", municipality="八王子市"), True),
        (dict(family_name="鈴木", given_name="花", family_name_kana="スズキ",
              given_name_kana="ハナ", gender="female"), False),
    ]  # fmt: skip
    earlier = dict(family_name="山田", given_name="肇", family_name_kana="ヤマダ",
                   given_name_kana="ハジメ", birth_year=1990)  # fmt: skip
    for org, worker in ((org_a, worker_a), (org_b, worker_b)):
        create_person(by=worker.user, organisation=org, **earlier)
    for values, assigned in rows:
        create_person(
            by=worker_a.user,
            organisation=org_a,
            assign=worker_a.user if assigned else None,
            **values,
        )
    create_people(
        by=worker_b.user,
        organisation=org_b,
        people=[(values, worker_b.user if assigned else None) for values, assigned in rows],
    )
    one_by_one, together = people_state(org_a), people_state(org_b)
    assert one_by_one[1], "the rows are chosen to be noted as possible duplicates"
    # The two organisations' workers have their own names: compare who was assigned by role.
    for entry in together[0]:
        entry[6][:] = [n.replace(worker_b.user.username, worker_a.user.username) for n in entry[6]]
    assert one_by_one == together
    for person in Person.objects.filter(organisation=org_b):
        assert_plans_equal_replay(person)
