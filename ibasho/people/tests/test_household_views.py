import pytest
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.people.models import Consent, FamilyMember, Household

MEMBER = {
    "name": "山田花子",
    "name_kana": "やまだはなこ",
    "relationship": "sibling",
    "birth_year": "1980",
    "health": "well",
    "income_source": "employment",
    "contactable": "on",
}


@pytest.mark.django_db
class TestHousehold:
    def test_page_lists_family_and_is_audited(self, client_for, worker_a, person_a):
        url = reverse("people:household_detail", args=[person_a.household.code])
        html = client_for(worker_a).get(url).content.decode()
        assert "山田和子" in html and "山田茂" in html
        assert AuditEntry.objects.filter(action="people.household.viewed").exists()

    def test_outsider_404_on_every_household_page(self, client_for, worker_b, person_a):
        household = person_a.household
        member = household.members.first()
        client = client_for(worker_b)
        for url in [
            reverse("people:household_detail", args=[household.code]),
            reverse("people:household_edit", args=[household.code]),
            reverse("people:family_member_create", args=[household.code]),
            reverse("people:family_member_edit", args=[member.code]),
            reverse("people:household_create", args=[person_a.code]),
            reverse("people:consent_create", args=[person_a.code]),
            reverse("people:person_audit", args=[person_a.code]),
        ]:
            assert client.get(url).status_code == 404, url
            assert client.post(url, MEMBER).status_code == 404, url
        assert household.members.count() == 2

    def test_add_family_member(self, client_for, worker_a, person_a):
        url = reverse("people:family_member_create", args=[person_a.household.code])
        client_for(worker_a).post(url, MEMBER)
        member = FamilyMember.objects.get(name="山田花子")
        assert member.name_kana == "ヤマダハナコ"
        assert member.organisation == person_a.organisation
        assert AuditEntry.objects.filter(action="people.family_member.created").exists()

    def test_bad_family_member_writes_nothing(self, client_for, worker_a, person_a):
        url = reverse("people:family_member_create", args=[person_a.household.code])
        response = client_for(worker_a).post(url, {**MEMBER, "birth_year": "3000"})
        assert "birth_year" in response.context["form"].errors
        assert not FamilyMember.objects.filter(name="山田花子").exists()

    def test_parent_hospitalised_is_recorded_with_date(self, client_for, worker_a, person_a):
        mother = person_a.household.members.get(relationship="mother")
        url = reverse("people:family_member_edit", args=[mother.code])
        data = {
            "name": mother.name,
            "name_kana": mother.name_kana,
            "relationship": "mother",
            "birth_year": "1944",
            "health": "hospitalised",
            "health_changed_on": "2026-11-20",
            "income_source": "pension",
        }
        client_for(worker_a).post(url, data)
        mother.refresh_from_db()
        assert mother.health == "hospitalised"
        entry = AuditEntry.objects.get(action="people.family_member.changed")
        assert "health" in entry.fields

    def test_create_household_for_person_without_one(self, client_for, worker_a, org_a):
        from ibasho.people.models import Person

        person = Person.objects.create(
            organisation=org_a, family_name="森", family_name_kana="モリ"
        )
        url = reverse("people:household_create", args=[person.code])
        client_for(worker_a).post(url, {"name": "森家", "name_kana": "もり"})
        person.refresh_from_db()
        assert person.household.name == "森家"
        assert person.household.organisation == org_a


@pytest.mark.django_db
class TestConsent:
    def test_proxy_consent_by_family_member(self, client_for, worker_a, person_a):
        mother = person_a.household.members.get(relationship="mother")
        url = reverse("people:consent_create", args=[person_a.code])
        client_for(worker_a).post(
            url, {"purpose": "contact", "proxy": mother.pk, "given_on": "2026-11-01"}
        )
        consent = Consent.objects.get()
        assert consent.proxy == mother and not consent.given_by_person
        assert consent.is_active

    def test_proxy_must_be_named_when_person_did_not_consent(self, client_for, worker_a, person_a):
        url = reverse("people:consent_create", args=[person_a.code])
        response = client_for(worker_a).post(url, {"purpose": "sharing", "given_on": "2026-11-01"})
        assert "proxy" in response.context["form"].errors
        assert not Consent.objects.exists()

    def test_withdraw(self, client_for, worker_a, person_a):
        consent = Consent.objects.create(
            organisation=person_a.organisation, person=person_a, purpose="statistics"
        )
        url = reverse("people:consent_withdraw", args=[consent.code])
        assert client_for(worker_a).post(url).status_code == 200  # asked first
        consent.refresh_from_db()
        assert consent.withdrawn_on is None
        client_for(worker_a).post(url, {"confirmed": "yes"})
        consent.refresh_from_db()
        assert consent.withdrawn_on is not None
        assert AuditEntry.objects.filter(action="people.consent.withdrawn").exists()

    def test_outsider_cannot_withdraw(self, client_for, worker_b, person_a):
        consent = Consent.objects.create(
            organisation=person_a.organisation, person=person_a, purpose="statistics"
        )
        response = client_for(worker_b).post(
            reverse("people:consent_withdraw", args=[consent.code]), {"confirmed": "yes"}
        )
        assert response.status_code == 404
        consent.refresh_from_db()
        assert consent.withdrawn_on is None


@pytest.mark.django_db
class TestAuditTrail:
    def test_admin_reads_a_persons_trail(self, client_for, admin_a, worker_a, person_a):
        client_for(worker_a).get(reverse("people:person_detail", args=[person_a.code]))
        response = client_for(admin_a).get(reverse("people:person_audit", args=[person_a.code]))
        assert response.status_code == 200
        assert "people.person.viewed" in response.content.decode()

    def test_worker_cannot_read_the_trail(self, client_for, worker_a, person_a):
        url = reverse("people:person_audit", args=[person_a.code])
        assert client_for(worker_a).get(url).status_code == 404


@pytest.mark.django_db
def test_analyst_sees_aggregates_only(client_for, analyst_a, person_a):
    client = client_for(analyst_a)
    response = client.get(reverse("people:organisation_overview"))
    assert response.status_code == 200
    assert "山田" not in response.content.decode()
    assert client.get(reverse("people:person_list")).status_code == 404
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_household_names_sort_by_reading(org_a):
    for name, kana in [("渡辺家", "わたなべ"), ("阿部家", "あべ"), ("小川家", "おがわ")]:
        Household.objects.create(organisation=org_a, name=name, name_kana=kana)
    assert [h.name for h in Household.objects.filter(organisation=org_a)] == [
        "阿部家",
        "小川家",
        "渡辺家",
    ]
