"""Every refusal of the API has one shape: `{"detail": [{"field", "reason"}]}`, 422, with a
short reason that never repeats the value sent."""

import pytest

LONG = "秘" * 50_000


def problems(response):
    assert response.status_code in {400, 422}, response.content
    detail = response.json()["detail"]
    assert detail and all(set(p) == {"field", "reason"} for p in detail), detail
    assert all(isinstance(p["field"], str) and 0 < len(p["reason"]) < 300 for p in detail)
    assert "秘秘秘" not in response.content.decode()
    return detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/people", {"family_name": LONG, "family_name_kana": "キ"}),
        ("post", "/api/v1/people", b"{not json"),
        ("post", "/api/v1/contacts", {"person": LONG, "channel": "letter", "outcome": "x"}),
        ("post", "/api/v1/contacts", {"person": "{person}", "channel": LONG, "outcome": LONG}),
        ("post", "/api/v1/contacts", {"person": "{person}", "channel": "letter",
                                      "outcome": "letter_left", "note": LONG * 2}),
        ("post", "/api/v1/instruments/k6/score", {"answers": [1] * 6, "band_set": LONG}),
        ("post", f"/api/v1/instruments/{'k' * 5000}/score", {"answers": [1] * 6}),
        ("post", "/api/v1/people/{person}/administrations",
         {"instrument": LONG, "administered_on": "2025-04-01", "answers": [0] * 6}),
        ("post", "/api/v1/people/{person}/administrations",
         {"instrument": "k6", "administered_on": "2025-04-01", "answers": [0] * 6,
          "respondent": LONG}),
        ("post", "/api/v1/people/{person}/administrations",
         {"instrument": "k6", "administered_on": "2025-04-01", "answers": [0] * 6,
          "family_member": "00000000-0000-4000-8000-000000000000"}),
        ("get", "/api/v1/outreach/queue?date=" + "1" * 5000, None),
        ("get", "/api/v1/people?limit=-1", None),
    ],
)  # fmt: skip
def test_every_refusal_has_one_shape(api_client_for, worker_a, person_a, method, path, body):
    client = api_client_for(worker_a)
    path = path.replace("{person}", str(person_a.code))
    if isinstance(body, dict):
        body = {k: v.replace("{person}", str(person_a.code)) if isinstance(v, str) else v
                for k, v in body.items()}  # fmt: skip
    if method == "get":
        response = client.get(path)
    else:
        response = client.post(path, body, content_type="application/json")
    problems(response)


def test_the_openapi_document_describes_refusals(client, db):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "422" in responses, (method, path)
            schema = responses["422"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problems"}, (method, path)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"field", "reason"}
