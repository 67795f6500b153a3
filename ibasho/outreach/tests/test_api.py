import datetime as dt

import pytest
from django.utils import timezone

from ibasho.outreach import services
from ibasho.outreach.models import Contact, Stage

C, OC, R = Contact.Channel, Contact.Outcome, Contact.Reached


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_create_and_list_contacts(api_client_for, worker_a, person_a):
    client = api_client_for(worker_a)
    response = post(
        client,
        "/api/v1/contacts",
        {
            "person": str(person_a.code),
            "channel": C.DOOR_VISIT,
            "reached": R.PERSON,
            "outcome": OC.FACE_TO_FACE,
            "duration_minutes": 45,
            "occurred_at": "2025-04-01T01:30:00Z",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["occurred_at"] == "2025-04-01T10:30:00+09:00"  # the organisation's zone
    assert body["two_way"] is True
    contact = Contact.objects.get()
    assert contact.duration_minutes == 45 and contact.staff == worker_a.user
    listed = client.get("/api/v1/contacts").json()
    assert [c["code"] for c in listed["items"]] == [str(contact.code)]
    own = client.get(f"/api/v1/people/{person_a.code}/contacts").json()
    assert own["count"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"outcome": "shouted"}, "outcome"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"duration_minutes": 5000}, "duration_minutes"),
        ({"occurred_at": "2025-04-01T10:00:00"}, "occurred_at"),
        ({"reached": R.NOBODY, "outcome": OC.FACE_TO_FACE}, "outcome"),
        ({"person": "00000000-0000-4000-8000-000000000000"}, "person"),
    ],
)
def test_bad_input_is_422_with_field_and_reason(api_client_for, worker_a, person_a, change, field):
    payload = {
        "person": str(person_a.code),
        "channel": C.LETTER,
        "outcome": OC.LETTER_LEFT,
        **change,
    }
    response = post(api_client_for(worker_a), "/api/v1/contacts", payload)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert field in [p["field"] for p in problems]
    assert all(p["reason"] for p in problems)
    assert not Contact.objects.exists()


def test_outsider_cannot_read_or_write(api_client_for, worker_b, person_a, worker_a):
    services.record_contact(person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT)
    client = api_client_for(worker_b)
    assert client.get(f"/api/v1/people/{person_a.code}/contacts").status_code == 404
    assert client.get("/api/v1/contacts").json()["count"] == 0
    response = post(
        client,
        "/api/v1/contacts",
        {"person": str(person_a.code), "channel": C.LETTER, "outcome": OC.LETTER_LEFT},
    )
    assert response.status_code == 422
    assert Contact.objects.count() == 1
    assert client.get("/api/v1/outreach/queue").json()["items"] == []


def test_queue_lists_due_and_overdue_items(api_client_for, worker_a, person_a):
    client = api_client_for(worker_a)
    today = person_a.organisation.today()
    body = client.get("/api/v1/outreach/queue").json()
    assert body["date"] == today.isoformat()
    [item] = body["items"]
    assert item["person"] == str(person_a.code) and item["due_on"] == today.isoformat()
    assert item["things_to_avoid"] == person_a.things_to_avoid
    later = (today + dt.timedelta(days=10)).isoformat()
    assert (
        client.get(f"/api/v1/outreach/queue?date={later}").json()["items"][0]["days_overdue"] == 10
    )
    services.record_contact(person_a, by=worker_a.user, channel=C.LETTER, outcome=OC.LETTER_LEFT)
    assert client.get("/api/v1/outreach/queue").json()["items"] == []


def test_queue_date_must_be_a_date(api_client_for, worker_a):
    response = api_client_for(worker_a).get("/api/v1/outreach/queue?date=tomorrow")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "date"


def test_person_endpoint_includes_trust_stage_and_case_status(api_client_for, worker_a, person_a):
    services.record_contact(
        person_a,
        by=worker_a.user,
        channel=C.DOOR_VISIT,
        reached=R.PERSON,
        outcome=OC.FACE_TO_FACE,
        duration_minutes=90,
        occurred_at=timezone.now() - dt.timedelta(days=1),
    )
    services.change_stage(
        person_a,
        stage=Stage.INDIVIDUAL_FACE_TO_FACE,
        on=person_a.organisation.today(),
        by=worker_a.user,
    )
    body = api_client_for(worker_a).get(f"/api/v1/people/{person_a.code}").json()
    assert body["outreach"]["trust"]["two_way_hours"] == 1.5
    assert body["outreach"]["trust"]["consistent_weeks"] == 1
    assert body["outreach"]["stage"] == Stage.INDIVIDUAL_FACE_TO_FACE
    assert body["outreach"]["case_status"] == "open"


def test_openapi_lists_the_outreach_paths(api_client_for, worker_a):
    paths = api_client_for(worker_a).get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/contacts", "/api/v1/people/{code}/contacts", "/api/v1/outreach/queue"):
        assert path in paths


def _queries(call):
    """How many SQL queries one request made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code < 300, response.content
    return len(captured.captured_queries)


def test_queue_and_contact_creation_do_not_grow_with_caseload_or_history(
    api_client_for, worker_a, person_a, org_a
):
    from ibasho.people.models import Person
    from ibasho.people.services import open_case

    client = api_client_for(worker_a)
    today = org_a.today().isoformat()
    queue = lambda: client.get(f"/api/v1/outreach/queue?date={today}")  # noqa: E731
    body = {
        "person": str(person_a.code),
        "channel": C.LETTER,
        "reached": R.NOBODY,
        "outcome": OC.LETTER_LEFT,
        "duration_minutes": 10,
    }
    create = lambda: post(client, "/api/v1/contacts", body)  # noqa: E731
    create()
    small = (_queries(queue), _queries(create))
    for n in range(8):
        other = Person.objects.create(
            organisation=org_a, family_name=f"人{n}", family_name_kana="ヒト"
        )
        open_case(other, by=worker_a.user, worker=worker_a.user)
    for _ in range(20):
        create()
    assert len(queue().json()["items"]) == 8  # the new people; person_a was just written to
    assert (_queries(queue), _queries(create)) == small
