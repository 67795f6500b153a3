"""Attendance through the API takes exact types and only the fields it documents."""

import json

import pytest

from ibasho.outreach.models import Contact
from ibasho.programmes.models import Attendance


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "part", "minutes": "30"}, "minutes"),
        ({"status": "part", "minutes": True}, "minutes"),
        ({"status": "part", "minutes": 30.0}, "minutes"),
        ({"status": "part", "minutes": 5000}, "minutes"),
        ({"status": "part", "minutes": 2**63}, "minutes"),
        ({"status": 1}, "status"),
        ({"status": "sleeping"}, "status"),
        ({"status": "attended", "note": "x"}, "note"),
        ({"status": "attended", "contact": 1}, "contact"),
    ],
)
def test_loose_types_and_unknown_fields_are_refused(
    api_client_for, worker_a, session, enrolment, data, field
):
    url = f"/api/v1/programmes/sessions/{session.code}/attendance/{enrolment.code}"
    response = api_client_for(worker_a).put(url, json.dumps(data), content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in [p["field"] for p in response.json()["detail"]]
    assert not Attendance.objects.exists() and not Contact.objects.exists()
