"""API tokens: expiry, revocation, scopes, the page where owners and admins manage them, the
command, and the page-size cap."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ibasho.accounts.models import ApiToken
from ibasho.audit.models import AuditEntry
from ibasho.lib.schemas import MAX_PAGE
from ibasho.people.models import Person


def bearer(raw: str, **extra: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


class TestTokenLife:
    def test_a_fresh_token_reads(self, worker_a, person_a):
        _, raw = ApiToken.issue(worker_a)
        assert bearer(raw).get("/api/v1/people").status_code == 200

    def test_an_expired_token_gets_401(self, worker_a, person_a):
        token, raw = ApiToken.issue(worker_a)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
        response = bearer(raw).get("/api/v1/people")
        assert response.status_code == 401
        assert "山田" not in response.content.decode()

    def test_a_revoked_token_gets_401(self, worker_a, person_a, client_for):
        token, raw = ApiToken.issue(worker_a)
        client = client_for(worker_a)
        client.post(reverse("token_revoke", args=[token.code]))
        assert bearer(raw).get("/api/v1/people").status_code == 401
        assert bearer(raw).get(f"/api/v1/people/{person_a.code}").status_code == 401

    def test_a_new_token_lives_ninety_days_by_default(self, worker_a):
        token, _ = ApiToken.issue(worker_a)
        assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)


class TestScopes:
    body = {"family_name": "新規", "family_name_kana": "しんき"}

    def test_a_read_token_may_not_write(self, worker_a):
        _, raw = ApiToken.issue(worker_a, scope=ApiToken.Scope.READ)
        response = bearer(raw).post("/api/v1/people", self.body, content_type="application/json")
        assert response.status_code == 403
        assert not Person.objects.filter(family_name="新規").exists()

    def test_a_read_token_reads(self, worker_a, person_a):
        _, raw = ApiToken.issue(worker_a, scope=ApiToken.Scope.READ)
        assert bearer(raw).get("/api/v1/people").json()["count"] == 1

    def test_a_write_token_writes(self, worker_a):
        _, raw = ApiToken.issue(worker_a, scope=ApiToken.Scope.WRITE)
        response = bearer(raw).post("/api/v1/people", self.body, content_type="application/json")
        assert response.status_code == 201


class TestPageCap:
    def test_a_page_larger_than_the_cap_is_refused_in_the_one_shape(self, worker_a, person_a):
        _, raw = ApiToken.issue(worker_a)
        response = bearer(raw).get("/api/v1/people?limit=1000")
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "limit"

    def test_the_cap_itself_is_served_and_never_more(self, worker_a, org_a):
        Person.objects.bulk_create(
            Person(organisation=org_a, family_name=f"人{i}", family_name_kana="ひと")
            for i in range(MAX_PAGE + 5)
        )
        _, raw = ApiToken.issue(worker_a)
        found = bearer(raw).get(f"/api/v1/people?limit={MAX_PAGE}").json()
        assert found["count"] == MAX_PAGE + 5
        assert len(found["items"]) == MAX_PAGE


class TestTokensPage:
    def test_an_owner_creates_sees_once_and_revokes_with_an_audit(self, client_for, worker_a):
        client = client_for(worker_a)
        data = {"name": "集計", "scope": "read", "days": 30}
        page = client.post(reverse("token_list"), data)
        raw = page.context["raw"]
        assert raw in page.content.decode() and "no-store" in page["Cache-Control"]
        token = ApiToken.objects.get(name="集計")
        assert token.scope == "read" and token.key_hash != raw
        assert (token.expires_at - timezone.now()).days in (29, 30)
        listing = client.get(reverse("token_list")).content.decode()
        assert "集計" in listing and raw not in listing
        client.post(reverse("token_revoke", args=[token.code]))
        token.refresh_from_db()
        assert token.revoked_at is not None
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"accounts.token.issued", "accounts.token.revoked"} <= actions

    def test_refusals_change_nothing(self, client_for, worker_a):
        client = client_for(worker_a)
        for data in (
            {"name": "x", "scope": "admin", "days": 30},
            {"name": "x", "scope": "read", "days": 0},
            {"name": "x", "scope": "read", "days": 100000},
            {"name": "a\x00b", "scope": "read", "days": 30},
        ):
            assert client.post(reverse("token_list"), data).status_code == 200
        assert not ApiToken.objects.exists()

    def test_last_use_and_address_come_from_the_request(self, client_for, worker_a, person_a):
        _, raw = ApiToken.issue(worker_a, name="連携")
        bearer(raw, REMOTE_ADDR="192.0.2.7").get("/api/v1/people")
        html = client_for(worker_a).get(reverse("token_list")).content.decode()
        assert "192.0.2.7" in html
        entry = AuditEntry.objects.filter(channel="api").latest("id")
        assert entry.ip == "192.0.2.7" and entry.token_id is not None

    def test_an_admin_sees_and_revokes_a_members_token(self, client_for, admin_a, worker_a):
        token, _ = ApiToken.issue(worker_a, name="職員の")
        client = client_for(admin_a)
        assert "職員の" in client.get(reverse("token_list")).content.decode()
        client.post(reverse("token_revoke", args=[token.code]))
        token.refresh_from_db()
        assert token.revoked_at is not None

    def test_a_colleague_cannot_see_or_revoke_it(self, client_for, coordinator_a, worker_a):
        token, _ = ApiToken.issue(worker_a, name="職員の")
        client = client_for(coordinator_a)
        assert "職員の" not in client.get(reverse("token_list")).content.decode()
        assert client.post(reverse("token_revoke", args=[token.code])).status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_another_organisation_gets_404(self, client_for, worker_a, worker_b):
        token, _ = ApiToken.issue(worker_a)
        response = client_for(worker_b).post(reverse("token_revoke", args=[token.code]))
        assert response.status_code == 404


class TestCommand:
    def test_scope_and_expiry(self, worker_a):
        out = io.StringIO()
        call_command("token", "worker_a", scope="write", expires=7, stdout=out)
        token = ApiToken.objects.get()
        assert token.scope == "write" and (token.expires_at - timezone.now()).days in (6, 7)
        assert bearer(out.getvalue().strip()).get("/api/v1/people").status_code == 200

    def test_read_is_the_default(self, worker_a):
        call_command("token", "worker_a", stdout=io.StringIO())
        assert ApiToken.objects.get().scope == "read"

    @pytest.mark.parametrize("days", [0, -1, 100000])
    def test_impossible_lifetimes_are_refused(self, worker_a, days):
        with pytest.raises(CommandError):
            call_command("token", "worker_a", expires=days, stdout=io.StringIO())
        assert not ApiToken.objects.exists()
