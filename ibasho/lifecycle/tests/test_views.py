import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ibasho.accounts.models import ApiToken
from ibasho.audit.models import AuditEntry
from ibasho.lifecycle import breach, retention
from ibasho.lifecycle.models import (
    AffectedPerson,
    Incident,
    LegalHold,
    PersonRequest,
    RetentionSettings,
    ShreddingBatch,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(org_a, closed_long_ago):  # type: ignore[no-untyped-def]
    return retention.prepare_retention_batch(org_a)


@pytest.fixture
def incident(org_a, admin_a):  # type: ignore[no-untyped-def]
    return breach.record_incident(
        org_a, kind="misdelivery", summary="封筒の宛先違い", discovered_by="職員",
        discovered_at=timezone.now() - dt.timedelta(days=1), by=admin_a.user,
    )  # fmt: skip


def test_the_admin_confirms_a_preview_that_names_no_one(client_for, admin_a, person_a, batch):
    client = client_for(admin_a)
    page = client.get(reverse("lifecycle:batch_detail", args=[batch.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 person" in text and "山田" not in text
    response = client.post(
        reverse("lifecycle:batch_detail", args=[batch.code]), {"action": "confirm"}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ShreddingBatch.Status.DONE and batch.confirmed_by == admin_a.user
    person_a.refresh_from_db()
    assert person_a.family_name == ""


def test_the_admin_may_cancel_a_batch(client_for, admin_a, person_a, batch):
    client_for(admin_a).post(
        reverse("lifecycle:batch_detail", args=[batch.code]), {"action": "cancel"}
    )
    batch.refresh_from_db()
    assert batch.status == ShreddingBatch.Status.CANCELLED
    person_a.refresh_from_db()
    assert person_a.family_name == "山田"


@pytest.mark.parametrize("who", ["worker_a", "coordinator_a", "analyst_a", "worker_b"])
def test_everyone_but_the_organisations_admin_gets_404(request, client_for, who, batch, incident):
    client = client_for(request.getfixturevalue(who))
    for url in (
        reverse("lifecycle:index"),
        reverse("lifecycle:settings"),
        reverse("lifecycle:batch_detail", args=[batch.code]),
        reverse("lifecycle:incident_detail", args=[incident.code]),
        reverse("lifecycle:incident_create"),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("lifecycle:batch_detail", args=[batch.code]), {"action": "confirm"}
        ).status_code
        == 404
    )
    batch.refresh_from_db()
    assert batch.status == ShreddingBatch.Status.PREVIEW


def test_another_organisations_admin_gets_404(client_for, org_b, batch, incident):
    from conftest import make_member

    client = client_for(make_member(org_b, "admin_b", "admin"))
    assert client.get(reverse("lifecycle:batch_detail", args=[batch.code])).status_code == 404
    assert client.get(reverse("lifecycle:incident_detail", args=[incident.code])).status_code == 404
    assert (
        client.post(
            reverse("lifecycle:batch_detail", args=[batch.code]), {"action": "confirm"}
        ).status_code
        == 404
    )


def test_settings_page_saves_periods_and_refuses_nonsense(client_for, admin_a, org_a):
    client = client_for(admin_a)
    url = reverse("lifecycle:settings")
    values = {"identity": 5, "contacts": 7, "family": 5, "outcomes": 5, "safety": 5,
              "programmes": 5, "audit_years": 10}  # fmt: skip
    assert client.post(url, values).status_code == 302
    assert RetentionSettings.for_organisation(org_a.pk).years_for("contacts") == 7
    refused = client.post(url, {**values, "audit_years": 3})
    assert refused.status_code == 200 and "at least as long" in refused.content.decode()
    assert RetentionSettings.for_organisation(org_a.pk).audit_years == 10


def test_a_hold_and_a_request_from_the_person_page(client_for, admin_a, person_a, org_a):
    client = client_for(admin_a)
    page = client.get(reverse("people:person_detail", args=[person_a.code]))
    assert reverse("lifecycle:hold_create", args=[person_a.code]) in page.content.decode()
    url = reverse("lifecycle:hold_create", args=[person_a.code])
    assert client.post(url, {"reason": "a\x01b"}).status_code == 200
    assert client.post(url, {"reason": "照会対応"}).status_code == 302
    assert LegalHold.objects.filter(person=person_a, lifted_at__isnull=True).exists()
    url = reverse("lifecycle:request_create", args=[person_a.code])
    future = (org_a.today() + dt.timedelta(days=3)).isoformat()
    assert client.post(url, {"kind": "suspension", "received_on": future}).status_code == 200
    assert not PersonRequest.objects.exists()
    today = org_a.today().isoformat()
    assert client.post(url, {"kind": "suspension", "received_on": today}).status_code == 302
    banner = client.get(reverse("people:person_detail", args=[person_a.code])).content.decode()
    assert 'id="lifecycle-suspended"' in banner


def test_a_worker_sees_the_suspension_banner_without_the_admins_links(
    client_for, admin_a, worker_a, person_a, org_a
):
    retention.record_request(person_a, kind="suspension", received_on=org_a.today(),
                             details="", by=admin_a.user)  # fmt: skip
    page = client_for(worker_a).get(reverse("people:person_detail", args=[person_a.code]))
    text = page.content.decode()
    assert 'id="lifecycle-suspended"' in text and 'id="lifecycle-links"' not in text


def test_recording_an_incident_and_its_scope_from_the_pages(
    client_for, api_client_for, admin_a, worker_a, person_a, org_a
):
    client = client_for(admin_a)
    now = timezone.localtime()
    refused = client.post(reverse("lifecycle:incident_create"), {
        "kind": "token_leak", "summary": "漏えい", "discovered_by": "管理者",
        "discovered_at": (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    assert refused.status_code == 200 and not Incident.objects.exists()
    response = client.post(reverse("lifecycle:incident_create"), {
        "kind": "token_leak", "summary": "漏えい", "discovered_by": "管理者",
        "discovered_at": now.strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    incident = Incident.objects.get()
    assert response.url == reverse("lifecycle:incident_detail", args=[incident.code])
    token, raw = ApiToken.issue(worker_a, "連携")
    api_client = api_client_for(worker_a)
    api_client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    api_client.get(f"/api/v1/people/{person_a.code}")
    scope = client.post(reverse("lifecycle:incident_scope", args=[incident.code]), {
        "token": token.pk,
        "start": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "end": (now + dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    assert scope.status_code == 302
    assert list(AffectedPerson.objects.values_list("person", flat=True)) == [person_a.pk]
    page = client.get(reverse("lifecycle:incident_detail", args=[incident.code]))
    assert "山田" in page.content.decode()
    entry = AuditEntry.objects.filter(action="lifecycle.incident.viewed").latest("at")
    assert entry.count == 1
    today = client.get(reverse("outreach:today")).content.decode()
    assert 'id="lifecycle-today"' in today
    pdf = client.get(reverse("lifecycle:incident_letters", args=[incident.code]))
    assert pdf["Content-Type"] == "application/pdf"


def test_a_token_of_another_organisation_is_not_a_choice(client_for, admin_a, worker_b, incident):
    token, _raw = ApiToken.issue(worker_b)
    now = timezone.localtime()
    response = client_for(admin_a).post(
        reverse("lifecycle:incident_scope", args=[incident.code]),
        {"token": token.pk, "start": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
         "end": now.strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert response.status_code == 400 and not AffectedPerson.objects.exists()


def test_the_overview_in_japanese(client_for, admin_a, batch, incident):
    client = client_for(admin_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
    page = client.get(reverse("lifecycle:index"))
    assert page.status_code == 200
    assert "保存期間" in page.content.decode()


def test_lifting_a_hold_and_a_suspension_from_the_overview(client_for, admin_a, person_a, org_a):
    hold = retention.place_hold(person_a, reason="照会対応", by=admin_a.user)
    request = retention.record_request(person_a, kind="suspension", received_on=org_a.today(),
                                       details="", by=admin_a.user)  # fmt: skip
    client = client_for(admin_a)
    overview = client.get(reverse("lifecycle:index")).content.decode()
    assert "山田" in overview
    lift = reverse("lifecycle:hold_lift", args=[hold.code])
    assert client.post(lift, {"reason": ""}).status_code == 200  # a reason is needed
    assert client.post(lift, {"reason": "終結"}).status_code == 302
    assert client.post(reverse("lifecycle:request_lift", args=[request.code])).status_code == 302
    hold.refresh_from_db()
    request.refresh_from_db()
    assert hold.lifted_at is not None and request.status == PersonRequest.Status.LIFTED
    entry = AuditEntry.objects.get(action="lifecycle.overview.viewed")
    assert entry.count == 1 and entry.person_code is None
