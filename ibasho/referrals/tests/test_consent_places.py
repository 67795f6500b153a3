"""Every place that shares or shows a person's data across organisations asks the consent at
that moment: each is walked with no consent, a withdrawn consent and a valid one."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ibasho.people.models import Consent, Person
from ibasho.people.services import record_consent, withdraw_consent
from ibasho.referrals import services
from ibasho.referrals.models import Referral

STATES = ["none", "withdrawn", "valid"]


@pytest.fixture
def referral(history_a, org_b, worker_a, coordinator_b):  # type: ignore[no-untyped-def]
    """A referral sent under a consent in force then."""
    consent = record_consent(history_a, by=worker_a.user, purpose=Consent.Purpose.SHARING)
    found = services.send_referral(
        history_a, by=worker_a, recipient_organisation=org_b, items=["profile", "contacts"]
    )
    found.test_consent = consent  # type: ignore[attr-defined]
    return found


def set_state(referral, state, worker_a):  # type: ignore[no-untyped-def]
    consent = referral.test_consent
    if state == "none":
        Referral.objects.filter(pk=referral.pk).update(consent=None)
        consent.delete()
    elif state == "withdrawn":
        withdraw_consent(consent, by=worker_a.user)


@pytest.mark.parametrize("state", STATES)
def test_sending(history_a, org_b, worker_a, state):
    if state != "none":
        consent = record_consent(history_a, by=worker_a.user, purpose=Consent.Purpose.SHARING)
        if state == "withdrawn":
            withdraw_consent(consent, by=worker_a.user)

    def send():  # type: ignore[no-untyped-def]
        return services.send_referral(
            history_a, by=worker_a, recipient_organisation=org_b, items=["profile"]
        )

    if state == "valid":
        assert send().state == "pending"
    else:
        with pytest.raises(ValidationError):
            send()
        assert not Referral.objects.exists()


@pytest.mark.parametrize("state", STATES)
def test_accepting(referral, worker_a, coordinator_b, org_b, state):
    set_state(referral, state, worker_a)
    if state == "valid":
        services.accept_referral(referral, by=coordinator_b)
        assert Person.objects.filter(organisation=org_b).count() == 1
    else:
        with pytest.raises(ValidationError):
            services.accept_referral(referral, by=coordinator_b)
        assert not Person.objects.filter(organisation=org_b).exists()


@pytest.mark.parametrize("state", STATES)
def test_the_letter_and_its_export(referral, worker_a, client_for, state):
    set_state(referral, state, worker_a)
    response = client_for(worker_a).get(reverse("referrals:referral_letter", args=[referral.code]))
    if state == "valid":
        assert response["Content-Type"] == "application/pdf"
    else:
        assert response.status_code == 302


@pytest.mark.parametrize("state", STATES)
def test_the_receivers_preview_page_and_list(referral, worker_a, coordinator_b, client_for, state):
    set_state(referral, state, worker_a)
    client = client_for(coordinator_b)
    page = client.get(reverse("referrals:referral_detail", args=[referral.code])).content
    listing = client.get(reverse("referrals:referral_list")).content
    shown = "玄関先で話せた" in page.decode() and "山田" in listing.decode()
    assert shown == (state == "valid")


@pytest.mark.parametrize("state", STATES)
def test_the_receivers_preview_in_the_api(referral, worker_a, coordinator_b, api_client_for, state):
    set_state(referral, state, worker_a)
    client = api_client_for(coordinator_b)
    found = client.get(f"/api/v1/referrals/{referral.code}").json()
    listed = client.get("/api/v1/referrals/incoming").json()[0]
    if state == "valid":
        assert found["shared"]["profile"] and listed["person_name"] == "山田 太郎"
        assert json.dumps(found, ensure_ascii=False).count("玄関先で話せた") == 1
    else:
        assert found["shared"] is None and found["person_name"] == "" and found["note"] == ""
        assert listed["person_name"] == "" and listed["before_us"] is None
