import pytest

from ibasho.audit.models import AuditEntry
from ibasho.people.models import Person


@pytest.mark.django_db
class TestPeopleApi:
    def test_requires_a_token(self, client, person_a):
        assert client.get("/api/v1/people").status_code == 401

    def test_lists_own_organisation_only(self, api_client_for, worker_a, worker_b, person_a):
        assert api_client_for(worker_a).get("/api/v1/people").json()["count"] == 1
        assert api_client_for(worker_b).get("/api/v1/people").json()["count"] == 0

    def test_read_is_audited_and_outsider_gets_404(
        self, api_client_for, worker_a, worker_b, person_a
    ):
        url = f"/api/v1/people/{person_a.code}"
        body = api_client_for(worker_a).get(url).json()
        assert body["family_name_kana"] == "ヤマダ"
        assert AuditEntry.objects.filter(action="people.person.viewed").count() == 1
        assert api_client_for(worker_b).get(url).status_code == 404

    def test_analyst_gets_404(self, api_client_for, analyst_a, person_a):
        assert api_client_for(analyst_a).get(f"/api/v1/people/{person_a.code}").status_code == 404

    def test_create(self, api_client_for, worker_a):
        response = api_client_for(worker_a).post(
            "/api/v1/people",
            {"family_name": "木村", "family_name_kana": "きむら"},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert Person.objects.get().family_name_kana == "キムラ"

    def test_bad_input_is_422_with_field_and_nothing_written(self, api_client_for, worker_a):
        response = api_client_for(worker_a).post(
            "/api/v1/people",
            {"family_name": "木村", "family_name_kana": "kimura"},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "family_name_kana"
        assert not Person.objects.exists()

    def test_schema_errors_name_the_field(self, api_client_for, worker_a):
        response = api_client_for(worker_a).post(
            "/api/v1/people", {"family_name_kana": "キムラ"}, content_type="application/json"
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "family_name"

    def test_openapi_document(self, client, db):
        assert "/api/v1/people" in client.get("/api/v1/openapi.json").json()["paths"]
