import datetime as dt

import pytest

from ibasho.audit.models import AuditEntry
from ibasho.families import board
from ibasho.families.risk import Thresholds
from ibasho.imports.models import ImportedRow
from ibasho.imports.services import rejected_rows
from ibasho.imports.tests.conftest import run, table
from ibasho.outreach.models import Contact, Stage
from ibasho.outreach.services.cases import current_stage
from ibasho.people.models import FamilyMember, Person

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_excel_name_list_comes_in_whole(org_a, sato):
    summary = run(org_a, sato.user, "people.xlsx", "people")
    assert (summary.rows, summary.created, summary.rejected) == (6, 6, 0)
    takahashi = Person.objects.get(family_name="髙橋")
    assert (takahashi.family_name_kana, takahashi.given_name_kana) == ("タカハシ", "ケンタ")
    assert takahashi.birth_date == dt.date(1988, 4, 1)
    assert (takahashi.prefecture, takahashi.municipality) == ("13", "八王子市")
    assert takahashi.cases.get().workers.get() == sato.user
    assert current_stage(takahashi).stage == Stage.FAMILY_SUPPORT
    sasaki = Person.objects.get(family_name="佐々木")
    assert sasaki.family_name_kana == "ササキ"  # written in half-width kana
    assert sasaki.birth_date == dt.date(1992, 7, 15)  # full-width digits
    assert Person.objects.get(family_name="田中").birth_date == dt.date(
        1990, 5, 7
    )  # an Excel serial number
    assert Person.objects.get(family_name="山﨑").birth_date == dt.date(1990, 5, 3)
    assert Person.objects.get(family_name="伊藤").birth_date == dt.date(1989, 12, 1)


def test_the_same_file_twice_creates_nothing_new(org_a, sato):
    run(org_a, sato.user, "people.xlsx", "people")
    run(org_a, sato.user, "contacts-sjis.csv", "contacts")
    entries = AuditEntry.objects.count()
    again = run(org_a, sato.user, "people.xlsx", "people")
    contacts = run(org_a, sato.user, "contacts-sjis.csv", "contacts")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert (contacts.created, contacts.updated, contacts.unchanged) == (0, 0, 6)
    assert Person.objects.count() == 6 and Contact.objects.count() == 6
    assert AuditEntry.objects.count() == entries


def test_a_corrected_file_updates_what_changed(org_a, sato):
    run(org_a, sato.user, "people.xlsx", "people")
    run(org_a, sato.user, "contacts-sjis.csv", "contacts")
    found = table("contacts-sjis.csv", "contacts")
    found.rows[2].values[5] = "45"  # 髙橋's phone call lasted 45 minutes, not 20
    from ibasho.imports import columns
    from ibasho.imports.services import import_rows

    summary = import_rows(
        org_a,
        "contacts",
        found,
        columns.recognise("contacts", found.headers),
        by=sato.user,
        only_valid=False,
    )
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 5)
    call = Contact.objects.get(person__family_name="髙橋", channel="phone")
    assert call.duration_minutes == 45
    assert call.revisions.count() == 1  # the earlier version is kept, as for an edit


def test_the_broken_excel_file_names_its_errors_and_writes_nothing(org_a, sato):
    from django.utils import translation

    # The problems are stored in the language of the moment: English here, whatever ran before.
    with translation.override("en"):
        summary = run(org_a, sato.user, "people-broken.xlsx", "people")
    where = sorted((e["row"], e["column"], e["header"]) for e in summary.errors)
    assert where == [(5, "C", "ふりがな"), (7, "D", "生年月日")]
    reading = next(e for e in summary.errors if e["row"] == 5)
    assert "never guesses" in reading["message"]
    assert Person.objects.count() == 0 and ImportedRow.objects.count() == 0


def test_the_broken_shift_jis_file_names_its_errors(org_a, sato):
    run(org_a, sato.user, "people.xlsx", "people")
    summary = run(org_a, sato.user, "contacts-broken-sjis.csv", "contacts")
    where = sorted((e["row"], e["column"], e["header"]) for e in summary.errors)
    assert where == [(5, "D", "対応方法"), (7, "C", "相談日")]
    assert Contact.objects.count() == 0


def test_only_the_valid_rows_when_chosen_and_the_rejected_ones_as_a_file(org_a, sato):
    summary = run(org_a, sato.user, "people-broken.xlsx", "people", only_valid=True)
    assert (summary.created, summary.rejected) == (4, 2)
    assert Person.objects.count() == 4
    header, *rows = list(rejected_rows(table("people-broken.xlsx", "people"), summary.errors))
    assert header[-1] in ("Errors", "エラー")
    assert [row[0] for row in rows] == ["P002", "P004"]
    assert "C:ふりがな" in rows[0][-1]
    # The corrected file then brings in the two rows that were missing, nothing twice.
    fixed = run(org_a, sato.user, "people.xlsx", "people")
    assert (fixed.created, fixed.unchanged) == (2, 4)


def test_a_row_that_matches_two_people_is_an_error(org_a, sato):
    for _ in range(2):
        Person.objects.create(
            organisation=org_a,
            family_name="髙橋",
            given_name="健太",
            family_name_kana="タカハシ",
            given_name_kana="ケンタ",
        )
    summary = run(org_a, sato.user, "people.xlsx", "people")
    assert [(e["row"], e["column"]) for e in summary.errors] == [(4, "B")]
    assert Person.objects.count() == 2


def test_an_existing_person_is_matched_not_duplicated(org_a, sato):
    existing = Person.objects.create(
        organisation=org_a,
        family_name="髙橋",
        given_name="健太",
        family_name_kana="タカハシ",
        given_name_kana="ケンタ",
    )
    summary = run(org_a, sato.user, "people.xlsx", "people")
    assert (summary.created, summary.updated) == (5, 1)
    existing.refresh_from_db()
    assert existing.birth_date == dt.date(1988, 4, 1)


def test_contacts_refer_to_people_of_this_organisation_only(org_a, org_b, sato, worker_b):
    run(org_b, worker_b.user, "people.xlsx", "people")
    summary = run(org_a, sato.user, "contacts-sjis.csv", "contacts")
    assert summary.rejected == 6 and Contact.objects.count() == 0
    assert {e["column"] for e in summary.errors} >= {"A"}


def test_a_parents_death_keeps_its_date_and_raises_no_new_alert(org_a, sato):
    run(org_a, sato.user, "people.xlsx", "people")
    summary = run(org_a, sato.user, "family.csv", "family")
    assert (summary.created, summary.rejected) == (3, 0)
    father = FamilyMember.objects.get(name="髙橋 正")
    assert (father.health, father.health_changed_on) == ("died", dt.date(2018, 6, 1))
    assert FamilyMember.objects.get(name="髙橋 和子").phone == "090-0000-0001"
    today = org_a.today()
    households = Person.objects.get(family_name="髙橋").household.__class__.objects.all()
    assert not board.recently_changed(households, org_a.pk, today, Thresholds()).exists()


def test_a_death_without_its_date_is_refused(org_a, sato, tmp_path):
    run(org_a, sato.user, "people.xlsx", "people")
    found = table("family.csv", "family")
    found.rows[1].values[6] = ""
    from ibasho.imports import columns
    from ibasho.imports.services import import_rows

    summary = import_rows(
        org_a,
        "family",
        found,
        columns.recognise("family", found.headers),
        by=sato.user,
        only_valid=False,
    )
    assert [(e["row"], e["column"]) for e in summary.errors] == [(4, "G")]
    assert FamilyMember.objects.count() == 0


def test_contacts_through_the_family_name_the_member(org_a, sato):
    run(org_a, sato.user, "people.xlsx", "people")
    run(org_a, sato.user, "family.csv", "family")
    run(org_a, sato.user, "contacts-sjis.csv", "contacts")
    visit = Contact.objects.get(channel="door_visit")
    assert visit.family_member.name == "髙橋 和子" and visit.reached == "family"
    assert visit.duration_minutes == 30
    letter = Contact.objects.get(channel="letter")
    assert letter.outcome == "letter_left" and letter.note == "手紙を投函。髙橋さん宅"
