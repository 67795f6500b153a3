"""支援会議: who takes part, who sees what was shared (members who acknowledged, and no one
else), the provision records it writes, and the move to ordinary consent."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from ibasho.accounts.models import User
from ibasho.audit.models import AuditEntry
from ibasho.meetings import access, services
from ibasho.meetings.models import MeetingMember, SharedPerson, SupportMeeting
from ibasho.meetings.retention import prune_minutes
from ibasho.notifications.models import Notification
from ibasho.people.models import Consent
from ibasho.provisions.models import ProvisionRecord

from .conftest import seat_of

pytestmark = pytest.mark.django_db


# -- convening ------------------------------------------------------------------------------


def test_a_coordinator_convenes_a_meeting_through_the_form(client_for, coordinator_a, org_b):
    client = client_for(coordinator_a)
    response = client.post(
        "/meetings/new/",
        {"title": "川口市支援会議", "held_on": "2026-12-01", "law": "self_reliance_9"},
    )
    meeting = SupportMeeting.objects.get()
    assert response.url == f"/meetings/{meeting.code}/"
    assert MeetingMember.objects.get().membership == coordinator_a
    assert AuditEntry.objects.filter(action="meetings.meeting.created").exists()
    page = client.get(response.url).content.decode()
    assert "川口市支援会議" in page and "I acknowledge the duty of confidentiality" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"held_on": "1899-12-31"}, "held_on"),
        ({"held_on": "2099-01-01"}, "held_on"),
        ({"title": "会議\x00"}, "title"),
        ({"title": "会" * 101}, "title"),
        ({"law": "whim"}, "law"),
    ],
)
def test_a_meeting_is_refused_through_the_form_and_the_api(
    client_for, api_client_for, coordinator_a, data, field
):
    values = {"title": "支援会議", "held_on": "2026-12-01", "law": "self_reliance_9", **data}
    page = client_for(coordinator_a).post("/meetings/new/", values)
    assert page.status_code == 200 and "Nothing has been saved" in page.content.decode()
    api = api_client_for(coordinator_a).post(
        "/api/v1/meetings", values, content_type="application/json"
    )
    assert api.status_code == 422
    assert field in {p["field"] for p in api.json()["detail"]}
    assert not SupportMeeting.objects.exists()


def test_unknown_fields_and_other_types_are_refused_by_the_api(api_client_for, coordinator_a):
    api = api_client_for(coordinator_a)
    body = {"title": "会議", "held_on": "2026-12-01", "law": "self_reliance_9"}
    for wrong in ({**body, "minutes": "x"}, {**body, "held_on": 20261201},
                  {**body, "organisations": ["not-a-code"]}):  # fmt: skip
        assert (
            api.post("/api/v1/meetings", wrong, content_type="application/json").status_code == 422
        )
    assert not SupportMeeting.objects.exists()


def test_workers_and_analysts_do_not_convene(client_for, api_client_for, worker_a, analyst_a):
    for who in (worker_a, analyst_a):
        assert client_for(who).get("/meetings/new/").status_code == 404
        with pytest.raises(ValidationError):
            services.create_meeting(
                who, title="会議", held_on=dt.date.today(), law="self_reliance_9"
            )
    body = {"title": "会議", "held_on": "2026-12-01", "law": "self_reliance_9"}
    response = api_client_for(worker_a).post(
        "/api/v1/meetings", body, content_type="application/json"
    )
    assert response.status_code == 404


def test_members_come_only_from_the_organisations_taking_part(
    meeting, coordinator_a, worker_c, analyst_a, org_a, org_c
):
    seat = seat_of(coordinator_a, meeting)
    with pytest.raises(ValidationError):
        services.add_member(seat, worker_c)  # C does not take part
    with pytest.raises(ValidationError):
        services.add_member(seat, analyst_a)  # analysts never read people
    with pytest.raises(ValidationError):
        services.add_organisation(seat, org_a)  # the convener takes part already
    services.add_organisation(seat, org_c)
    services.add_member(seat, worker_c)
    with pytest.raises(ValidationError):
        services.add_member(seat, worker_c)  # listed once


def test_a_member_who_is_not_of_the_convener_cannot_manage_the_meeting(meeting, worker_b, org_c):
    seat = seat_of(worker_b, meeting)
    with pytest.raises(ValidationError):
        services.add_organisation(seat, org_c)
    with pytest.raises(ValidationError):
        services.save_minutes(seat, "議事")
    with pytest.raises(ValidationError):
        services.withdraw_meeting(meeting, by=worker_b.user)


def test_members_are_notified_when_added_and_when_something_is_shared(
    shared, worker_a, worker_b, coordinator_a
):
    added = Notification.objects.filter(recipient=worker_b.user, kind="support_meeting")
    assert added.count() == 2  # added, then something shared
    assert Notification.objects.filter(
        recipient=coordinator_a.user, kind="support_meeting"
    ).exists()
    assert "山田" not in " ".join(n.subject for n in added)


# -- who sees what was shared ---------------------------------------------------------------


def test_a_member_sees_nothing_shared_before_acknowledging_and_everything_after(
    shared, worker_b, client_for, api_client_for
):
    client = client_for(worker_b)
    page = client.get(f"/meetings/{shared.meeting.code}/").content.decode()
    assert "山田" not in page and "I acknowledge the duty of confidentiality" in page
    assert client.get(f"/meetings/shared/{shared.code}/").status_code == 302
    api = api_client_for(worker_b)
    assert api.get(f"/api/v1/meetings/{shared.meeting.code}").json()["people"] == []
    assert api.get(f"/api/v1/meetings/shared/{shared.code}").status_code == 404

    client.post(f"/meetings/{shared.meeting.code}/acknowledge/")
    page = client.get(f"/meetings/{shared.meeting.code}/").content.decode()
    assert "山田 太郎" in page
    snapshot = client.get(f"/meetings/shared/{shared.code}/").content.decode()
    assert "手紙は読んでいます" in snapshot and "For this meeting's purpose only" in snapshot
    assert "share-button" not in snapshot  # B cannot share A's person
    shown = api.get(f"/api/v1/meetings/shared/{shared.code}").json()
    assert [g["group"] for g in shown["shared"]] == ["profile", "contacts"]
    # Every view is audited, in B (the reader) and in A (the person's organisation).
    views = AuditEntry.objects.filter(action="meetings.shared.viewed", actor=worker_b.user)
    assert {e.organisation_id for e in views} == {worker_b.organisation_id, shared.organisation_id}
    assert all(e.person_code == shared.person.code for e in views)


def test_only_the_shared_groups_are_shown(shared, worker_b, client_for):
    services.acknowledge(seat_of(worker_b, shared.meeting))
    page = client_for(worker_b).get(f"/meetings/shared/{shared.code}/").content.decode()
    assert 'data-group="profile"' in page and 'data-group="contacts"' in page
    assert 'data-group="family"' not in page and "山田和子" not in page


@pytest.mark.parametrize("who", ["other_worker_a", "analyst_a", "worker_c", "coordinator_b"])
def test_anyone_not_a_member_gets_404_on_every_page_and_endpoint(
    shared, who, request, client_for, api_client_for, person_a
):
    membership = request.getfixturevalue(who)
    client, api = client_for(membership), api_client_for(membership)
    meeting = shared.meeting
    for path in ["", "acknowledge/", "people/", "members/", "organisations/", "minutes/",
                 "withdraw/"]:  # fmt: skip
        assert client.get(f"/meetings/{meeting.code}/{path}").status_code in (404, 405)
        assert client.post(f"/meetings/{meeting.code}/{path}", {}).status_code == 404
    assert client.get(f"/meetings/shared/{shared.code}/").status_code == 404
    assert "川口市支援会議" not in client.get("/meetings/").content.decode()
    assert api.get(f"/api/v1/meetings/{meeting.code}").status_code == 404
    assert api.get(f"/api/v1/meetings/shared/{shared.code}").status_code == 404
    assert api.post(f"/api/v1/meetings/{meeting.code}/acknowledge").status_code == 404
    share = api.post(f"/api/v1/meetings/shared/{shared.code}/share", {"items": ["family"]},
                     content_type="application/json")  # fmt: skip
    assert share.status_code == 404
    assert api.get("/api/v1/meetings").json() in ([], {"detail": "Not found"})
    with pytest.raises(Http404):
        access.meeting_for(membership, meeting.code)
    # Nor do they learn of the meeting from the person page.
    page = client.get(f"/people/{person_a.code}/records/").content.decode()
    assert "川口市支援会議" not in page


def test_the_guard_refuses_a_member_whose_organisation_left_or_who_left(shared, worker_b):
    worker_b.is_active = False
    worker_b.save()
    with pytest.raises(Http404):
        access.meeting_for(worker_b, shared.meeting.code)


# -- what is recorded -----------------------------------------------------------------------


def test_sharing_writes_a_provision_for_each_organisation_and_their_receipts(
    shared, org_a, org_b, worker_a
):
    provided = ProvisionRecord.objects.get(organisation=org_a)
    assert (provided.direction, provided.basis, provided.via) == (
        "provision", "support_meeting", "support_meeting",
    )  # fmt: skip
    assert provided.counterpart_code == org_b.code and provided.items == ["profile", "contacts"]
    assert provided.actor == worker_a.user and provided.person == shared.person
    received = ProvisionRecord.objects.get(organisation=org_b)
    assert received.direction == "receipt" and received.counterpart_code == org_a.code
    assert received.person is None and received.person_name == "山田 太郎"
    assert received.how_obtained


def test_an_organisation_added_later_and_outside_participants_are_recorded_too(
    shared, coordinator_a, worker_a, org_c
):
    seat = seat_of(coordinator_a, shared.meeting)
    services.add_organisation(seat, org_c)
    assert ProvisionRecord.objects.filter(organisation=org_c, direction="receipt").exists()
    services.add_outside_participant(seat, name="佐藤", affiliation="保健所")
    services.share(seat_of(worker_a, shared.meeting), shared, items=["family"])
    assert ProvisionRecord.objects.filter(counterpart_name="保健所 佐藤", items=["family"]).exists()
    # Each organisation got the new group only once more.
    assert ProvisionRecord.objects.filter(organisation=org_c, items=["family"]).count() == 1


def test_sharing_refusals(shared, worker_a, worker_b, person_a, api_client_for):
    seat = seat_of(worker_a, shared.meeting)
    with pytest.raises(ValidationError):
        services.share(seat, shared, items=["profile"])  # nothing new
    with pytest.raises(ValidationError):
        services.share(seat, shared, items=["diary"])
    with pytest.raises(ValidationError):
        services.share(seat, shared, items=["family"], basis="consent")  # no consent on record
    with pytest.raises(ValidationError):
        services.bring_person(seat, person_a)  # already discussed
    services.acknowledge(seat_of(worker_b, shared.meeting))
    with pytest.raises(ValidationError):  # only the person's own organisation shares
        services.share(seat_of(worker_b, shared.meeting), shared, items=["family"])
    api = api_client_for(worker_a)
    url = f"/api/v1/meetings/shared/{shared.code}/share"
    for body in ({"items": ["diary"]}, {"items": "family"}, {"items": ["family"], "x": 1}):
        assert api.post(url, body, content_type="application/json").status_code == 422
    b_person = api_client_for(worker_b).post(
        f"/api/v1/meetings/{shared.meeting.code}/people", {"person": str(person_a.code)},
        content_type="application/json",
    )  # fmt: skip
    assert b_person.status_code == 422  # A's person is not B's to bring
    assert ProvisionRecord.objects.count() == 2


def test_a_withdrawn_meeting_shares_nothing_more_and_is_no_basis(
    shared, coordinator_a, worker_a, org_b, org_c
):
    person = shared.person
    assert services.meeting_allows_sharing(
        shared.meeting, person=person, recipient_organisation=org_b
    )
    assert not services.meeting_allows_sharing(
        shared.meeting, person=person, recipient_organisation=org_c
    )
    services.withdraw_meeting(shared.meeting, by=coordinator_a.user)
    meeting = SupportMeeting.objects.get()
    assert not services.meeting_allows_sharing(meeting, person=person, recipient_organisation=org_b)
    with pytest.raises(ValidationError):
        services.share(seat_of(worker_a, meeting), SharedPerson.objects.get(), items=["family"])


def test_a_person_not_discussed_is_no_basis(meeting, org_b, household_a, org_a):
    from ibasho.people.models import Person

    other = Person.objects.create(organisation=org_a, family_name="他", family_name_kana="ほか")
    assert not services.meeting_allows_sharing(meeting, person=other, recipient_organisation=org_b)


# -- the move to ordinary consent --------------------------------------------------------------


def test_once_the_person_consents_sharing_rests_on_the_consent(
    shared, worker_a, person_a, client_for, org_a
):
    Consent.objects.create(organisation=org_a, person=person_a, purpose=Consent.Purpose.SHARING)
    page = client_for(worker_a).get(f"/people/{person_a.code}/records/").content.decode()
    assert "the case moves to ordinary consent" in page
    seat = seat_of(worker_a, shared.meeting)
    services.share(seat, shared, items=["family"])
    assert ProvisionRecord.objects.filter(items=["family"], direction="provision").get().basis == (
        "consent"
    )
    services.share(seat, SharedPerson.objects.get(), items=["safety"], basis="support_meeting")
    assert ProvisionRecord.objects.filter(items=["safety"], direction="provision").get().basis == (
        "support_meeting"
    )


def test_sharing_through_the_form_and_the_api(shared, worker_a, client_for, api_client_for):
    client = client_for(worker_a)
    response = client.post(f"/meetings/shared/{shared.code}/", {"items": ["family"]})
    assert response.status_code == 302
    assert SharedPerson.objects.get().items == ["profile", "contacts", "family"]
    bad = client.post(f"/meetings/shared/{shared.code}/", {"items": ["family"]})
    assert "Choose an item group not shared yet." in bad.content.decode()
    api = api_client_for(worker_a)
    done = api.post(f"/api/v1/meetings/shared/{shared.code}/share", {"items": ["safety"]},
                    content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["items"][-1] == "safety"


def test_the_api_convenes_adds_and_acknowledges(
    api_client_for, coordinator_a, worker_a, org_b, worker_b, person_a
):
    api = api_client_for(coordinator_a)
    made = api.post(
        "/api/v1/meetings", {"title": "会議", "held_on": "2026-12-01", "law": "self_reliance_9",
                             "organisations": [str(org_b.code)]},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    code = made.json()["code"]
    for membership in (worker_a, worker_b):
        added = api.post(f"/api/v1/meetings/{code}/members", {"membership": str(membership.code)},
                         content_type="application/json")  # fmt: skip
        assert added.status_code == 200
    unknown = api.post(f"/api/v1/meetings/{code}/members", {"membership": str(person_a.code)},
                       content_type="application/json")  # fmt: skip
    assert unknown.status_code == 422
    worker = api_client_for(worker_a)
    assert worker.post(f"/api/v1/meetings/{code}/acknowledge").json()["acknowledged"] is True
    brought = worker.post(f"/api/v1/meetings/{code}/people", {"person": str(person_a.code)},
                          content_type="application/json")  # fmt: skip
    assert brought.status_code == 201
    listed = api_client_for(worker_b).get("/api/v1/meetings").json()
    assert [m["code"] for m in listed] == [code]
    schema = api.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/meetings", "/api/v1/meetings/{code}/members",
            "/api/v1/meetings/shared/{code}/share"} <= set(schema)  # fmt: skip


def test_minutes_are_encrypted_for_members_and_go_after_their_years(
    shared, coordinator_a, worker_b, client_for, settings
):
    from django.db import connection

    seat = seat_of(coordinator_a, shared.meeting)
    services.save_minutes(seat, "本人は外出が増えた")
    with connection.cursor() as cursor:
        cursor.execute("SELECT minutes FROM meetings_supportmeeting")
        assert "外出" not in cursor.fetchone()[0]
    page = client_for(worker_b).get(f"/meetings/{shared.meeting.code}/").content.decode()
    assert "本人は外出が増えた" not in page  # not acknowledged yet
    settings.IBASHO_MEETING_MINUTES_YEARS = 1
    assert prune_minutes(shared.meeting.organisation, dt.date.today() + dt.timedelta(days=800)) == 1
    assert SupportMeeting.objects.get().minutes == ""


def test_the_admin_site_withdraws_through_the_service(shared, client_for, admin_a):
    operator = User.objects.create_superuser("operator", "op@example.jp", "x")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    assert client.get("/admin/meetings/supportmeeting/").status_code == 200
    client.post(
        "/admin/meetings/supportmeeting/",
        {"action": "withdraw", "_selected_action": [shared.meeting.pk]},
    )
    assert SupportMeeting.objects.get().is_withdrawn
    assert AuditEntry.objects.filter(action="meetings.meeting.withdrawn", actor=operator).exists()
    assert client.get("/admin/meetings/supportmeeting/add/").status_code == 403
    assert client_for(admin_a).get("/admin/meetings/supportmeeting/").status_code in (403, 404)
