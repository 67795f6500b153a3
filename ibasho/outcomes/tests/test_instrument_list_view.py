import json

import pytest
from django.urls import reverse

from ibasho.outcomes.models import InstrumentDefinition

pytestmark = pytest.mark.django_db
URL = "outcomes:instrument_list"


def test_everyone_who_records_sees_the_list(client_for, worker_a):
    page = client_for(worker_a).get(reverse(URL)).content.decode()
    assert "HQ-25" in page and "Add an instrument" not in page


def test_an_admin_adds_an_instrument(client_for, admin_a, org_definition):
    response = client_for(admin_a).post(reverse(URL), {"definition": json.dumps(org_definition())})
    assert response.status_code == 302
    assert InstrumentDefinition.objects.get().organisation == admin_a.organisation


def test_a_broken_definition_names_the_fault(client_for, admin_a, org_definition):
    raw = org_definition()
    raw["items"][2]["number"] = 9
    response = client_for(admin_a).post(reverse(URL), {"definition": json.dumps(raw)})
    assert "items[2].number" in response.content.decode()
    assert not InstrumentDefinition.objects.exists()


def test_a_wrongly_typed_or_unknown_value_is_named(client_for, admin_a, org_definition):
    raw = org_definition()
    raw["band_sets"][0]["bands"][1]["min"] = "5"
    raw["items"][0]["reversed"] = False
    response = client_for(admin_a).post(reverse(URL), {"definition": json.dumps(raw)})
    assert "items[0].reversed: is not a known key" in response.content.decode()
    raw["items"][0].pop("reversed")
    response = client_for(admin_a).post(reverse(URL), {"definition": json.dumps(raw)})
    assert "band_sets[0].bands[1].min: must be a whole number, not &quot;5&quot;" in (
        response.content.decode()
    )
    assert not InstrumentDefinition.objects.exists()


def test_invalid_json_is_refused(client_for, admin_a):
    response = client_for(admin_a).post(reverse(URL), {"definition": "{oops"})
    assert "Not valid JSON" in response.content.decode()


def test_a_worker_cannot_add(client_for, worker_a, org_definition):
    response = client_for(worker_a).post(reverse(URL), {"definition": json.dumps(org_definition())})
    assert response.status_code == 404 and not InstrumentDefinition.objects.exists()


def test_another_organisations_instruments_are_not_listed(client_for, admin_a, worker_b,
                                                          org_definition):  # fmt: skip
    client_for(admin_a).post(reverse(URL), {"definition": json.dumps(org_definition())})
    assert "org-k6" not in client_for(worker_b).get(reverse(URL)).content.decode()
