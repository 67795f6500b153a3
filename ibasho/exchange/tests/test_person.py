"""Everything held on one person: every record kind reached, in JSON and a Japanese PDF,
for coordinators and admins only, and audited."""

import io
import json

import pytest
from pypdf import PdfReader

from ibasho.audit.models import AuditEntry
from ibasho.exchange.tables import PERSON_EXCLUDED, person_rows, unreached_person_models
from ibasho.people.models import Person


def test_every_domain_model_is_in_the_person_export_or_excluded_with_a_reason():
    assert unreached_person_models() == []
    assert all(reason.strip() for reason in PERSON_EXCLUDED.values())


@pytest.fixture
def person(world):
    return Person.unscoped.get(organisation=world.organisation, family_name="山田")


@pytest.mark.django_db
def test_every_kind_of_record_on_the_person_is_found_and_no_one_elses(world, person):
    found = {model._meta.label: rows for model, rows in person_rows(person).items()}
    for label in [
        "people.Household", "people.FamilyMember", "people.Case", "people.Consent",
        "outreach.Contact", "outreach.ContactRevision", "outreach.StageChange",
        "outreach.OutreachPlan", "programmes.Enrolment", "programmes.Attendance",
        "families.SafetyEvent", "families.BehaviourChange", "families.ContingencyPlan",
        "families.HouseholdCircumstances", "outcomes.Administration",
        "outcomes.KatoAssessment", "outcomes.RecoveryRating",
    ]:  # fmt: skip
        assert found[label], label
    assert found["people.Person"] == [person]
    other = Person.unscoped.get(organisation=world.organisation, family_name="灯台")
    assert all(getattr(row, "person_id", person.pk) == person.pk for rows in found.values()
               for row in rows)  # fmt: skip
    assert other.pk not in {c.person_id for c in found["people.Case"]}


@pytest.mark.django_db
def test_a_coordinator_downloads_json_and_pdf_and_both_are_audited(
    world, person, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    page = client.get(f"/people/{person.code}/records/")
    assert f"/export/people/{person.code}/" in page.content.decode()
    assert client.get(f"/export/people/{person.code}/").status_code == 200
    response = client.get(f"/export/people/{person.code}/json/")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"] == str(person.code)
    notes = [c["note"] for c in data["records"]["outreach.Contact"]]
    assert "母と少し話した" in notes
    assert any(e["action"] == "people.person.viewed" for e in data["audit_trail"])
    pdf = client.get(f"/export/people/{person.code}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "山田" in text and "母と少し話した" in text
    made = AuditEntry.objects.filter(action="exchange.person_exported", person_code=person.code)
    assert sorted(e.fields[0] for e in made) == ["json", "pdf"]
    assert {e.actor_id for e in made} == {coordinator_a.user_id}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["worker_a", "analyst_a", "worker_b"])
def test_workers_analysts_and_other_organisations_get_404(world, person, client_for, who, request):
    client = client_for(request.getfixturevalue(who))
    for path in ["", "json/", "pdf/"]:
        assert client.get(f"/export/people/{person.code}/{path}").status_code == 404
    assert not AuditEntry.objects.filter(action="exchange.person_exported").exists()
    assert (
        f"/export/people/{person.code}/"
        not in client.get(f"/people/{person.code}/records/").content.decode()
    )


@pytest.mark.django_db
def test_the_api_gives_the_same_export(world, person, api_client_for, admin_a, worker_a, worker_b):
    api = api_client_for(admin_a)
    response = api.get(f"/api/v1/people/{person.code}/export")
    assert response.status_code == 200
    assert response.json()["records"]["people.Person"][0]["family_name"] == "山田"
    pdf = api.get(f"/api/v1/people/{person.code}/export?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    assert api.get(f"/api/v1/people/{person.code}/export?format=xml").status_code == 422
    for outsider in (worker_a, worker_b):
        assert (
            api_client_for(outsider).get(f"/api/v1/people/{person.code}/export").status_code == 404
        )
    assert AuditEntry.objects.filter(action="exchange.person_exported").count() == 2
