import pytest
from django.db import connection

from ibasho.lib.dbstats import refresh_planner_statistics
from ibasho.people.models import Person


def analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchall():
                return set()
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            cursor.execute("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_planner_gets_statistics_for_tables_with_rows(org_a):
    for n in range(5):
        Person.objects.create(
            organisation=org_a, family_name=f"統計{n}", family_name_kana="とうけい"
        )
    refresh_planner_statistics()
    assert "people_person" in analysed_tables()


@pytest.mark.django_db(transaction=True)
def test_after_a_load_postgresql_knows_the_new_rows_are_visible_to_all(org_a):
    if connection.vendor != "postgresql":
        pytest.skip("the visibility map is PostgreSQL's")
    for n in range(5):
        Person.objects.create(organisation=org_a, family_name=f"可視{n}", family_name_kana="かし")
    refresh_planner_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = 'people_person'")
        assert cursor.fetchone()[0] > 0
