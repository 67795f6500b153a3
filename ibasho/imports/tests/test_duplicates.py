import pytest
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.imports.duplicates import merge_same_person
from ibasho.imports.models import ImportedRow
from ibasho.imports.tests.conftest import run
from ibasho.outreach.models import Contact, OutreachPlan
from ibasho.outreach.services.contacts import record_contact
from ibasho.outreach.services.reads import trust_summary
from ibasho.people.models import Person, PossibleDuplicate
from ibasho.people.services import create_person, mark_not_same

pytestmark = pytest.mark.django_db

NAMES = dict(family_name="髙橋", given_name="健太", family_name_kana="たかはし",
             given_name_kana="けんた")  # fmt: skip


def test_same_reading_and_birth_year_or_municipality_is_asked(org_a, worker_a):
    by = worker_a.user
    first = create_person(by=by, organisation=org_a, birth_year=1988, **NAMES)
    create_person(by=by, organisation=org_a, **{**NAMES, "given_name_kana": "けんじ"})
    assert not PossibleDuplicate.objects.exists()  # another reading
    create_person(by=by, organisation=org_a, birth_year=1990, **NAMES)
    assert not PossibleDuplicate.objects.exists()  # same reading, another year, no town
    second = create_person(by=by, organisation=org_a, birth_year=1988, **NAMES)
    pair = PossibleDuplicate.objects.get()
    assert (pair.person, pair.other, pair.reasons) == (first, second, ["reading_birth"])
    a = create_person(by=by, organisation=org_a, municipality="八王子市",
                      **{**NAMES, "given_name": "花子", "given_name_kana": "はなこ"})  # fmt: skip
    b = create_person(by=by, organisation=org_a, municipality="八王子市",
                      **{**NAMES, "given_name": "華子", "given_name_kana": "はなこ"})  # fmt: skip
    assert PossibleDuplicate.objects.get(other=b).person == a


def test_the_people_form_and_the_import_ask_too(org_a, coordinator_a, sato, client_for):
    run(org_a, sato.user, "people.xlsx", "people")
    response = client_for(coordinator_a).post(reverse("people:person_create"), {
        "family_name": "髙橋", "given_name": "健太", "family_name_kana": "タカハシ",
        "given_name_kana": "ケンタ", "birth_date": "1988-04-01", "gender": "male",
        "living_situation": "unknown",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    pair = PossibleDuplicate.objects.get()
    assert pair.person.family_name == "髙橋" and pair.reasons == ["reading_birth"]
    page = client_for(coordinator_a).get(reverse("people:person_detail", args=[pair.other.code]))
    assert reverse("imports:duplicate_detail", args=[pair.code]) in page.content.decode()


def test_not_the_same_is_not_asked_again(org_a, worker_a, coordinator_a):
    by = worker_a.user
    create_person(by=by, organisation=org_a, birth_year=1988, **NAMES)
    second = create_person(by=by, organisation=org_a, birth_year=1988, **NAMES)
    pair = PossibleDuplicate.objects.get()
    mark_not_same(pair, by=coordinator_a.user)
    from ibasho.people.services import note_possible_duplicates

    note_possible_duplicates(second, by=by)
    assert PossibleDuplicate.objects.get().status == "not_same"
    with pytest.raises(Exception, match="already"):
        mark_not_same(pair, by=coordinator_a.user)


def test_linking_the_same_person_keeps_all_history(org_a, worker_a, coordinator_a, sato):
    run(org_a, sato.user, "people.xlsx", "people")
    kept = Person.objects.get(family_name="髙橋")
    later = create_person(by=worker_a.user, organisation=org_a, birth_year=1988,
                          own_words="外に出たい", **NAMES)  # fmt: skip
    record_contact(later, by=worker_a.user, channel="phone", reached="person",
                   outcome="spoke_by_phone", duration_minutes=60)  # fmt: skip
    run(org_a, sato.user, "contacts-sjis.csv", "contacts")
    pair = PossibleDuplicate.objects.get()
    merge_same_person(pair, by=coordinator_a.user)
    assert not Person.objects.filter(pk=later.pk).exists()
    kept.refresh_from_db()
    assert kept.own_words == "外に出たい"  # filled in from the later record
    assert Contact.objects.filter(person=kept).count() == 4
    assert kept.cases.count() == 2
    assert trust_summary(kept).two_way_hours == pytest.approx(1 + 20 / 60, abs=0.01)
    plans = OutreachPlan.objects.filter(case__person=kept)
    assert {p.last_contact_on for p in plans} == {
        max(c.occurred_at for c in Contact.objects.filter(person=kept))
        .astimezone(org_a.zone)
        .date()
    }
    pair.refresh_from_db()
    assert (pair.status, pair.other_code) == ("same", later.code)
    merged = AuditEntry.objects.get(action="people.person.merged")
    assert "outreach.contact" in merged.fields and merged.person_code == kept.code
    # Importing the name list again neither brings the later record back nor asks again.
    again = run(org_a, sato.user, "people.xlsx", "people")
    assert again.created == 0 and Person.objects.filter(family_name="髙橋").count() == 1
    assert ImportedRow.objects.filter(target_code=later.code).count() == 0


def test_the_duplicates_pages(org_a, worker_a, coordinator_a, analyst_a, worker_b, client_for):
    by = worker_a.user
    create_person(by=by, organisation=org_a, birth_year=1988, **NAMES)
    second = create_person(by=by, organisation=org_a, birth_year=1988, **NAMES)
    pair = PossibleDuplicate.objects.get()
    client = client_for(coordinator_a)
    listed = client.get(reverse("imports:duplicate_list")).content.decode()
    assert reverse("imports:duplicate_detail", args=[pair.code]) in listed
    detail = reverse("imports:duplicate_detail", args=[pair.code])
    assert "1988" in client.get(detail).content.decode()
    for outsider in (worker_a, analyst_a, worker_b):
        assert client_for(outsider).get(detail).status_code == 404
        assert client_for(outsider).post(detail, {"decision": "same"}).status_code == 404
        assert client_for(outsider).get(reverse("imports:duplicate_list")).status_code == 404
    assert client.post(detail, {"decision": "maybe"}).status_code == 400
    assert client.post(detail, {"decision": "same"}).status_code == 302
    assert not Person.objects.filter(pk=second.pk).exists()
    assert client.post(detail, {"decision": "not_same"}).status_code == 400
