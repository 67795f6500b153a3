import pytest
from django.urls import reverse

from ibasho.outcomes import services
from ibasho.outcomes.models import PreviousScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def rescorable(person_a, worker_a, record, org_definition):
    services.save_instrument_definition(person_a.organisation, org_definition("1", 5),
                                        by=worker_a.user)  # fmt: skip
    definition = services.available_instruments(person_a.organisation)["org-k6"]
    administration = record(person_a, definition, [1] * 6)
    services.save_instrument_definition(person_a.organisation, org_definition("2", 7),
                                        by=worker_a.user)  # fmt: skip
    return administration


def test_rescoring_shows_the_old_and_new_results(client_for, worker_a, rescorable):
    client = client_for(worker_a)
    detail = reverse("outcomes:administration_detail", args=[rescorable.code])
    assert "Re-score with the current definition" in client.get(detail).content.decode()
    client.post(reverse("outcomes:administration_rescore", args=[rescorable.code]))
    rescorable.refresh_from_db()
    assert rescorable.instrument_version == "2"
    page = client.get(detail).content.decode()
    assert "Earlier results" in page and PreviousScore.objects.count() == 1


def test_rescoring_is_post_only_and_404_for_outsiders(client_for, worker_a, worker_b, rescorable):
    url = reverse("outcomes:administration_rescore", args=[rescorable.code])
    assert client_for(worker_a).get(url).status_code == 405
    assert client_for(worker_b).post(url).status_code == 404
    assert not PreviousScore.objects.exists()
