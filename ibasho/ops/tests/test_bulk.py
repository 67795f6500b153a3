import pytest
from django.db import connection

from ibasho.ops import bulk
from ibasho.outreach.models import Contact
from ibasho.people.models import Person


def index_names(table):
    with connection.cursor() as cursor:
        return {
            name
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"] and not info["primary_key"] and not info["unique"]
        }


@pytest.mark.django_db
def test_secondary_indexes_come_back_after_a_load():
    before = index_names(Contact._meta.db_table)
    assert before
    with bulk.indexes_dropped(Contact):
        inside = index_names(Contact._meta.db_table)
    assert index_names(Contact._meta.db_table) == before
    if connection.vendor == "postgresql":
        assert inside == set()
    else:
        assert inside == before


@pytest.mark.django_db
def test_insert_dicts_fills_defaults_and_encrypts(org_a):
    ids = bulk.allocate({Person: 3})[Person]
    rows = [
        {
            "id": next(ids),
            "organisation_id": org_a.pk,
            "code": f"{n:032x}",
            "family_name": "森",
            "family_name_kana": "モリ",
            "own_words": "秘密",
            "created_at": org_a.created_at,
            "updated_at": org_a.created_at,
        }
        for n in range(3)
    ]
    assert bulk.insert_dicts(Person, rows) == 3
    people = list(Person.objects.filter(organisation=org_a))
    assert [p.own_words for p in people] == ["秘密"] * 3
    assert {p.gender for p in people} == {"not_stated"}
    Person.objects.create(organisation=org_a, family_name="林", family_name_kana="ハヤシ")
