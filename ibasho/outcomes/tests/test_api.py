import pytest

from ibasho.audit.models import AuditEntry
from ibasho.outcomes.models import Administration
from ibasho.outcomes.tests.conftest import K6_LOW

pytestmark = pytest.mark.django_db


def score(client, code, body):
    return client.post(f"/api/v1/instruments/{code}/score", body, content_type="application/json")


def test_scoring_is_stateless(api_client_for, worker_a):
    response = score(api_client_for(worker_a), "hq25", {"answers": [2] * 25})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["band"], body["band_set"]) == (50, "at_or_above_cutoff", "teo_2018")
    assert body["version"] == "1.0" and not Administration.objects.exists()


def test_scoring_phq9_item9_reports_the_safety_flag(api_client_for, analyst_a):
    body = score(api_client_for(analyst_a), "phq9", {"answers": {str(n): 0 for n in range(1, 9)}
                                                     | {"9": 1}}).json()  # fmt: skip
    assert body["flags"] == ["phq9_item9"] and body["safety"] is True


@pytest.mark.parametrize(
    ("code", "body", "field", "words"),
    [
        ("k6", {"answers": [1] * 5}, "answers", "6 items but 5 answers"),
        ("k6", {"answers": [1, 1, 7, 1, 1, 1]}, "answers.3", "7 is not one of 0, 1, 2, 3, 4"),
        ("k6", {"answers": [1, 1, 1, 1, None, 1]}, "answers.5", "an answer is required"),
        ("nope", {"answers": [1]}, "code", "unknown instrument"),
        ("hq25", {"answers": [0] * 25, "band_set": "x"}, "band_set", "unknown cut-off set"),
    ],
)
def test_invalid_answers_get_422_naming_the_item(api_client_for, worker_a, code, body, field,
                                                 words):  # fmt: skip
    response = score(api_client_for(worker_a), code, body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == field and words in detail["reason"]


def test_scoring_needs_a_token(client):
    assert score(client, "k6", {"answers": [0] * 6}).status_code == 401


def url(person):
    return f"/api/v1/people/{person.code}/administrations"


def test_create_and_list_administrations(api_client_for, worker_a, person_a):
    client = api_client_for(worker_a)
    body = {"instrument": "k6", "administered_on": "2025-04-01", "answers": K6_LOW}
    created = client.post(url(person_a), body, content_type="application/json")
    assert created.status_code == 201 and created.json()["total"] == 3
    listed = client.get(url(person_a)).json()
    assert [a["code"] for a in listed] == [created.json()["code"]]
    assert AuditEntry.objects.filter(action="outcomes.administration.listed").count() == 1


def test_create_for_a_family_member(api_client_for, worker_a, person_a):
    mother = person_a.household.members.get(relationship="mother")
    body = {"instrument": "k6", "administered_on": "2025-04-01", "answers": K6_LOW,
            "respondent": "family", "family_member": str(mother.code)}  # fmt: skip
    created = api_client_for(worker_a).post(url(person_a), body, content_type="application/json")
    assert created.json()["family_member"] == str(mother.code)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": [9] * 6}, "answers.1"),
        ({"instrument": "nope"}, "instrument"),
        ({"respondent": "neighbour"}, "respondent"),
        ({"administered_on": "2999-01-01"}, "administered_on"),
        ({"family_member": "00000000-0000-4000-8000-000000000000"}, "family_member"),
    ],
)
def test_invalid_creates_get_422_and_store_nothing(api_client_for, worker_a, person_a, change,
                                                   field):  # fmt: skip
    body = {"instrument": "k6", "administered_on": "2025-04-01", "answers": K6_LOW, **change}
    response = api_client_for(worker_a).post(url(person_a), body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == field
    assert not Administration.objects.exists()


@pytest.mark.parametrize("who", ["worker_b", "analyst_a"])
def test_outsiders_get_404(request, api_client_for, person_a, who):
    client = api_client_for(request.getfixturevalue(who))
    body = {"instrument": "k6", "administered_on": "2025-04-01", "answers": K6_LOW}
    assert client.get(url(person_a)).status_code == 404
    assert client.post(url(person_a), body, content_type="application/json").status_code == 404
    assert not Administration.objects.exists()
