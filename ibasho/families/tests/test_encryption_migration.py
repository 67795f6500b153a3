"""The migrations that encrypt special-care data: rows stored in clear before them are encrypted
(and the derived board columns filled); migrating back gives the clear values again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ibasho.families.models import HouseholdCircumstances, SafetyEvent
from ibasho.people.models import FamilyMember, Person

BEFORE = [("people", "0005_glassbreak_restriction"), ("families", "0003_input_limits")]


def raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608
        return [str(value) for (value,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_stored_rows_are_encrypted_and_back_again():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # Apps the migration does not touch (accounts) stay at their newest state in the database.
    accounts = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "accounts"]
    old = executor.loader.project_state(BEFORE + accounts).apps
    org = old.get_model("accounts", "Organisation").objects.create(name="旧", prefecture="13")
    household = old.get_model("people", "Household").objects.create(organisation=org, name="旧家")
    old.get_model("people", "FamilyMember").objects.create(
        organisation=org, household=household, name="母", relationship="mother",
        health="hospitalised", income_source="pension", phone="0901112222",
    )  # fmt: skip
    person = old.get_model("people", "Person").objects.create(
        organisation=org, family_name="旧", family_name_kana="キュウ",
        preferred_name="きゅうちゃん", search_text="旧 きゅう きゅうちゃん", household=household,
    )  # fmt: skip
    old.get_model("families", "SafetyEvent").objects.create(
        organisation=org, person=person, kind="violence", severity=2, source="manual"
    )
    old.get_model("families", "HouseholdCircumstances").objects.create(
        organisation=org, household=household, violence=True
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    member = FamilyMember.unscoped.get()
    assert (member.health, member.income_source, member.phone) == (
        "hospitalised", "pension", "0901112222",
    )  # fmt: skip
    assert member.board_signal is True
    assert raw("people_familymember", "health")[0].startswith("gAAAAA")
    saved = Person.unscoped.get()
    assert saved.preferred_name == "きゅうちゃん" and "きゅうちゃん" not in saved.search_text
    event = SafetyEvent.unscoped.get()
    assert event.kind == "violence" and event.board_signal is True
    assert raw("families_safetyevent", "kind")[0].startswith("gAAAAA")
    assert HouseholdCircumstances.unscoped.get().violence is True

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    assert raw("people_familymember", "health") == ["hospitalised"]
    assert raw("families_safetyevent", "kind") == ["violence"]
    assert raw("families_householdcircumstances", "violence")[0] in ("1", "True", "true")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
