"""Shared personas: a worker, coordinator, admin and analyst in organisation A, and a worker in
organisation B who must never see A's records."""

from collections.abc import Callable

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from ibasho.accounts.models import ApiToken, Membership, Organisation, Role, User
from ibasho.people.models import FamilyMember, Household, Person
from ibasho.people.services import open_case

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Ids come round again between tests: nothing cached for one test may reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _second_factor_grace(settings):  # type: ignore[no-untyped-def]
    """Admins and coordinators must enrol a second factor after a few sign-ins; tests sign the
    same personas in many times, so the grace period is long here. Tests of the second factor
    shorten it, or enrol the persona (ibasho/accounts/tests/test_sign_in.py)."""
    settings.IBASHO_SECOND_FACTOR_GRACE_LOGINS = 1000


@pytest.fixture(autouse=True)
def _outside_requests_every_organisation():  # type: ignore[no-untyped-def]
    """Fixtures and assertions read and write several organisations' records, as ops code may.
    A request through the test client is still scoped: the middleware (web) or the API's token
    guard opens its own organisation's scope, so an unscoped query in a view still fails."""
    with scopes_disabled():
        yield


def make_member(organisation: Organisation, username: str, role: str) -> Membership:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=username.title()
    )
    return Membership.objects.create(organisation=organisation, user=user, role=role)


@pytest.fixture
def org_a(db) -> Organisation:  # type: ignore[no-untyped-def]
    return Organisation.objects.create(
        name="NPO法人 あおぞら", prefecture="11", municipality="さいたま市"
    )


@pytest.fixture
def org_b(db) -> Organisation:  # type: ignore[no-untyped-def]
    return Organisation.objects.create(
        name="ひきこもり地域支援センター", prefecture="13", kind=Organisation.Kind.REGIONAL_CENTRE
    )


@pytest.fixture
def worker_a(org_a) -> Membership:  # type: ignore[no-untyped-def]
    return make_member(org_a, "worker_a", Role.WORKER)


@pytest.fixture
def coordinator_a(org_a) -> Membership:  # type: ignore[no-untyped-def]
    return make_member(org_a, "coordinator_a", Role.COORDINATOR)


@pytest.fixture
def admin_a(org_a) -> Membership:  # type: ignore[no-untyped-def]
    return make_member(org_a, "admin_a", Role.ADMIN)


@pytest.fixture
def analyst_a(org_a) -> Membership:  # type: ignore[no-untyped-def]
    return make_member(org_a, "analyst_a", Role.ANALYST)


@pytest.fixture
def worker_b(org_b) -> Membership:  # type: ignore[no-untyped-def]
    return make_member(org_b, "worker_b", Role.WORKER)


@pytest.fixture
def client_for() -> Callable[[Membership], Client]:
    def make(membership: Membership) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(membership.user)
        return client

    return make


@pytest.fixture
def api_client_for() -> Callable[[Membership], Client]:
    def make(membership: Membership) -> Client:
        _, raw = ApiToken.issue(membership)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def household_a(org_a) -> Household:  # type: ignore[no-untyped-def]
    household = Household.objects.create(
        organisation=org_a,
        name="山田家",
        name_kana="ヤマダ",
        prefecture="11",
        municipality="川口市",
    )
    FamilyMember.objects.create(
        organisation=org_a,
        household=household,
        name="山田和子",
        name_kana="ヤマダカズコ",
        relationship=FamilyMember.Relationship.MOTHER,
        birth_year=1944,
        income_source=FamilyMember.Income.PENSION,
    )
    FamilyMember.objects.create(
        organisation=org_a,
        household=household,
        name="山田茂",
        name_kana="ヤマダシゲル",
        relationship=FamilyMember.Relationship.FATHER,
        birth_year=1941,
        income_source=FamilyMember.Income.PENSION,
    )
    return household


@pytest.fixture
def person_a(org_a, worker_a, household_a) -> Person:  # type: ignore[no-untyped-def]
    person = Person.objects.create(
        organisation=org_a,
        family_name="山田",
        given_name="太郎",
        family_name_kana="やまだ",
        given_name_kana="たろう",
        preferred_name="たっくん",
        birth_year=1974,
        gender="male",
        prefecture="11",
        municipality="川口市",
        household=household_a,
        things_to_avoid="インターホンは鳴らさない",
        own_words="手紙は読んでいます",
    )
    open_case(person, by=worker_a.user, worker=worker_a.user)
    return person


def round_trips(client, url):  # type: ignore[no-untyped-def]
    """The waits for the database a request makes on PostgreSQL: each statement sent alone,
    and each pipeline of statements asked together (ibasho.lib.prepared.together)."""
    from unittest import mock

    import psycopg
    from django.db import connection

    alone, pipelines = [], []
    opened = psycopg.Connection.pipeline

    def pipeline(self):  # type: ignore[no-untyped-def]
        pipelines.append(self)
        return opened(self)

    def noting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if not connection.connection.pgconn.pipeline_status:
            alone.append(sql)
        return execute(sql, params, many, context)

    with (
        mock.patch.object(psycopg.Connection, "pipeline", pipeline),
        connection.execute_wrapper(noting),
    ):
        assert client.get(url).status_code == 200
    return len(alone) + len(pipelines)
