"""Prepared queries (ibasho.lib.prepared): compiled once, they give what the queryset they were
built from gives for each call's values, and the guard they embed (organisation, role,
restricted records, break-the-glass time) holds for every call, on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from conftest import make_member
from ibasho.accounts.tenancy import organisation_scope
from ibasho.lib.prepared import Prepared, Slot, counted, ride_along, riders_welcome, together
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact
from ibasho.people import restriction
from ibasho.people.models import FamilyMember, GlassBreak, Person
from ibasho.people.services import open_case

ORGANISATION = Slot("organisation", models.IntegerField())
CODE = Slot("code", models.UUIDField())


def people_of(member):  # type: ignore[no-untyped-def]
    return Person.objects.visible_to(member).order_by("pk")


PEOPLE = Prepared(Person, people_of, per_member=True)
NAMES = Prepared(
    Person,
    lambda member: people_of(member).values_list("code", "family_name", "birth_year"),
    per_member=True,
)
BY_CODE = Prepared(
    Person,
    lambda member: (
        Person.objects.visible_to(member)
        .select_related("household")
        .only("code", "family_name", "household__name")
        .filter(code=CODE)[:1]
    ),
    per_member=True,
)
MEMBERS = Prepared(
    FamilyMember,
    lambda: (
        FamilyMember.objects.filter(organisation_id=ORGANISATION)
        .prefetch_related("household")
        .order_by("pk")
    ),
)
CONTACTS_SINCE = Prepared(
    Contact,
    lambda member: counted(
        Contact.objects.visible_to(member).filter(
            occurred_at__gte=Slot("since", models.DateTimeField())
        )
    ),
    per_member=True,
)


@pytest.fixture
def colleague(org_a):  # type: ignore[no-untyped-def]
    """A worker of the same organisation, not assigned to person_a."""
    return make_member(org_a, "colleague", "worker")


def test_the_rows_are_those_of_the_queryset_for_each_calls_values(
    person_a, worker_a, worker_b, org_b
):  # type: ignore[no-untyped-def]
    other = Person.objects.create(organisation=org_b, family_name="佐藤", given_name="花子")
    open_case(other, by=worker_b.user, worker=worker_b.user)
    for member in (worker_a, worker_b):
        with organisation_scope(member.organisation_id):
            expected = list(people_of(member).values_list("code", "family_name", "birth_year"))
            assert NAMES.fetch(membership=member) == expected
            assert [p.pk for p in PEOPLE.fetch(membership=member)] == [
                p.pk for p in people_of(member)
            ]
    # One statement served both organisations: the organisation is bound, not compiled in.
    assert len(NAMES._compiled) == 1
    assert [row[0] for row in NAMES.fetch(membership=worker_b)] == [other.code]


def test_instances_with_related_rows_deferred_fields_and_prefetches(
    person_a, worker_a, org_a, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    with organisation_scope(org_a.pk):
        found = BY_CODE.first(membership=worker_a, code=person_a.code)
        assert found.pk == person_a.pk and found.household.name == "山田家"
        assert found.get_deferred_fields() >= {"given_name", "things_to_avoid"}
        assert found.things_to_avoid == "インターホンは鳴らさない"  # read when asked for
        assert (
            BY_CODE.first(membership=worker_a, code="5e0b6c5e-0000-4000-8000-000000000000") is None
        )
        with django_assert_num_queries(2):  # the members, then their household once
            members = MEMBERS.fetch(organisation=org_a.pk)
            assert [(m.name, m.household.name) for m in members] == [
                ("山田和子", "山田家"),
                ("山田茂", "山田家"),
            ]


def test_each_role_has_its_own_statement_and_the_restriction_holds(
    person_a, worker_a, colleague, coordinator_a, analyst_a
):  # type: ignore[no-untyped-def]
    restriction.restrict(person_a, by=coordinator_a.user, reason="hiding")
    with organisation_scope(person_a.organisation_id):
        assert [p.pk for p in PEOPLE.fetch(membership=worker_a)] == [person_a.pk]  # assigned
        assert PEOPLE.fetch(membership=colleague) == []
        assert [p.pk for p in PEOPLE.fetch(membership=coordinator_a)] == [person_a.pk]
        assert PEOPLE.fetch(membership=analyst_a) == []  # analysts read no personal data
        # Lifted a moment later: the same compiled statement sees it at once.
        restriction.lift(person_a, by=coordinator_a.user)
        assert [p.pk for p in PEOPLE.fetch(membership=colleague)] == [person_a.pk]


def test_a_glass_break_counts_until_it_ends(person_a, colleague, coordinator_a):  # type: ignore[no-untyped-def]
    restriction.restrict(person_a, by=coordinator_a.user, reason="hiding")
    with organisation_scope(person_a.organisation_id):
        assert PEOPLE.fetch(membership=colleague) == []
        restriction.break_glass(
            person_a, by=colleague.user, reason="本人から緊急の電話があったため"
        )
        assert [p.pk for p in PEOPLE.fetch(membership=colleague)] == [person_a.pk]
        GlassBreak.objects.update(until=timezone.now() - dt.timedelta(minutes=1))
        assert PEOPLE.fetch(membership=colleague) == []


def test_counted_and_datetime_slots(person_a, worker_a):  # type: ignore[no-untyped-def]
    with organisation_scope(person_a.organisation_id):
        since = timezone.now() - dt.timedelta(hours=1)
        assert CONTACTS_SINCE.count(membership=worker_a, since=since) == 0
        for _ in range(3):
            outreach.record_contact(
                person_a, by=worker_a.user, channel=Contact.Channel.LETTER,
                outcome=Contact.Outcome.LETTER_LEFT,
            )  # fmt: skip
        assert CONTACTS_SINCE.count(membership=worker_a, since=since) == 3
        assert CONTACTS_SINCE.count(membership=worker_a, since=timezone.now()) == 0


def test_a_missing_value_is_refused(worker_a):  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="organisation"):
        MEMBERS.fetch()


# Distinct codes in name order: Django selects the name too, to order by, and trims it away.
CODES_BY_NAME = Prepared(
    Person,
    lambda member: (
        people_of(member).order_by("family_name").values_list("code", flat=True).distinct()
    ),
    per_member=True,
)
NOBODY = Prepared(Person, lambda: Person.objects.filter(pk__in=[]))  # compiles to no SQL
FAILING = Prepared(
    Person,
    lambda: Person.objects.filter(organisation_id=ORGANISATION).annotate(
        broken=models.Value(1) / Slot("zero", models.IntegerField())
    ),
)


def test_queries_asked_together_give_what_each_gives_alone(
    person_a, worker_a, org_a, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    with organisation_scope(org_a.pk):
        since = timezone.now() - dt.timedelta(days=1)
        alone = [
            NAMES.fetch(membership=worker_a),
            [
                (p.pk, p.household.name)
                for p in BY_CODE.fetch(membership=worker_a, code=person_a.code)
            ],
            [(m.name, m.household.name) for m in MEMBERS.fetch(organisation=org_a.pk)],
            NOBODY.fetch(),
            CONTACTS_SINCE.fetch(membership=worker_a, since=since),
            CODES_BY_NAME.fetch(membership=worker_a),
        ]
        # Six queries and the members' households: each statement still runs once.
        with django_assert_num_queries(6):
            names, by_code, members, nobody, since_rows, codes = together(
                NAMES.later(membership=worker_a),
                BY_CODE.later(membership=worker_a, code=person_a.code),
                MEMBERS.later(organisation=org_a.pk),
                NOBODY.later(),
                CONTACTS_SINCE.later(membership=worker_a, since=since),
                CODES_BY_NAME.later(membership=worker_a),
            )
            members = [(m.name, m.household.name) for m in members]
        by_code = [(p.pk, p.household.name) for p in by_code]
        assert [names, by_code, members, nobody, since_rows, codes] == alone
        assert codes == [person_a.code] and nobody == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no round trips")
def test_on_postgresql_queries_asked_together_are_sent_in_one_pipeline(person_a, worker_a, org_a):  # type: ignore[no-untyped-def]
    from psycopg import pq

    modes = []

    def noting_the_mode(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        modes.append(connection.connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with organisation_scope(org_a.pk), connection.execute_wrapper(noting_the_mode):
        together(NAMES.later(membership=worker_a), MEMBERS.later(organisation=org_a.pk))
        NAMES.fetch(membership=worker_a)
    # Both statements of the pair in the pipeline; the prefetch and the lone query after it.
    assert modes[:2] == [pq.PipelineStatus.ON, pq.PipelineStatus.ON]
    assert set(modes[2:]) == {pq.PipelineStatus.OFF}
    # IBASHO_PG_PIPELINE=0: one after the other, the same rows.
    modes.clear()
    with (
        override_settings(PG_PIPELINE=False),
        organisation_scope(org_a.pk),
        connection.execute_wrapper(noting_the_mode),
    ):
        names, _members = together(
            NAMES.later(membership=worker_a), MEMBERS.later(organisation=org_a.pk)
        )
    assert set(modes) == {pq.PipelineStatus.OFF} and len(modes) >= 2
    assert names == NAMES.fetch(membership=worker_a)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite divides by zero as NULL")
def test_an_error_in_any_query_asked_together_is_raised_and_the_connection_goes_on(
    person_a, worker_a, org_a
):  # type: ignore[no-untyped-def]
    with organisation_scope(org_a.pk):
        with pytest.raises(DatabaseError, match="division by zero"), transaction.atomic():
            together(
                NAMES.later(membership=worker_a),
                FAILING.later(organisation=org_a.pk, zero=0),
            )
        assert together(NAMES.later(membership=worker_a), NOBODY.later())[0] == (
            NAMES.fetch(membership=worker_a)
        )


def test_a_query_asked_early_rides_with_the_first_queries_asked_together(
    person_a, worker_a, org_a, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    since = timezone.now() - dt.timedelta(days=1)
    with organisation_scope(org_a.pk), riders_welcome():
        expected = CONTACTS_SINCE.count(membership=worker_a, since=since)
        rider = ride_along(CONTACTS_SINCE.later(membership=worker_a, since=since))
        on_postgresql = connection.vendor == "postgresql"
        # With the pair on PostgreSQL; read when asked for on SQLite (no round trips to save).
        with django_assert_num_queries(3 if on_postgresql else 2):
            names, _members = together(
                NAMES.later(membership=worker_a),
                BY_CODE.later(membership=worker_a, code=person_a.code),
            )
        with django_assert_num_queries(0 if on_postgresql else 1):
            assert rider.count() == expected
        assert names == NAMES.fetch(membership=worker_a)
        # It rode once: the next queries asked together are only themselves.
        with django_assert_num_queries(2):
            together(
                NAMES.later(membership=worker_a),
                NOBODY.later(),
                BY_CODE.later(membership=worker_a, code=person_a.code),
            )
