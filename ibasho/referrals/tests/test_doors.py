"""Referrals through each door (pages, API, admin): the same rules, the same refusals, and the
one guard across organisations: the receiver sees what is addressed to it, a third
organisation gets 404, an analyst sees nothing."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from ibasho.people.models import Person
from ibasho.people.services import withdraw_consent
from ibasho.provisions.models import ProvisionRecord
from ibasho.referrals import services
from ibasho.referrals.models import Referral

ITEMS = ["profile", "contacts"]


@pytest.fixture
def referral(history_a, org_b, worker_a, consent_a, coordinator_b):  # type: ignore[no-untyped-def]
    return services.send_referral(
        history_a, by=worker_a, recipient_organisation=org_b, items=ITEMS,
        note="手紙が好きな方です",
    )  # fmt: skip


def detail_url(referral):  # type: ignore[no-untyped-def]
    return reverse("referrals:referral_detail", args=[referral.code])


# -- pages ----------------------------------------------------------------------------------------


def test_the_form_says_what_is_missing_and_offers_the_consent_form(person_a, worker_a, client_for):
    client = client_for(worker_a)
    url = reverse("referrals:referral_create", args=[person_a.code])
    page = client.get(url).content.decode()
    assert 'id="missing-consent"' in page
    consent_url = reverse("people:consent_create", args=[person_a.code])
    assert consent_url in page and "purpose=sharing" in page
    # Recording the consent there leads back to the referral form.
    response = client.post(
        consent_url,
        {"purpose": "sharing", "given_by_person": "on", "given_on": person_a.organisation.today(),
         "next": url},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == url
    assert 'id="missing-consent"' not in client.get(url).content.decode()


def test_the_consent_form_never_returns_off_site(person_a, worker_a, client_for):
    consent_url = reverse("people:consent_create", args=[person_a.code])
    response = client_for(worker_a).post(
        consent_url,
        {"purpose": "sharing", "given_by_person": "on", "given_on": person_a.organisation.today(),
         "next": "https://evil.example/"},
    )  # fmt: skip
    assert response["Location"] == reverse("people:person_detail", args=[person_a.code])


def test_sending_through_the_form(person_a, org_b, worker_a, consent_a, client_for):
    url = reverse("referrals:referral_create", args=[person_a.code])
    response = client_for(worker_a).post(
        url,
        {"kind": "referral", "recipient_organisation": org_b.pk, "items": ["profile", "family"],
         "note": "よろしくお願いします"},
    )  # fmt: skip
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(referral)
    assert referral.items == ["profile", "family"]


def test_the_form_refuses_without_consent_and_writes_nothing(person_a, org_b, worker_a, client_for):
    url = reverse("referrals:referral_create", args=[person_a.code])
    response = client_for(worker_a).post(
        url, {"kind": "referral", "recipient_organisation": org_b.pk, "items": ["profile"]}
    )
    assert response.status_code == 200 and "No consent" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_form_refuses_control_characters(person_a, org_b, worker_a, consent_a, client_for):
    url = reverse("referrals:referral_create", args=[person_a.code])
    response = client_for(worker_a).post(
        url,
        {"kind": "referral", "recipient_organisation": org_b.pk, "items": ["profile"],
         "note": "a\x00b"},
    )  # fmt: skip
    assert response.status_code == 200 and not Referral.objects.exists()


def test_the_receiver_reads_the_shared_record_while_the_consent_holds(
    referral, coordinator_b, client_for, worker_a, consent_a
):
    client = client_for(coordinator_b)
    page = client.get(detail_url(referral)).content.decode()
    assert "山田" in page and "玄関先で話せた" in page and 'id="accept"' in page
    assert "インターホン" in page  # things to avoid: part of the profile
    withdraw_consent(consent_a, by=worker_a.user)
    page = client.get(detail_url(referral)).content.decode()
    assert 'id="consent-state"' in page
    assert "玄関先で話せた" not in page and "太郎" not in page and 'id="accept"' not in page


def test_the_receiver_list_names_the_person_only_while_sharing_is_allowed(
    referral, coordinator_b, client_for, worker_a, consent_a
):
    client = client_for(coordinator_b)
    assert "山田" in client.get(reverse("referrals:referral_list")).content.decode()
    withdraw_consent(consent_a, by=worker_a.user)
    page = client.get(reverse("referrals:referral_list")).content.decode()
    assert "山田" not in page and referral.reference in page


def test_accept_and_decline_through_the_pages(
    referral, coordinator_b, worker_b, reason_b, client_for, org_b, worker_a
):
    client = client_for(coordinator_b)
    response = client.post(
        reverse("referrals:referral_decline", args=[referral.code]), {"reason": reason_b.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "declined"
    again = services.send_again(referral, by=worker_a, items=ITEMS)
    response = client.post(
        reverse("referrals:referral_accept", args=[again.code]), {"assign": worker_b.user.pk}
    )
    assert response.status_code == 302
    made = Person.objects.get(organisation=org_b)
    # B's worker sees the shared record and the "before us" figures on the person page.
    page = client_for(worker_b).get(reverse("people:person_detail", args=[made.code]))
    text = page.content.decode()
    assert 'id="before-us-panel"' in text and "玄関先で話せた" in text
    assert "2.0" in text and "11" in text


def test_decline_needs_a_reason_of_the_list(referral, coordinator_b, client_for):
    response = client_for(coordinator_b).post(
        reverse("referrals:referral_decline", args=[referral.code]), {"reason": ""}
    )
    assert response.status_code == 422
    referral.refresh_from_db()
    assert referral.state == "pending"


def test_the_sender_cannot_answer_its_own_referral(referral, coordinator_a, client_for):
    response = client_for(coordinator_a).post(
        reverse("referrals:referral_accept", args=[referral.code]), {}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "pending"


def test_the_receiver_sees_a_withdrawn_consent_on_the_linked_record(
    referral, coordinator_b, worker_b, client_for, consent_a, worker_a, org_b
):
    services.accept_referral(referral, by=coordinator_b, assign=worker_b.user)
    made = Person.objects.get(organisation=org_b)
    url = reverse("people:person_detail", args=[made.code])
    assert 'id="consent-withdrawn"' not in client_for(worker_b).get(url).content.decode()
    withdraw_consent(consent_a, by=worker_a.user)
    assert 'id="consent-withdrawn"' in client_for(worker_b).get(url).content.decode()


def test_the_letter_is_printed_only_while_the_consent_holds(
    referral, worker_a, client_for, consent_a
):
    client = client_for(worker_a)
    url = reverse("referrals:referral_letter", args=[referral.code])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"/EmbeddedFile" in response.content  # the export of the shared groups
    withdraw_consent(consent_a, by=worker_a.user)
    response = client.get(url)
    assert response.status_code == 302


def test_the_letter_is_the_senders(referral, coordinator_b, client_for):
    url = reverse("referrals:referral_letter", args=[referral.code])
    assert client_for(coordinator_b).get(url).status_code == 404


@pytest.mark.parametrize("who", ["worker_c", "analyst_a", "analyst_b"])
def test_a_third_organisation_and_analysts_get_404(request, referral, client_for, who):
    client = client_for(request.getfixturevalue(who))
    for name in ("referral_detail", "referral_letter", "referral_again"):
        assert client.get(reverse(f"referrals:{name}", args=[referral.code])).status_code == 404
    for name in ("referral_accept", "referral_decline", "referral_withdraw", "referral_done"):
        url = reverse(f"referrals:{name}", args=[referral.code])
        assert client.post(url, {}).status_code == 404
    referral.refresh_from_db()
    assert referral.state == "pending"


def test_the_analyst_list_is_empty(referral, client_for, analyst_b):
    assert client_for(analyst_b).get(reverse("referrals:referral_list")).status_code == 404


def test_settings_page(coordinator_b, worker_b, client_for):
    url = reverse("referrals:settings")
    assert client_for(worker_b).get(url).status_code == 404
    client = client_for(coordinator_b)
    assert client.post(url, {"form": "reason", "label": "定員超過"}).status_code == 302
    assert client.post(url, {"form": "reason", "label": "a\x00"}).status_code == 422
    assert (
        client.post(url, {"form": "settings", "age_limit": 40, "months_ahead": 3}).status_code
        == 302
    )
    assert (
        client.post(url, {"form": "settings", "age_limit": 400, "months_ahead": 3}).status_code
        == 422
    )
    assert "定員超過" in client.get(url).content.decode()


def test_people_approaching_the_age_limit(person_a, worker_a, client_for, org_a):
    today = org_a.today()
    person_a.birth_date = today.replace(year=today.year - 39) + dt.timedelta(days=40)
    person_a.save()
    page = client_for(worker_a).get(reverse("referrals:approaching")).content.decode()
    assert person_a.full_name in page and "Prepare a referral" in page


def test_the_admin_site_does_not_offer_referrals(admin_a, client_for):
    response = client_for(admin_a).get("/admin/referrals/referral/")
    assert response.status_code in (302, 403, 404)


# -- API ------------------------------------------------------------------------------------------


def post(client, url, body):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_sends_lists_and_answers(
    history_a, org_b, worker_a, coordinator_b, worker_b, consent_a, reason_b, api_client_for
):
    sender = api_client_for(worker_a)
    body = {"person": str(history_a.code), "recipient_organisation": str(org_b.code),
            "items": ITEMS}  # fmt: skip
    response = post(sender, "/api/v1/referrals", body)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    receiver = api_client_for(coordinator_b)
    incoming = receiver.get("/api/v1/referrals/incoming").json()
    assert [r["code"] for r in incoming] == [code] and incoming[0]["person_name"] == "山田 太郎"
    assert incoming[0]["before_us"]["attempts_before_reply"] == 11
    assert incoming[0]["person"] is None  # the sender's record code stays with the sender
    shared = receiver.get(f"/api/v1/referrals/{code}").json()["shared"]
    assert shared["family"] is None and "contacts" in shared["history"]
    response = post(receiver, f"/api/v1/referrals/{code}/decline", {"reason": str(reason_b.code)})
    assert response.json()["state"] == "declined"
    body["person"] = str(history_a.code)
    second = post(sender, "/api/v1/referrals", body).json()["code"]
    assert [r["state"] for r in sender.get("/api/v1/referrals/outgoing").json()] == [
        "pending", "declined",
    ]  # fmt: skip
    response = post(receiver, f"/api/v1/referrals/{second}/accept",
                    {"assign": str(worker_b.code)})  # fmt: skip
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    assert ProvisionRecord.objects.filter(organisation=org_b, direction="receipt").count() == 1
    response = post(receiver, f"/api/v1/referrals/{second}/done", {})
    assert response.json()["state"] == "done"


@pytest.mark.parametrize(
    "change",
    [
        {"items": ["profile", "diagnoses"]},
        {"items": "profile"},
        {"note": "a\x00b"},
        {"note": "x" * 20_001},
        {"kind": "sale"},
        {"colour": "red"},
        {"recipient_organisation": "not-a-code"},
        {"recipient_organisation": "00000000-0000-0000-0000-000000000000"},
        {"items": ["contacts"]},
    ],
)
def test_the_api_refuses_with_422(person_a, org_b, worker_a, consent_a, api_client_for, change):
    body = {"person": str(person_a.code), "recipient_organisation": str(org_b.code),
            "items": ["profile"], **change}  # fmt: skip
    response = post(api_client_for(worker_a), "/api/v1/referrals", body)
    assert response.status_code == 422, response.content
    assert not Referral.objects.exists()


def test_the_api_refuses_without_consent(person_a, org_b, worker_a, api_client_for):
    body = {"person": str(person_a.code), "recipient_organisation": str(org_b.code),
            "items": ["profile"]}  # fmt: skip
    response = post(api_client_for(worker_a), "/api/v1/referrals", body)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "basis"


def test_the_api_does_not_refer_another_organisations_person(
    person_a, org_b, worker_b, api_client_for, consent_a
):
    body = {"person": str(person_a.code), "recipient_organisation": str(org_b.code),
            "items": ["profile"]}  # fmt: skip
    assert post(api_client_for(worker_b), "/api/v1/referrals", body).status_code == 404


@pytest.mark.parametrize("who", ["worker_c", "analyst_a", "analyst_b"])
def test_the_api_gives_404_to_third_organisations_and_analysts(
    request, referral, api_client_for, who
):
    client = api_client_for(request.getfixturevalue(who))
    assert client.get(f"/api/v1/referrals/{referral.code}").status_code == 404
    for action in ("accept", "decline", "withdraw", "done"):
        body = {"reason": str(referral.code)} if action == "decline" else {}
        response = post(client, f"/api/v1/referrals/{referral.code}/{action}", body)
        assert response.status_code == 404
    for listing in ("incoming", "outgoing"):
        response = client.get(f"/api/v1/referrals/{listing}")
        assert response.status_code == 404 or response.json() == []


def test_the_api_sender_cannot_accept(referral, worker_a, api_client_for):
    response = post(api_client_for(worker_a), f"/api/v1/referrals/{referral.code}/accept", {})
    assert response.status_code == 422


def test_a_transfer_accepted_through_the_page_closes_the_senders_case(
    person_a, org_b, coordinator_a, coordinator_b, worker_b, consent_a, client_for
):
    referral = services.send_referral(
        person_a, by=coordinator_a, recipient_organisation=org_b, items=["profile"],
        kind="transfer", handover_note="手紙から",
    )  # fmt: skip
    response = client_for(coordinator_b).post(
        reverse("referrals:referral_accept", args=[referral.code]), {"assign": worker_b.user.pk}
    )
    assert response.status_code == 302
    assert not person_a.cases.get().is_open


def test_a_transfer_accepted_through_the_api_closes_the_senders_case(
    person_a, org_b, coordinator_a, coordinator_b, worker_b, consent_a, api_client_for
):
    referral = services.send_referral(
        person_a, by=coordinator_a, recipient_organisation=org_b, items=["profile"],
        kind="transfer", handover_note="手紙から",
    )  # fmt: skip
    client = api_client_for(coordinator_b)
    url = f"/api/v1/referrals/{referral.code}/accept"
    assert post(client, url, {}).status_code == 422  # who takes the case over?
    assert person_a.cases.get().is_open
    response = post(client, url, {"assign": str(worker_b.code)})
    assert response.status_code == 200, response.content
    assert not person_a.cases.get().is_open
