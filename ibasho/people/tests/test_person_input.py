"""What a person's record may hold, refused alike by the API, the forms and the services;
nothing is written on any refusal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ibasho.audit.models import AuditEntry
from ibasho.people import services
from ibasho.people.models import Case, FamilyMember, Person

pytestmark = pytest.mark.django_db
URL = "/api/v1/people"


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def person(**change):
    return {"family_name": "木村", "family_name_kana": "きむら", **change}


def refused(response, field):
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert field in [p["field"] for p in problems], problems
    assert all(set(p) == {"field", "reason"} and 0 < len(p["reason"]) < 300 for p in problems)
    assert not Person.objects.exists() and not Case.objects.exists()
    assert not AuditEntry.objects.filter(action="people.person.created").exists()
    return problems


def test_create_through_the_api_stores_what_was_sent(api_client_for, worker_a):
    born = dt.date(1990, 5, 1)
    body = person(given_name="一郎", birth_date=born.isoformat(), gender="male",
                  municipality="川口市", prefecture="11")  # fmt: skip
    response = post(api_client_for(worker_a), body)
    assert response.status_code == 201, response.content
    stored = Person.objects.get()
    assert (stored.birth_date, stored.birth_year, stored.family_name_kana) == (born, 1990, "キムラ")
    assert list(stored.cases.get().workers.all()) == [worker_a.user]
    entry = AuditEntry.objects.get(action="people.person.created")
    assert "family_name" in entry.fields and "木村" not in str(entry.fields)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": "0001-01-01"}, "birth_date"),
        ({"birth_date": "1850-06-01"}, "birth_date"),
        ({"birth_date": f"{timezone.localdate().year - 121}-12-31"}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_year": 1850}, "birth_year"),
        ({"birth_year": 99999}, "birth_year"),
        ({"birth_year": "1990"}, "birth_year"),
        ({"birth_year": 1990.0}, "birth_year"),
        ({"birth_year": True}, "birth_year"),
        ({"birth_date": 631152000}, "birth_date"),
        ({"birth_date": "1990-05-01", "birth_year": 1991}, "birth_year"),
        ({"family_name_kana": "kimura"}, "family_name_kana"),
        ({"gender": "robot"}, "gender"),
        ({"family_name": ""}, "family_name"),
        ({"family_name": "木\x00村"}, "family_name"),
        ({"municipality": "川口\x1b市"}, "municipality"),
        ({"preferred_name": "x" * 51}, "preferred_name"),
        ({"things_to_avoid": "インターホンは鳴らさない"}, "things_to_avoid"),
        ({"organisation": 1}, "organisation"),
        ({"household": 1}, "household"),
    ],
)
def test_bad_or_unknown_input_is_refused(api_client_for, worker_a, change, field):
    [*problems] = refused(post(api_client_for(worker_a), person(**change)), field)
    assert all("x" * 20 not in p["reason"] for p in problems)


def test_the_form_refuses_the_same_birth_dates_in_japanese(client_for, worker_a):
    data = {"family_name": "木村", "family_name_kana": "きむら", "gender": "not_stated",
            "living_situation": "unknown", "birth_date": "1850-06-01"}  # fmt: skip
    with translation.override("ja"):
        response = client_for(worker_a).post(
            reverse("people:person_create"), data, HTTP_ACCEPT_LANGUAGE="ja"
        )
    errors = response.context["form"].errors
    assert "birth_date" in errors
    assert any("\u3040" <= ch <= "\u30ff" for ch in " ".join(errors["birth_date"]))
    assert not Person.objects.exists()


def test_the_service_takes_values_and_applies_the_rules(org_a, worker_a):
    with pytest.raises(ValidationError) as error:
        services.create_person(
            by=worker_a.user, organisation=org_a, family_name="木村", family_name_kana="きむら",
            birth_date=dt.date(1990, 5, 1), birth_year=1991,
        )  # fmt: skip
    assert "birth_year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_person(
            by=worker_a.user, organisation=org_a, family_name="木村", family_name_kana="きむら",
            own_words="\x00",
        )  # fmt: skip
    assert "own_words" in error.value.message_dict
    assert not Person.objects.exists() and not Case.objects.exists()
    created = services.create_person(
        by=worker_a.user, organisation=org_a, family_name="木村", family_name_kana="きむら",
        assign=worker_a.user,
    )  # fmt: skip
    assert created.cases.get().is_open


def test_a_family_member_through_the_service(person_a, worker_a):
    household = person_a.household
    with pytest.raises(ValidationError) as error:
        services.add_family_member(
            household, by=worker_a.user, name="山田花子", relationship="sibling", birth_year=1850
        )
    assert "birth_year" in error.value.message_dict
    member = services.add_family_member(
        household, by=worker_a.user, name="山田花子", relationship="sibling", health="ill"
    )
    assert member.health_changed_on == timezone.localdate()  # a new status happened today
    assert FamilyMember.objects.filter(household=household).count() == 3


def test_consent_rules_live_in_the_service(person_a, worker_a):
    mother = person_a.household.members.get(relationship="mother")
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            person_a, by=worker_a.user, purpose="contact", given_by_person=True, proxy=mother
        )
    assert "proxy" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            person_a, by=worker_a.user, purpose="contact", given_by_person=False, proxy=None
        )
    assert "proxy" in error.value.message_dict
    assert not person_a.consents.exists()


@pytest.mark.parametrize("query", ["山\x00田", "\x01", "a" * 101])
def test_a_search_with_control_characters_is_refused_not_a_500(
    api_client_for, client_for, worker_a, person_a, query
):
    response = api_client_for(worker_a).get(URL, {"q": query})
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["field"] == "q"
    page = client_for(worker_a).get(reverse("people:person_list"), {"q": query})
    assert page.status_code == 200
    assert "q" in page.context["form"].errors


def test_the_admin_refuses_the_same(client_for, admin_a):
    from ibasho.people.models import Household

    response = client_for(admin_a).post(
        reverse("admin:people_household_add"),
        {"name": "山田家", "name_kana": "yamada", "municipality": "川口\x01市", "notes": "\x07"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"name_kana", "municipality", "notes"} <= set(errors)
    assert not Household.objects.exists()


def test_every_write_refuses_control_characters_whatever_the_door(org_a, person_a):
    """The model's last guard: even a plain save() never writes what PostgreSQL refuses."""
    from ibasho.people.models import Household

    count = Household.objects.count()
    household = Household(organisation=org_a, name="山田\x00家")
    with pytest.raises(ValidationError) as error:
        household.save()
    assert "name" in error.value.message_dict and Household.objects.count() == count
    person_a.things_to_avoid = "x" * 20_001
    with pytest.raises(ValidationError):
        person_a.save()
    person_a.refresh_from_db()
    assert person_a.things_to_avoid == "インターホンは鳴らさない"
