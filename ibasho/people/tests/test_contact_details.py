"""Contact details: one service for the form, the API and the importer; encrypted at rest,
audited when shown, never for the analyst; the summary, the full record and the visit card;
search by phone, family member and household."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.lib.phones import digits, phone_hash
from ibasho.people import postcodes, services
from ibasho.people.models import Benefit, ContactDetails, FamilyMember, Household, Person, Phone

pytestmark = pytest.mark.django_db


def save(person, user, **values):  # type: ignore[no-untyped-def]
    return services.save_contact_details(person, by=user, **values)


class TestPostcodes:
    def test_a_postcode_names_its_address_offline(self):
        found = postcodes.lookup("〒１００－０００１")
        assert found is not None
        assert (found.postcode, found.prefecture, found.municipality, found.town) == (
            "100-0001", "13", "千代田区", "千代田",
        )  # fmt: skip

    @pytest.mark.parametrize("code", ["", "123", "0000000", "abcdefg", "1" * 100])
    def test_an_unknown_postcode_names_nothing(self, code):
        assert postcodes.lookup(code) is None


class TestPhones:
    @pytest.mark.parametrize(
        "written", ["090-1234-5678", "０９０１２３４５６７８", "+81 90 1234 5678", "(090)12345678"]
    )
    def test_every_spelling_has_the_same_hash(self, written):
        assert digits(written) == "09012345678"
        assert phone_hash(written) == phone_hash("09012345678") != ""

    def test_the_hash_is_keyed_not_a_plain_digest(self):
        import hashlib

        assert phone_hash("09012345678") != hashlib.sha256(b"09012345678").hexdigest()


class TestService:
    def test_the_postcode_fills_the_empty_address(self, person_a, worker_a):
        details = save(person_a, worker_a.user, postcode="1000001", prefecture="",
                       municipality="", street="")  # fmt: skip
        person_a.refresh_from_db()
        assert (person_a.prefecture, person_a.municipality) == ("13", "千代田区")
        assert (details.postcode, details.street) == ("100-0001", "千代田")

    def test_a_typed_street_is_kept(self, person_a, worker_a):
        details = save(person_a, worker_a.user, postcode="100-0001", street="千代田1-1 さくら荘")
        person_a.refresh_from_db()
        assert details.street == "千代田1-1 さくら荘"
        assert person_a.municipality == "川口市"  # not empty: not overwritten

    def test_everything_is_written_and_audited_by_name(self, person_a, worker_a):
        save(
            person_a, worker_a.user, email="taro@example.jp", line_name="たろう",
            emergency_name="山田和子", emergency_relation="母", emergency_phone="048-123-4567",
            medical_name="川口こころクリニック", medical_phone="048-765-4321",
            phones=[{"label": "携帯", "number": "090-1234-5678"}, {"label": "", "number": ""}],
            benefits=[{"kind": "disability_certificate", "grade": "精神 2級",
                       "valid_from": dt.date(2020, 4, 1), "valid_until": dt.date(2027, 3, 31)}],
        )  # fmt: skip
        assert [p.number for p in person_a.phones.all()] == ["090-1234-5678"]
        assert person_a.benefits.get().grade == "精神 2級"
        entry = AuditEntry.objects.get(action="people.contact_details.created")
        assert "phones" in entry.fields and "benefits" in entry.fields and "email" in entry.fields
        assert "090" not in str(entry.fields)

    def test_values_are_ciphertext_at_rest(self, person_a, worker_a):
        save(
            person_a,
            worker_a.user,
            street="ZQXSTREET",
            phones=[{"label": "ZQXLABEL", "number": "0901111222"}],
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT street FROM people_contactdetails")
            (street,) = cursor.fetchone()
            cursor.execute("SELECT label, number, number_hash FROM people_phone")
            label, number, digest = cursor.fetchone()
        assert street.startswith("gAAAAA") and label.startswith("gAAAAA")
        assert number.startswith("gAAAAA") and "0901111222" not in digest

    @pytest.mark.parametrize(
        "values, field",
        [
            ({"street": "本町\x00"}, "street"),
            ({"street": "x" * 201}, "street"),
            ({"email": "not an address"}, "email"),
            ({"postcode": "12-345"}, "postcode"),
            ({"postcode": "0000000"}, "postcode"),
            ({"emergency_phone": "call me"}, "emergency_phone"),
            ({"directions": "a" * 20_001}, "directions"),
            ({"colour": "red"}, "colour"),
            ({"phones": [{"number": "090\x001234"}]}, "phones"),
            ({"phones": [{"number": "0901234567", "extra": "x"}]}, "phones"),
            ({"phones": [{"number": f"090123456{i}"} for i in range(6)]}, "phones"),
            ({"benefits": [{"kind": "lottery"}]}, "benefits"),
            ({"benefits": [{"kind": "other", "valid_from": dt.date(1800, 1, 1)}]}, "benefits"),
            ({"benefits": [{"kind": "other", "valid_until": dt.date(2999, 1, 1)}]}, "benefits"),
            ({"benefits": [{"kind": "other", "valid_from": dt.date(2024, 1, 1),
                            "valid_until": dt.date(2023, 1, 1)}]}, "benefits"),
        ],
    )  # fmt: skip
    def test_refusals_name_the_field_and_write_nothing(self, person_a, worker_a, values, field):
        with pytest.raises(ValidationError) as refused:
            save(person_a, worker_a.user, **values)
        assert field in refused.value.message_dict
        assert not ContactDetails.objects.exists() and not Phone.objects.exists()
        assert not Benefit.objects.exists()


class TestPages:
    def post(self, client, person, **extra):  # type: ignore[no-untyped-def]
        data = {"postcode": "100-0001", "prefecture": "", "municipality": "", "street": "",
                "phone_1_number": "090-1234-5678", "phone_1_label": "携帯",
                "benefit_1_kind": "public_assistance", "benefit_1_valid_from": "2024-04-01",
                **extra}  # fmt: skip
        return client.post(reverse("people:contact_details_edit", args=[person.code]), data)

    def test_the_form_saves_through_the_service(self, client_for, worker_a, person_a):
        response = self.post(client_for(worker_a), person_a)
        assert response.status_code == 302
        person_a.refresh_from_db()
        assert person_a.contact_details.street == "千代田"
        assert person_a.phones.get().label == "携帯"
        assert person_a.benefits.get().kind == Benefit.Kind.PUBLIC_ASSISTANCE

    def test_a_refusal_is_shown_on_the_form(self, client_for, worker_a, person_a):
        response = self.post(client_for(worker_a), person_a, postcode="999-9999")
        assert response.status_code == 200
        assert "Japan Post knows no such postcode." in response.content.decode()
        assert not ContactDetails.objects.exists()

    def test_the_form_in_japanese(self, client_for, worker_a, person_a):
        client = client_for(worker_a)
        url = reverse("people:contact_details_edit", args=[person_a.code])
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        assert "郵便番号" in html and "緊急連絡先" in html and "postcode.js" in html

    def test_the_summary_shows_how_to_reach_and_is_audited(self, client_for, worker_a, person_a):
        self.post(client_for(worker_a), person_a)
        for language, words in (("en", "How to reach"), ("ja", "連絡方法")):
            html = (
                client_for(worker_a)
                .get(
                    reverse("people:person_detail", args=[person_a.code]),
                    HTTP_ACCEPT_LANGUAGE=language,
                )
                .content.decode()
            )
            assert words in html and "090-1234-5678" in html and "〒100-0001" in html
            assert "インターホンは鳴らさない" in html
        entry = AuditEntry.objects.filter(action="people.person.viewed").first()
        assert entry is not None and "contact_details" in entry.fields

    def test_the_summary_does_not_render_the_charts(self, client_for, worker_a, person_a):
        html = client_for(worker_a).get(reverse("people:person_detail", args=[person_a.code]))
        assert "<svg" not in html.content.decode()
        records = client_for(worker_a).get(reverse("people:person_records", args=[person_a.code]))
        assert "<svg" in records.content.decode()

    def test_the_visit_card(self, client_for, worker_a, person_a):
        save(person_a, worker_a.user, street="本町1-2", directions="神社の二軒先、裏口から")
        response = client_for(worker_a).get(
            reverse("people:visit_card", args=[person_a.code]), HTTP_ACCEPT_LANGUAGE="ja"
        )
        html = response.content.decode()
        assert "神社の二軒先" in html and "インターホンは鳴らさない" in html
        assert "山田和子" in html and "data-print" in html
        assert AuditEntry.objects.filter(action="people.visit_card.viewed").exists()

    @pytest.mark.parametrize(
        "name", ["person_detail", "person_records", "visit_card", "contact_details_edit"]
    )
    def test_outsider_and_analyst_get_404(self, client_for, worker_b, analyst_a, person_a, name):
        url = reverse(f"people:{name}", args=[person_a.code])
        assert client_for(worker_b).get(url).status_code == 404
        assert client_for(analyst_a).get(url).status_code == 404

    def test_the_postcode_lookup(self, client_for, worker_a, analyst_a):
        url = reverse("people:postcode_lookup")
        found = client_for(worker_a).get(url, {"code": "1000001"}).json()
        assert found["found"] and found["municipality"] == "千代田区"
        assert client_for(worker_a).get(url, {"code": "x" * 5000}).json() == {"found": False}
        assert client_for(analyst_a).get(url, {"code": "1000001"}).status_code == 404


class TestApi:
    def url(self, person):  # type: ignore[no-untyped-def]
        return f"/api/v1/people/{person.code}/contact-details"

    def test_put_then_get(self, api_client_for, worker_a, person_a):
        client = api_client_for(worker_a)
        body = {
            "postcode": "1000001",
            "municipality": "",
            "prefecture": "",
            "phones": [{"number": "090-1234-5678", "label": "携帯"}],
            "benefits": [{"kind": "disability_pension", "valid_from": "2023-04-01"}],
        }
        response = client.put(self.url(person_a), body, content_type="application/json")
        assert response.status_code == 200, response.content
        found = client.get(self.url(person_a)).json()
        assert found["street"] == "千代田" and found["phones"][0]["label"] == "携帯"
        assert found["benefits"][0]["valid_from"] == "2023-04-01"
        assert AuditEntry.objects.filter(action="people.contact_details.viewed").exists()

    @pytest.mark.parametrize(
        "body",
        [
            {"postcode": "999-9999"},
            {"street": "a\x00b"},
            {"colour": "red"},
            {"phones": [{"number": "1"}] * 6},
            {"benefits": [{"kind": "other", "valid_from": "1700-01-01"}]},
            {"benefits": [{"kind": "other", "valid_until": 20240101}]},
        ],
    )
    def test_refusals_are_422(self, api_client_for, worker_a, person_a, body):
        response = api_client_for(worker_a).put(
            self.url(person_a), body, content_type="application/json"
        )
        assert response.status_code == 422
        assert not ContactDetails.objects.exists()

    def test_outsider_and_analyst_get_404(self, api_client_for, worker_b, analyst_a, person_a):
        for member in (worker_b, analyst_a):
            client = api_client_for(member)
            assert client.get(self.url(person_a)).status_code == 404
            response = client.put(self.url(person_a), {}, content_type="application/json")
            assert response.status_code == 404

    def test_the_openapi_document_names_it(self, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        assert set(paths["/api/v1/people/{code}/contact-details"]) == {"get", "put"}


class TestSearch:
    def found(self, client, query):  # type: ignore[no-untyped-def]
        response = client.get(reverse("people:person_list"), {"q": query, "status": "all"})
        return [p.family_name for p in response.context["page"].object_list]

    def test_by_phone_family_member_or_household(self, client_for, worker_a, person_a, org_a):
        save(person_a, worker_a.user, phones=[{"label": "", "number": "090-1234-5678"}])
        mother = FamilyMember.objects.get(relationship="mother")
        services.change_family_member(mother, by=worker_a.user, phone="048-111-2222")
        other = Person.objects.create(organisation=org_a, family_name="佐藤",
                                      family_name_kana="さとう")  # fmt: skip
        client = client_for(worker_a)
        assert self.found(client, "09012345678") == ["山田"]
        assert self.found(client, "０４８ー１１１ー２２２２") == ["山田"]
        assert self.found(client, "048-111-2223") == []
        assert self.found(client, "かずこ") == ["山田"]  # the mother's reading
        assert self.found(client, "和子") == ["山田"]
        assert self.found(client, "山田家") == ["山田"]
        assert self.found(client, "さとう") == [other.family_name]

    def test_another_organisations_phone_is_not_found(
        self, client_for, worker_b, worker_a, person_a
    ):
        save(person_a, worker_a.user, phones=[{"label": "", "number": "090-1234-5678"}])
        assert self.found(client_for(worker_b), "090-1234-5678") == []


class TestHouseholdList:
    def test_counts_and_filter(self, client_for, worker_a, person_a, org_a):
        Household.objects.create(organisation=org_a, name="青木家", name_kana="アオキ",
                                 municipality="戸田市")  # fmt: skip
        client = client_for(worker_a)
        url = reverse("people:household_list")
        rows = list(client.get(url).context["page"].object_list)
        assert [h.name for h in rows] == ["青木家", "山田家"]
        assert (rows[1].people_count, rows[1].members_count) == (1, 2)
        filtered = client.get(url, {"municipality": "戸田市"}).context["page"].object_list
        assert [h.name for h in filtered] == ["青木家"]
        assert [h.name for h in client.get(url, {"q": "やまだ"}).context["page"].object_list] == [
            "山田家"
        ]
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        assert "世帯" in html

    def test_analyst_and_outsider_see_nothing(self, client_for, analyst_a, worker_b, person_a):
        url = reverse("people:household_list")
        assert client_for(analyst_a).get(url).status_code == 404
        assert list(client_for(worker_b).get(url).context["page"].object_list) == []


def test_the_summary_reads_a_fixed_number_of_rows(client_for, worker_a, person_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ibasho.outreach import services as outreach
    from ibasho.outreach.models import Contact

    client = client_for(worker_a)
    url = reverse("people:person_detail", args=[person_a.code])
    save(person_a, worker_a.user, phones=[{"label": "", "number": "090-1234-5678"}])
    counts = []
    for _ in range(2):
        for _ in range(3):
            outreach.record_contact(
                person_a, by=worker_a.user, channel=Contact.Channel.PHONE,
                reached=Contact.Reached.PERSON, outcome=Contact.Outcome.SPOKE_BY_PHONE,
                duration_minutes=10,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == SUMMARY_QUERIES, counts


# The person summary's queries (session, membership and the page's own): pinned. Two of them
# look for open safety events (read once: the banner lists them, the safety line counts them)
# and a referral's history "before us", shown above the summary.
SUMMARY_QUERIES = 16


def test_the_phone_hashes_are_made_again_in_batches(monkeypatch, person_a, org_a, org_b):
    from ibasho.people import models

    monkeypatch.setattr(models, "REHASH_BATCH", 2)
    numbers = [f"090-0000-000{n}" for n in range(5)]
    for position, number in enumerate(numbers):
        Phone.objects.create(organisation=org_a, person=person_a, number=number, position=position)
    Phone.objects.update(number_hash="")
    assert Phone.refresh_search_hashes(org_a.pk) == 5
    assert sorted(Phone.objects.values_list("number_hash", flat=True)) == sorted(
        phone_hash(number) for number in numbers
    )
    assert Phone.refresh_search_hashes(org_b.pk) == 0
