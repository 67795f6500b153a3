"""What a contact may hold, refused alike by the API, the form and the service; nothing is
written on any refusal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ibasho.audit.models import AuditEntry
from ibasho.outreach import services
from ibasho.outreach.models import Contact

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached
URL = "/api/v1/contacts"


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def payload(who, **change):
    return {"person": str(who.code), "channel": C.LETTER, "outcome": OC.LETTER_LEFT, **change}


def refused(response, field):
    """A 422 naming `field`, every problem a field and a short reason, and nothing written."""
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert field in [p["field"] for p in problems], problems
    assert all(set(p) == {"field", "reason"} and 0 < len(p["reason"]) < 300 for p in problems)
    assert not Contact.objects.exists()
    assert not AuditEntry.objects.filter(action="outreach.contact.recorded").exists()
    return problems


def test_a_named_family_member_needs_reached_family_at_every_door(
    api_client_for, client_for, worker_a, person_a
):
    mother = person_a.household.members.get(relationship="mother")
    data = {"reached": R.PERSON, "outcome": OC.SPOKE_BY_PHONE, "channel": C.PHONE}
    response = post(
        api_client_for(worker_a), payload(person_a, **data, family_member=str(mother.code))
    )
    refused(response, "reached")
    with pytest.raises(ValidationError) as error:
        services.record_contact(person_a, by=worker_a.user, family_member=mother, **data)
    assert "reached" in error.value.message_dict
    form = client_for(worker_a).post(
        reverse("outreach:contact_create", args=[person_a.code]),
        {
            **data,
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "direction": "outreach",
            "family_member": mother.pk,
            "duration_minutes": 5,
        },
    )
    assert "reached" in form.context["form"].errors
    assert not Contact.objects.exists()


def test_reached_family_must_say_who_when_the_household_is_known(
    api_client_for, worker_a, person_a
):
    data = payload(person_a, channel=C.PHONE, reached=R.FAMILY, outcome=OC.FAMILY_ONLY)
    refused(post(api_client_for(worker_a), data), "family_member")


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+09:00",  # was a 500 (OverflowError)
        "0001-01-01T00:00:00+00:00",  # was stored, and came back as +09:18:59
        "1900-01-01T10:00:00+09:00",
        "1979-12-31T10:00:00+09:00",
        "9999-12-31T23:59:59+09:00",
    ],
)
def test_a_contact_outside_the_sane_range_is_refused(api_client_for, worker_a, person_a, moment):
    refused(post(api_client_for(worker_a), payload(person_a, occurred_at=moment)), "occurred_at")


def test_the_earliest_year_is_a_setting(api_client_for, worker_a, person_a, settings):
    settings.EARLIEST_RECORD_YEAR = 2020
    data = payload(person_a, occurred_at="2019-06-01T10:00:00+09:00")
    refused(post(api_client_for(worker_a), data), "occurred_at")
    data = payload(person_a, occurred_at="2020-06-01T10:00:00+09:00")
    assert post(api_client_for(worker_a), data).status_code == 201


def test_a_small_clock_skew_is_allowed(api_client_for, worker_a, person_a):
    soon = (timezone.now() + dt.timedelta(minutes=2)).isoformat()
    assert post(api_client_for(worker_a), payload(person_a, occurred_at=soon)).status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_minutes": "30"}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"duration_minutes": 30.0}, "duration_minutes"),
        ({"occurred_at": 1700000000}, "occurred_at"),
        ({"occurred_at": "1700000000"}, "occurred_at"),
        ({"channel": 1}, "channel"),
        ({"note": ["a"]}, "note"),
        ({"person": 5}, "person"),
    ],
)
def test_loose_types_are_refused(api_client_for, worker_a, person_a, change, field):
    refused(post(api_client_for(worker_a), payload(person_a, **change)), field)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"things_to_avoid": "x"}, "things_to_avoid"),
        ({"staff": "someone"}, "staff"),
        ({"second_staff": 1}, "second_staff"),
        ({"organisation": 1}, "organisation"),
        ({"created_by": 1}, "created_by"),
    ],
)
def test_unknown_and_server_set_fields_are_refused(api_client_for, worker_a, person_a, change,
                                                   field):  # fmt: skip
    refused(post(api_client_for(worker_a), payload(person_a, **change)), field)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("next_step", "来週\x00また"),  # was a 500 on PostgreSQL
        ("note", "玄関で\x00"),
        ("note", "bell\x07"),
        ("note", "\x1b[31m"),
        ("note", "del\x7f"),
        ("next_step", "two\nlines"),
        ("next_step", "x" * 301),
        ("note", "x" * 100_000),  # was accepted
    ],
)
def test_control_characters_and_overlong_text_are_refused(
    api_client_for, worker_a, person_a, field, value
):
    [problem] = refused(post(api_client_for(worker_a), payload(person_a, **{field: value})), field)
    assert "xxxxxxxxxx" not in problem["reason"]


def test_multi_line_notes_keep_tabs_and_new_lines(api_client_for, worker_a, person_a):
    note = "一行目\r\n\t二行目\n" + "あ" * 19_000
    response = post(api_client_for(worker_a), payload(person_a, note=note))
    assert response.status_code == 201, response.content
    assert Contact.objects.get().note == note


@pytest.mark.parametrize(
    ("field", "value"),
    [("note", "x" * 20_001), ("note", "a\x00b"), ("next_step", "a\x01b"), ("next_step", "x" * 301)],
)
def test_the_service_refuses_the_same_text(person_a, worker_a, field, value):
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT, **{field: value}
        )
    assert field in error.value.message_dict
    assert not Contact.objects.exists()


def test_an_edit_cannot_bring_in_what_a_new_contact_may_not_hold(person_a, worker_a):
    contact = services.record_contact(
        person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT
    )
    year_one = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    for change in ({"note": "\x00"}, {"occurred_at": year_one}, {"duration_minutes": 5000}):
        with pytest.raises(ValidationError):
            services.edit_contact(contact, by=worker_a.user, **change)
    contact.refresh_from_db()
    assert (contact.note, contact.duration_minutes) == ("", 0)


def test_the_form_gives_the_same_limits_in_japanese(client_for, worker_a, person_a):
    client = client_for(worker_a)
    with translation.override("ja"):
        response = client.post(
            reverse("outreach:contact_create", args=[person_a.code]),
            {
                "occurred_at": "1975-04-01T10:00",
                "channel": C.LETTER,
                "direction": "outreach",
                "reached": R.NOBODY,
                "outcome": OC.LETTER_LEFT,
                "duration_minutes": 10,
                "note": "x" * 20_001,
                "next_step": "a\x01b",
            },
            HTTP_ACCEPT_LANGUAGE="ja",
        )
    errors = response.context["form"].errors
    assert {"occurred_at", "note", "next_step"} <= set(errors)
    assert all(any("\u3040" <= ch <= "\u30ff" for ch in " ".join(errors[f])) for f in errors)
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "limit=9223372036854775808",
        "limit=99999999999999999999999",
        "offset=9223372036854775808",
        "offset=-1",
        "limit=0",
        "since=0001-01-01&limit=abc",
    ],
)
def test_out_of_range_paging_is_422_not_500(api_client_for, worker_a, person_a, query):
    client = api_client_for(worker_a)
    for url in (URL, f"/api/v1/people/{person_a.code}/contacts", "/api/v1/people"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 422, (url, response.content)
        assert response.json()["detail"][0]["field"] in {"limit", "offset"}
