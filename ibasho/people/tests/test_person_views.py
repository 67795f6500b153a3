import pytest
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.people.models import Case, Person
from ibasho.people.services import open_case


def detail_url(person):
    return reverse("people:person_detail", args=[person.code])


@pytest.mark.django_db
class TestPersonPage:
    def test_worker_sees_person_and_view_is_audited(self, client_for, worker_a, person_a):
        response = client_for(worker_a).get(detail_url(person_a))
        assert response.status_code == 200
        assert "山田 太郎" in response.content.decode()
        entry = AuditEntry.objects.get(action="people.person.viewed")
        assert entry.actor == worker_a.user
        assert entry.person_code == person_a.code
        assert entry.organisation == worker_a.organisation

    def test_things_to_avoid_are_shown_first(self, client_for, worker_a, person_a):
        summary = client_for(worker_a).get(detail_url(person_a)).content.decode()
        assert "インターホンは鳴らさない" in summary
        records = reverse("people:person_records", args=[person_a.code])
        html = client_for(worker_a).get(records).content.decode()
        assert html.index("インターホンは鳴らさない") < html.index("手紙は読んでいます")

    def test_outsider_gets_404_and_no_audit(self, client_for, worker_b, person_a):
        assert client_for(worker_b).get(detail_url(person_a)).status_code == 404
        assert not AuditEntry.objects.filter(action="people.person.viewed").exists()

    def test_analyst_cannot_open_a_person(self, client_for, analyst_a, person_a):
        assert client_for(analyst_a).get(detail_url(person_a)).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, person_a):
        response = client.get(detail_url(person_a))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    def test_encrypted_text_is_not_stored_in_clear(self, person_a):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT own_words FROM people_person WHERE id = %s", [person_a.pk])
            stored = cursor.fetchone()[0]
        assert "手紙" not in stored
        assert Person.objects.get(pk=person_a.pk).own_words == "手紙は読んでいます"


@pytest.mark.django_db
class TestPersonList:
    @pytest.fixture
    def people(self, org_a, person_a):
        for family, kana in [
            ("伊藤", "いとう"),
            ("佐藤", "さとう"),
            ("加藤", "かとう"),
            ("後藤", "ごとう"),
        ]:
            Person.objects.create(
                organisation=org_a,
                family_name=family,
                given_name="花子",
                family_name_kana=kana,
                given_name_kana="はなこ",
            )
        for person in Person.objects.filter(organisation=org_a, cases__isnull=True):
            open_case(person, by=None)
        return org_a

    def names_on(self, response):
        return [p.family_name for p in response.context["page"].object_list]

    def test_sorted_by_reading(self, client_for, worker_a, people):
        response = client_for(worker_a).get(reverse("people:person_list"))
        assert self.names_on(response) == ["伊藤", "加藤", "後藤", "佐藤", "山田"]

    @pytest.mark.parametrize("query", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "山田", "たろう"])
    def test_search_by_kanji_or_kana(self, client_for, worker_a, people, query):
        response = client_for(worker_a).get(reverse("people:person_list"), {"q": query})
        assert self.names_on(response) == ["山田"]

    def test_the_encrypted_nickname_is_not_searched(self, client_for, worker_a, people):
        response = client_for(worker_a).get(reverse("people:person_list"), {"q": "たっくん"})
        assert self.names_on(response) == []

    def test_outsider_sees_none_of_them(self, client_for, worker_b, people):
        response = client_for(worker_b).get(reverse("people:person_list"), {"status": "all"})
        assert self.names_on(response) == []

    def test_htmx_request_gets_only_rows(self, client_for, worker_a, people):
        response = client_for(worker_a).get(
            reverse("people:person_list"), {"q": "さとう"}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert "<html" not in html and "佐藤" in html

    def test_mine_filter(self, client_for, worker_a, people):
        response = client_for(worker_a).get(reverse("people:person_list"), {"mine": "on"})
        assert self.names_on(response) == ["山田"]

    def test_query_count_does_not_grow_with_people(
        self, client_for, worker_a, people, django_assert_max_num_queries, org_a
    ):
        client = client_for(worker_a)
        with django_assert_max_num_queries(8):
            client.get(reverse("people:person_list"))
        for i in range(20):
            person = Person.objects.create(
                organisation=org_a, family_name=f"者{i}", family_name_kana="モノ"
            )
            open_case(person, by=None)
        with django_assert_max_num_queries(8):
            client.get(reverse("people:person_list"))


VALID = {
    "family_name": "鈴木", "given_name": "陽子", "family_name_kana": "すずき",
    "given_name_kana": "ようこ", "gender": "female", "living_situation": "with_parents",
    "birth_year": "1978", "preferred_channels": ["letter", "message"],
}  # fmt: skip


@pytest.mark.django_db
class TestPersonForms:
    def test_create_opens_a_case_and_audits(self, client_for, worker_a):
        response = client_for(worker_a).post(reverse("people:person_create"), VALID)
        person = Person.objects.get(family_name="鈴木")
        assert response.status_code == 302
        assert person.family_name_kana == "スズキ"
        assert person.preferred_channels == ["letter", "message"]
        case = person.cases.get()
        assert case.is_open and list(case.workers.all()) == [worker_a.user]
        assert AuditEntry.objects.filter(
            action="people.person.created", person_code=person.code
        ).exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("family_name_kana", "suzuki"),
            ("birth_year", "1850"),
            ("family_name", ""),
            ("birth_date", "2999-01-01"),
            ("gender", "robot"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, client_for, worker_a, field, value):
        response = client_for(worker_a).post(
            reverse("people:person_create"), {**VALID, field: value}
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Person.objects.exists()
        assert not Case.objects.exists()
        assert not AuditEntry.objects.exists()

    def test_edit_audits_changed_field_names_not_values(self, client_for, worker_a, person_a):
        data = {
            **VALID,
            "family_name": "山田",
            "family_name_kana": "やまだ",
            "own_words": "秘密の言葉",
        }
        client_for(worker_a).post(reverse("people:person_edit", args=[person_a.code]), data)
        entry = AuditEntry.objects.get(action="people.person.changed")
        assert "own_words" in entry.fields
        assert "秘密" not in str(entry.fields)

    def test_outsider_cannot_edit(self, client_for, worker_b, person_a):
        url = reverse("people:person_edit", args=[person_a.code])
        response = client_for(worker_b).post(url, {**VALID, "family_name": "X"})
        assert response.status_code == 404
        person_a.refresh_from_db()
        assert person_a.family_name == "山田"

    def test_household_cannot_belong_to_another_organisation(self, client_for, worker_a, org_b):
        from ibasho.people.models import Household

        other = Household.objects.create(organisation=org_b, name="他家")
        response = client_for(worker_a).post(
            reverse("people:person_create"), {**VALID, "household": other.pk}
        )
        assert "household" in response.context["form"].errors
        assert not Person.objects.exists()
