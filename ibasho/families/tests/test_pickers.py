"""Pickers that cannot pick wrong: family members from the chosen person's household only, by
relation, the dead and departed greyed and refused by the services; households and people of
the same name told apart."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ibasho.families import services
from ibasho.outreach.models import Contact
from ibasho.people import choices
from ibasho.people.models import FamilyMember, Household, Person
from ibasho.programmes import services as programmes
from ibasho.programmes.models import Enrolment
from ibasho.programmes.tests.factories import make_programme


@pytest.fixture
def father(person_a):
    found = person_a.household.members.get(relationship="father")
    found.health, found.health_changed_on = "died", dt.date(2026, 9, 10)
    found.save()
    return found


@pytest.fixture
def mother(person_a):
    return person_a.household.members.get(relationship="mother")


@pytest.fixture
def other_household(org_a):
    household = Household.objects.create(organisation=org_a, name="青木家", name_kana="アオキ")
    FamilyMember.objects.create(
        organisation=org_a, household=household, name="青木花子", relationship="sibling"
    )
    return household


def _consult(person, member, when):
    return services.record_family_consultation(
        person, family_member=member, by=None, occurred_at=when, duration_minutes=30
    )


class TestConsultation:
    def test_the_form_offers_the_household_by_relation_with_the_dead_greyed(
        self, client_for, worker_a, person_a, father, mother, other_household
    ):
        page = client_for(worker_a).get(
            reverse("people:household_detail", args=[person_a.household.code])
        )
        form = next(
            p["context"]["consultation_form"]
            for p in page.context["panels"]
            if "consultation_form" in p.get("context", {})
        )
        field = form.fields["family_member"]
        assert [m.name for m in field.queryset] == ["山田和子", "山田茂"]  # mother, then father
        html = str(form["family_member"])
        assert "青木花子" not in html
        assert f'value="{father.pk}" disabled' in html
        assert "Died on 2026-09-10" in html

    def test_a_dead_member_is_refused_by_the_form(self, client_for, worker_a, person_a, father):
        url = reverse("families:consultation_create", args=[person_a.household.code])
        data = {
            "family_member": father.pk, "person": person_a.pk, "duration_minutes": 30,
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "direction": "incoming",
        }  # fmt: skip
        assert client_for(worker_a).post(url, data).status_code == 422
        assert not Contact.objects.exists()

    def test_the_service_refuses_after_the_death_and_accepts_history_before_it(
        self, person_a, father
    ):
        with pytest.raises(ValidationError) as caught:
            _consult(person_a, father, timezone.now())
        assert "Died on 2026-09-10" in str(caught.value)
        before = timezone.make_aware(dt.datetime(2026, 8, 1, 10, 0))
        assert _consult(person_a, father, before).family_member == father

    def test_a_member_who_moved_out_is_refused_too(self, person_a, mother, worker_a):
        services.update_health(
            mother, health="moved_out", since=timezone.localdate(), by=worker_a.user
        )
        with pytest.raises(ValidationError, match="Moved out"):
            _consult(person_a, mother, timezone.now())


class TestEnrolment:
    @pytest.fixture
    def course(self, org_a):
        return make_programme(org_a, capacity=10, schedule="毎週水曜")

    def test_the_service_refuses_a_dead_member(self, course, person_a, father, worker_a):
        with pytest.raises(ValidationError) as caught:
            programmes.enrol(course, person=person_a, family_member=father, by=worker_a.user)
        assert "family_member" in caught.value.error_dict
        assert not Enrolment.objects.exists()

    def test_the_person_first_then_their_household(
        self, client_for, worker_a, course, person_a, father, mother, other_household
    ):
        url = reverse("programmes:enrol", args=[course.code])
        client = client_for(worker_a)
        first = client.get(url)
        assert 'method="get"' in first.content.decode()
        assert list(first.context["form"].fields["family_member"].queryset) == []
        second = client.get(url, {"person": person_a.code})
        field = second.context["form"].fields["family_member"]
        assert [m.name for m in field.queryset] == ["山田和子", "山田茂"]
        assert f'value="{father.code}" disabled' in str(second.context["form"]["family_member"])
        refused = client.post(url, {"person": person_a.code, "family_member": father.code})
        assert refused.status_code == 200 and not Enrolment.objects.exists()
        done = client.post(url, {"person": person_a.code, "family_member": mother.code})
        assert done.status_code == 302
        assert Enrolment.objects.get().family_member == mother


def test_households_and_people_of_the_same_name_are_told_apart(org_a, person_a, worker_a):
    for town in ("さいたま市", "川越市"):
        household = Household.objects.create(
            organisation=org_a, name="青木家", name_kana="アオキ", municipality=town
        )
        FamilyMember.objects.create(
            organisation=org_a, household=household, name="青木一郎", relationship="father"
        )
    labels = [
        choices.household_label(h)
        for h in choices.with_size(Household.objects.filter(name="青木家")).order_by("municipality")
    ]
    assert labels == ["青木家 (アオキ, さいたま市, 1 person)", "青木家 (アオキ, 川越市, 1 person)"]
    person = Person.objects.get(pk=person_a.pk)
    age = person.age_on(timezone.localdate())
    assert choices.person_label(person) == f"山田 太郎 (ヤマダ タロウ, {age} y, 川口市)"
