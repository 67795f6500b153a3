import datetime as dt
import random

import pytest

from ibasho.ops.synthetic import people as synthetic
from ibasho.people.models import Case, FamilyMember, Household, Person

TODAY = dt.date(2026, 11, 23)


def signature(organisation):
    return [
        (str(p.code), p.family_name, p.given_name_kana, p.birth_year, p.gender, p.municipality)
        for p in Person.objects.filter(organisation=organisation).order_by("code")
    ]


@pytest.mark.django_db
def test_same_seed_same_caseload(org_a, worker_a):
    synthetic.populate(org_a, random.Random(7), TODAY, people=40, workers=[worker_a.user])
    first = signature(org_a)
    for model in (Case, Person, FamilyMember, Household):
        model.objects.all().delete()
    synthetic.populate(org_a, random.Random(7), TODAY, people=40, workers=[worker_a.user])
    assert signature(org_a) == first
    for model in (Case, Person, FamilyMember, Household):
        model.objects.all().delete()
    synthetic.populate(org_a, random.Random(8), TODAY, people=40, workers=[worker_a.user])
    assert signature(org_a) != first


@pytest.mark.django_db
def test_caseload_looks_like_the_field(org_a, worker_a):
    caseload = synthetic.populate(
        org_a, random.Random(1), TODAY, people=300, workers=[worker_a.user]
    )
    people = list(Person.objects.filter(organisation=org_a))
    ages = [p.age_on(TODAY) for p in people]
    assert len(people) == 300
    assert min(ages) >= 15 and max(ages) <= 64
    assert sum(40 <= a <= 59 for a in ages) / len(ages) > 0.4
    women = sum(p.gender == "female" for p in people) / len(people)
    assert 0.25 < women < 0.5
    assert 0.2 < len(caseload.family_only) / len(people) < 0.4
    parents = FamilyMember.objects.filter(organisation=org_a, relationship__in=["mother", "father"])
    parent_ages = [m.age_on(TODAY) for m in parents]
    assert any(a >= 80 for a in parent_ages) and any(70 <= a < 80 for a in parent_ages)
    assert all(p.sort_key and p.search_text for p in people)
    assert Case.objects.filter(organisation=org_a, status="open").count() == 300
    # Every record belongs to the organisation it was made for.
    assert not Household.objects.exclude(organisation=org_a).exists()
