"""Reads of personal data leave an audit entry: one per record page, and one per list request
naming how many people the list showed (never who, never a value). Every route is checked in
test_every_route.py; these pin what the entries say."""

import pytest
from django.test import Client
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.outreach import services
from ibasho.outreach.models import Contact
from ibasho.people.models import Case, CaseAssignment, Person


@pytest.fixture
def contacts(person_a, worker_a, org_a):
    """Three contacts about two people."""
    other = Person.objects.create(organisation=org_a, family_name="川上", family_name_kana="かわ")
    case = Case.objects.create(organisation=org_a, person=other)
    CaseAssignment.objects.create(organisation=org_a, case=case, worker=worker_a.user)
    for person in (person_a, person_a, other):
        services.record_contact(
            person, by=worker_a.user, channel="letter", outcome="letter_left", note="秘密のメモ"
        )
    return other


def reads(user, action):
    return list(AuditEntry.objects.filter(actor=user, action=action))


def test_the_contacts_api_is_one_entry_naming_how_many_people_it_showed(
    api_client_for, worker_a, contacts
):
    response = api_client_for(worker_a).get("/api/v1/contacts")
    assert response.status_code == 200 and response.json()["count"] == 3
    [entry] = reads(worker_a.user, "outreach.contact_list.viewed")
    assert (entry.count, entry.person_code, entry.fields) == (2, None, [])
    assert entry.organisation == worker_a.organisation


def test_a_page_of_the_contacts_api_counts_the_people_on_that_page(
    api_client_for, worker_a, contacts
):
    api_client_for(worker_a).get("/api/v1/contacts?limit=1")
    [entry] = reads(worker_a.user, "outreach.contact_list.viewed")
    assert entry.count == 1


def test_a_persons_contacts_in_the_api_are_a_read_of_that_person(
    api_client_for, worker_a, person_a, contacts
):
    api_client_for(worker_a).get(f"/api/v1/people/{person_a.code}/contacts")
    [entry] = reads(worker_a.user, "outreach.contacts.viewed")
    assert entry.person_code == person_a.code


def test_the_people_list_is_one_entry_per_request(client_for, api_client_for, worker_a, contacts):
    client_for(worker_a).get(reverse("people:person_list"))
    client_for(worker_a).get(reverse("people:person_list"), {"q": "かわ"})
    api_client_for(worker_a).get("/api/v1/people")
    counts = [e.count for e in reads(worker_a.user, "people.person_list.viewed")]
    assert sorted(counts) == [1, 2, 2]


def test_the_queue_api_names_how_many_people_are_due(api_client_for, worker_a, contacts):
    response = api_client_for(worker_a).get("/api/v1/outreach/queue")
    [entry] = reads(worker_a.user, "outreach.queue.viewed")
    assert entry.count == len({item["person"] for item in response.json()["items"]})


def test_opening_the_person_form_is_a_read_naming_the_fields_it_shows(
    client_for, worker_a, person_a
):
    url = reverse("people:person_edit", args=[person_a.code])
    assert client_for(worker_a).get(url).status_code == 200
    [entry] = reads(worker_a.user, "people.person_form.viewed")
    assert entry.person_code == person_a.code
    assert {"own_words", "things_to_avoid", "goals"} <= set(entry.fields)
    assert "インターホン" not in str(entry.fields)  # names, never values


def test_saving_the_person_form_is_a_change_not_another_read(client_for, worker_a, person_a):
    url = reverse("people:person_edit", args=[person_a.code])
    data = {
        "family_name": "山田",
        "family_name_kana": "やまだ",
        "gender": "male",
        "living_situation": "unknown",
    }
    assert client_for(worker_a).post(url, data).status_code == 302
    assert reads(worker_a.user, "people.person_form.viewed") == []
    assert reads(worker_a.user, "people.person.changed") != []


def test_opening_a_contact_to_edit_is_a_read(client_for, worker_a, person_a, contacts):
    contact = Contact.objects.filter(person=person_a).first()
    client_for(worker_a).get(reverse("outreach:contact_edit", args=[contact.code]))
    [entry] = reads(worker_a.user, "outreach.contact_form.viewed")
    assert (entry.target_code, entry.person_code) == (str(contact.code), person_a.code)


def test_the_kato_form_with_its_history_is_a_read(client_for, worker_a, person_a):
    client_for(worker_a).get(reverse("outcomes:kato_create", args=[person_a.code]))
    [entry] = reads(worker_a.user, "outcomes.kato_form.viewed")
    assert entry.person_code == person_a.code


def test_a_refused_read_leaves_no_entry(client_for, api_client_for, worker_b, person_a):
    assert (
        client_for(worker_b).get(reverse("people:person_edit", args=[person_a.code])).status_code
        == 404
    )
    assert api_client_for(worker_b).get(f"/api/v1/people/{person_a.code}").status_code == 404
    assert not AuditEntry.objects.filter(actor=worker_b.user).exists()


def test_every_entry_says_where_the_read_came_from(client_for, worker_a, person_a):
    from ibasho.accounts.models import ApiToken

    token, raw = ApiToken.issue(worker_a)
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="192.0.2.7").get(
        f"/api/v1/people/{person_a.code}"
    )
    client_for(worker_a).get(reverse("people:person_list"), REMOTE_ADDR="198.51.100.9")
    api, web = (
        AuditEntry.objects.filter(actor=worker_a.user, channel=channel).get()
        for channel in ("api", "web")
    )
    assert (api.ip, api.token_id, api.person_code) == ("192.0.2.7", token.pk, person_a.code)
    assert (web.ip, web.token_id) == ("198.51.100.9", None)
