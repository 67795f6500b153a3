"""Tenancy is a guard: a query on a personal-data model answers only inside one organisation's
scope, which the web opens from the signed-in membership and the API from the token."""

import json

import pytest
from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import ScopeError

from ibasho.accounts.api_auth import in_token_scope
from ibasho.accounts.middleware import ActiveMembershipMiddleware
from ibasho.accounts.models import ApiToken, User
from ibasho.accounts.tenancy import TenantManager, organisation_scope
from ibasho.ops import bulk
from ibasho.outcomes import scoring
from ibasho.outcomes.models import InstrumentDefinition
from ibasho.people.models import Person

# Organisation-keyed tables that are not personal data, or that must be read to find the scope.
NOT_SCOPED = {
    "accounts.Membership": "read to find the membership, and so the scope, of a request",
    "accounts.ApiToken": "read to find the membership of an API request",
    "accounts.Invitation": "addressed to an account across organisations, read before joining",
    "audit.AuditEntry": "written by every service; read by admins through its own guard",
    "outreach.OutreachSettings": "the organisation's settings; no one's personal data",
    "reports.ReportSettings": "the organisation's suppression threshold; no personal data",
    "reports.PopulationFigure": "published population statistics; no personal data",
    "reports.ReportJob": "aggregate figures only, read through its own organisation filter",
    "lifecycle.RetentionSettings": "the organisation's retention periods; no personal data",
    "notifications.EmailPreference": "a member of staff's e-mail choices; no personal data",
    "exchange.OrganisationExport": "an export job (status, file name), read by admins through "
    "its own organisation filter; the archive itself is a file",
}


@pytest.fixture
def person_b(org_b) -> Person:
    return Person.objects.create(organisation=org_b, family_name="外部", family_name_kana="がいぶ")


def test_every_organisation_keyed_model_is_scoped_unless_said_why_not():
    unscoped = []
    for model in apps.get_models():
        if "organisation" not in {f.name for f in model._meta.fields}:
            continue
        if model._meta.label in NOT_SCOPED:
            continue
        if not isinstance(model._default_manager, TenantManager):
            unscoped.append(model._meta.label)
        assert not isinstance(model._base_manager, TenantManager)  # saves, deletes, FK access
        assert not isinstance(model.unscoped, TenantManager)  # type: ignore[attr-defined]
    assert unscoped == []


@pytest.mark.parametrize(
    "query",
    [
        lambda m: list(Person.objects.all()),
        lambda m: Person.objects.count(),
        lambda m: Person.objects.exists(),
        lambda m: Person.objects.get(family_name="山田"),
        lambda m: Person.objects.exclude(family_name="").exists(),
        lambda m: Person.objects.visible_to(m),
        lambda m: Person.objects.search("やまだ"),
        lambda m: Person.objects.select_related("household").exists(),
        lambda m: Person.objects.values_list("code", flat=True)[:1],
        lambda m: list(Person.objects.get_queryset()),
    ],
)
def test_a_query_outside_a_scope_is_refused(query, worker_a, person_a):
    with organisation_scope(None), pytest.raises(ScopeError):
        query(worker_a)


def test_related_records_are_refused_outside_a_scope_too(person_a):
    with organisation_scope(None), pytest.raises(ScopeError):
        list(person_a.cases.all())


def test_an_empty_queryset_and_a_new_record_need_no_scope(org_a):
    with organisation_scope(None):
        assert list(Person.objects.none()) == []
        created = Person.objects.create(
            organisation=org_a, family_name="新", family_name_kana="しん"
        )
        created.family_name = "新規"
        created.save()  # saving, like following a foreign key, uses the unscoped base manager
    assert Person.unscoped.get(pk=created.pk).family_name == "新規"


def test_a_scope_shows_its_organisation_only(org_a, person_a, person_b):
    with organisation_scope(org_a.pk):
        assert list(Person.objects.all()) == [person_a]
        assert not Person.objects.filter(code=person_b.code).exists()
        assert Person.unscoped.count() == 2  # ops code that says so sees every organisation


def test_a_web_request_is_scoped_to_its_membership(worker_a, person_a, person_b):
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(",".join(str(c) for c in Person.objects.values_list("code", flat=True)))

    request = RequestFactory().get("/")
    request.user, request.session = worker_a.user, {}  # type: ignore[assignment]
    response = ActiveMembershipMiddleware(view)(request)
    assert response.content.decode() == str(person_a.code)


def test_a_web_request_without_a_membership_reads_no_personal_data(db, person_a):
    request = RequestFactory().get("/")
    request.user = User.objects.create_user(username="nobody")
    request.session = {}  # type: ignore[assignment]
    middleware = ActiveMembershipMiddleware(lambda r: HttpResponse(Person.objects.count()))
    with pytest.raises(ScopeError):
        middleware(request)


def test_an_api_request_is_scoped_to_its_token_not_to_the_session(
    worker_a, worker_b, person_a, person_b
):
    """The token's organisation (B) wins over the session's (A)."""
    _, raw = ApiToken.issue(worker_b)
    operation = in_token_scope(lambda r: list(Person.objects.values_list("code", flat=True)))
    request = RequestFactory().get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {raw}")
    request.user, request.membership = worker_a.user, worker_a  # type: ignore[attr-defined]
    assert operation(request) == [person_b.code]
    assert request.user == worker_b.user


def test_an_api_request_without_a_valid_token_reads_no_personal_data(worker_a, person_a):
    operation = in_token_scope(lambda r: Person.objects.count())
    request = RequestFactory().get("/api/v1/people", HTTP_AUTHORIZATION="Bearer nonsense")
    request.user, request.membership = worker_a.user, worker_a  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        operation(request)


def test_every_page_and_endpoint_runs_in_its_scope(client_for, api_client_for, worker_a, person_a):
    """(Every route is walked in tests/test_every_route.py; this is the short version.)"""
    assert client_for(worker_a).get(reverse("people:person_list")).status_code == 200
    assert api_client_for(worker_a).get("/api/v1/people").status_code == 200


def test_bulk_loading_counts_ids_across_organisations(org_a, person_a, person_b):
    with organisation_scope(org_a.pk):
        assert bulk.next_id(Person) == max(person_a.pk, person_b.pk) + 1


def test_a_platform_superuser_manages_every_organisation_in_the_admin(client, org_a, org_b):
    definition = json.loads((scoring.BUILTIN_DIR / "k6.json").read_text(encoding="utf-8"))
    for organisation in (org_a, org_b):
        InstrumentDefinition.objects.create(
            organisation=organisation,
            instrument_code=f"own-{organisation.pk}",
            version="1",
            definition=definition,
        )
    superuser = User.objects.create_superuser(username="platform", password="x" * 12)
    client.force_login(superuser)
    response = client.get(reverse("admin:outcomes_instrumentdefinition_changelist"))
    assert response.status_code == 200
    assert f"own-{org_a.pk}" in response.content.decode()
    assert f"own-{org_b.pk}" in response.content.decode()
