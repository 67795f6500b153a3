"""The admin site is for operators: it offers organisation admins only their audit trail and
holds no personal data for anyone; memberships change only through the audited services."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from conftest import make_member
from ibasho.accounts.models import Membership, Organisation, Role, User
from ibasho.audit.models import AuditEntry
from ibasho.audit.services import record_audit

# Apps whose records are personal data, except the definitions that hold none.
PERSONAL_APPS = ["people", "outreach", "programmes", "families", "outcomes"]
NOT_PERSONAL = {"outcomes.instrumentdefinition"}


@pytest.fixture
def operator(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_superuser("operator", "op@example.jp", "x")


def admin_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_no_personal_data_model_is_registered_for_anyone():
    registered = {model._meta.label_lower for model in admin.site._registry}
    for label in PERSONAL_APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.label_lower
            assert name in NOT_PERSONAL or name not in registered, name
    assert "accounts.membership" not in registered
    assert "accounts.invitation" not in registered


@pytest.mark.django_db
class TestOrganisationAdmin:
    def test_the_index_offers_only_the_audit_trail(self, client_for, admin_a):
        response = client_for(admin_a).get(reverse("admin:index"))
        assert response.status_code == 200
        offered = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
        assert offered == {"AuditEntry"}

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/people/person/",
            "/admin/people/case/",
            "/admin/people/household/",
            "/admin/people/familymember/",
            "/admin/people/consent/",
            "/admin/outreach/contact/",
            "/admin/outreach/outreachsettings/",
            "/admin/families/risksettings/",
            "/admin/families/crisiscontact/",
            "/admin/programmes/programme/",
            "/admin/programmes/session/",
            "/admin/accounts/membership/",
            "/admin/accounts/membership/add/",
        ],
    )
    def test_personal_data_and_memberships_are_not_there(self, client_for, admin_a, path):
        assert client_for(admin_a).get(path).status_code == 404

    @pytest.mark.parametrize(
        "name",
        ["accounts_user_changelist", "accounts_user_add", "accounts_organisation_changelist"],
    )
    def test_accounts_are_for_operators(self, client_for, admin_a, name):
        assert client_for(admin_a).get(reverse(f"admin:{name}")).status_code == 403

    def test_no_other_organisations_staff_anywhere(self, client_for, admin_a, worker_b, org_b):
        record_audit("people.person.viewed", by=worker_b.user, organisation=org_b)
        record_audit("people.person.viewed", by=admin_a.user, organisation=admin_a.organisation)
        client = client_for(admin_a)
        for url in (reverse("admin:index"), reverse("admin:audit_auditentry_changelist")):
            html = client.get(url).content.decode()
            assert "Worker_B" not in html and "worker_b" not in html
        assert (
            "Admin_A" in client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
        )

    def test_the_audit_trail_is_read_only(self, client_for, admin_a):
        entry = record_audit("x.y.z", by=admin_a.user, organisation=admin_a.organisation)
        client = client_for(admin_a)
        url = reverse("admin:audit_auditentry_change", args=[entry.pk])
        client.post(url, {"action": "changed"})
        assert AuditEntry.objects.get(pk=entry.pk).action == "x.y.z"
        delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_workers_have_no_admin(self, client_for, worker_a, analyst_a):
        for member in (worker_a, analyst_a):
            assert client_for(member).get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
class TestOperator:
    def test_seating_an_account_goes_through_the_audited_service(self, operator, worker_a):
        organisation = Organisation.objects.create(name="新しい団体", prefecture="13")
        data = {
            "name": organisation.name,
            "name_kana": "",
            "kind": organisation.kind,
            "prefecture": organisation.prefecture,
            "municipality": "",
            "fiscal_year_start_month": 4,
            "time_zone": "Asia/Tokyo",
            "idle_timeout_minutes": 30,
            "memberships-TOTAL_FORMS": 1,
            "memberships-INITIAL_FORMS": 0,
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
            "memberships-0-user": worker_a.user.pk,
            "memberships-0-role": Role.ADMIN,
        }
        url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
        response = admin_client(operator).post(url, data)
        assert response.status_code == 302, response.context and response.context["errors"]
        membership = Membership.objects.get(organisation=organisation)
        assert membership.user == worker_a.user and membership.role == Role.ADMIN
        entry = AuditEntry.objects.get(organisation=organisation)
        assert entry.action == "accounts.membership.created" and entry.actor == operator
        assert entry.target_code == str(membership.code)

    def test_existing_memberships_are_shown_but_not_changed(self, operator, org_a, worker_a):
        make_member(org_a, "admin_a", Role.ADMIN)
        client = admin_client(operator)
        url = reverse("admin:accounts_user_change", args=[worker_a.user.pk])
        page = client.get(url)
        assert page.status_code == 200
        formset = page.context["inline_admin_formsets"][0]
        assert not formset.has_change_permission and not formset.has_delete_permission

    def test_operators_see_no_personal_data_either(self, operator):
        client = admin_client(operator)
        assert client.get("/admin/people/person/").status_code == 404
        assert client.get(reverse("admin:index")).status_code == 200
