import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ibasho.accounts.models import Organisation
from ibasho.notifications.models import Notification
from ibasho.outreach.models import CloseReason, Closure, Handover
from ibasho.people.models import Case, Consent, Person
from ibasho.people.services import record_consent, withdraw_consent
from ibasho.provisions.models import ProvisionRecord
from ibasho.referrals import services
from ibasho.referrals.consent import sharing_allowed
from ibasho.referrals.models import DeclineReason, ReceivedHistory, Referral

ITEMS = ["profile", "contacts"]


def send(person, by, to, **values):  # type: ignore[no-untyped-def]
    values.setdefault("items", ITEMS)
    return services.send_referral(person, by=by, recipient_organisation=to, **values)


# -- the consent check --------------------------------------------------------------------------


def test_no_consent_refuses_and_says_what_is_missing(person_a, org_b):
    with translation.override("en"):
        decision = sharing_allowed(person_a, org_b, ITEMS, on=person_a.organisation.today())
    assert not decision and decision.missing == "consent"
    assert "No consent" in decision.reason


def test_a_consent_in_force_allows(person_a, org_b, consent_a):
    decision = sharing_allowed(person_a, org_b, ITEMS, on=person_a.organisation.today())
    assert decision and decision.basis == "consent" and decision.consent == consent_a


def test_a_withdrawn_consent_refuses_from_its_withdrawal(person_a, org_b, consent_a, worker_a):
    withdraw_consent(consent_a, by=worker_a.user)
    with translation.override("en"):
        decision = sharing_allowed(person_a, org_b, ITEMS, on=person_a.organisation.today())
    assert not decision and decision.withdrawn_on == consent_a.withdrawn_on
    assert "withdrawn" in decision.reason


def test_a_family_proxy_consent_allows(person_a, org_b, worker_a, household_a):
    mother = household_a.members.get(relationship="mother")
    record_consent(
        person_a, by=worker_a.user, purpose=Consent.Purpose.SHARING, given_by_person=False,
        proxy=mother,
    )  # fmt: skip
    with translation.override("en"):
        decision = sharing_allowed(person_a, org_b, ITEMS, on=person_a.organisation.today())
    assert decision and "family member" in decision.reason


def test_a_consent_to_another_purpose_does_not_count(person_a, org_b, worker_a):
    record_consent(person_a, by=worker_a.user, purpose=Consent.Purpose.CONTACT)
    assert not sharing_allowed(person_a, org_b, ITEMS, on=person_a.organisation.today())


# -- sending ------------------------------------------------------------------------------------


def test_sending_snapshots_trust_and_records_the_provision(
    history_a, org_b, consent_a, worker_a, coordinator_b
):
    referral = send(history_a, worker_a, org_b, note="手紙が好きな方です")
    assert referral.state == Referral.State.PENDING and referral.basis == "consent"
    assert referral.two_way_minutes == 120 and referral.attempts_before_reply == 11
    assert referral.replied and referral.months_of_contact >= 12
    record = ProvisionRecord.objects.get(organisation=history_a.organisation)
    assert record.direction == "provision" and record.items == ITEMS
    assert record.counterpart_code == org_b.code and record.reference == referral.reference
    assert Notification.objects.filter(
        organisation=org_b, recipient=coordinator_b.user, kind="referrals.received"
    ).exists()


def test_sending_without_consent_is_refused(person_a, org_b, worker_a):
    with pytest.raises(ValidationError) as refused:
        send(person_a, worker_a, org_b)
    assert "basis" in refused.value.message_dict
    assert not Referral.objects.exists() and not ProvisionRecord.objects.exists()


def test_sending_after_the_consent_is_withdrawn_is_refused(person_a, org_b, worker_a, consent_a):
    withdraw_consent(consent_a, by=worker_a.user)
    with pytest.raises(ValidationError):
        send(person_a, worker_a, org_b)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"items": []}, "items"),
        ({"items": ["contacts"]}, "items"),  # the profile is always shared
        ({"items": ["profile", "diagnoses"]}, "items"),
        ({"items": "profile"}, "items"),
        ({"note": "a\x00b"}, "note"),
        ({"note": "x" * 20_001}, "note"),
        ({"kind": "sale"}, "kind"),
        ({"kind": "transfer", "handover_note": "引き継ぎ"}, "kind"),  # a worker may not
        ({"recipient_name": "外の機関"}, "recipient_organisation"),  # both given
    ],
)
def test_sending_refusals(person_a, org_b, worker_a, consent_a, values, field):
    with pytest.raises(ValidationError) as refused:
        send(person_a, worker_a, org_b, **values)
    assert field in refused.value.message_dict
    assert not Referral.objects.exists()


def test_one_cannot_refer_to_ones_own_organisation(person_a, worker_a, consent_a):
    with pytest.raises(ValidationError):
        send(person_a, worker_a, person_a.organisation)


def test_another_organisations_member_cannot_send(person_a, org_b, worker_b, consent_a):
    with pytest.raises(ValidationError):
        send(person_a, worker_b, org_b)


def test_a_second_referral_to_the_same_organisation_waits_for_the_first(
    person_a, org_b, worker_a, consent_a
):
    send(person_a, worker_a, org_b)
    with pytest.raises(ValidationError):
        send(person_a, worker_a, org_b)


# -- answering ----------------------------------------------------------------------------------


def test_decline_then_send_again_then_accept(
    history_a, org_b, worker_a, coordinator_b, reason_b, consent_a, worker_b
):
    first = send(history_a, worker_a, org_b)
    services.decline_referral(first, by=coordinator_b, reason=reason_b, note="来月なら")
    first.refresh_from_db()
    assert first.state == Referral.State.DECLINED and first.decline_reason == reason_b.label
    assert Notification.objects.filter(kind="referrals.declined", recipient=worker_a.user)
    second = services.send_again(first, by=worker_a, items=["profile", "family", "contacts"])
    assert second.previous == first and second.state == Referral.State.PENDING
    services.accept_referral(second, by=coordinator_b, assign=worker_b.user)
    second.refresh_from_db()
    assert second.state == Referral.State.ACCEPTED
    made = Person.objects.get(organisation=org_b)
    assert made.full_name == history_a.full_name and made.own_words == history_a.own_words
    assert made.household.members.count() == 2
    assert made.cases.get().workers.get() == worker_b.user
    received = ReceivedHistory.objects.get(person=made)
    assert received.two_way_minutes == 120 and received.attempts_before_reply == 11
    assert [e["text"] for e in received.history["contacts"]][-1].endswith("玄関先で話せた")
    # Nothing of the receiver's own: no contacts copied into its trust figures.
    assert not made.contacts.exists()
    receipts = ProvisionRecord.objects.filter(organisation=org_b, direction="receipt")
    assert receipts.get().person == made
    assert ProvisionRecord.objects.filter(organisation=history_a.organisation).count() == 2
    assert Notification.objects.filter(kind="referrals.accepted", recipient=worker_a.user)


def test_only_the_shared_groups_reach_the_receiver(
    person_a, org_b, worker_a, coordinator_b, consent_a
):
    referral = send(person_a, worker_a, org_b, items=["profile"])
    services.accept_referral(referral, by=coordinator_b)
    made = Person.objects.get(organisation=org_b)
    assert made.household is None
    assert ReceivedHistory.objects.get(person=made).history == {}


def test_accepting_after_the_consent_is_withdrawn_copies_nothing(
    person_a, org_b, worker_a, coordinator_b, consent_a
):
    referral = send(person_a, worker_a, org_b)
    withdraw_consent(consent_a, by=worker_a.user)
    with pytest.raises(ValidationError):
        services.accept_referral(referral, by=coordinator_b)
    assert not Person.objects.filter(organisation=org_b).exists()
    assert not ProvisionRecord.objects.filter(organisation=org_b).exists()


@pytest.mark.parametrize("who", ["worker_b", "worker_a", "worker_c", "analyst_b"])
def test_only_the_receivers_coordinators_answer(
    request, person_a, org_b, worker_a, consent_a, reason_b, who
):
    referral = send(person_a, worker_a, org_b)
    member = request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        services.accept_referral(referral, by=member)
    with pytest.raises(ValidationError):
        services.decline_referral(referral, by=member, reason=reason_b)
    referral.refresh_from_db()
    assert referral.state == Referral.State.PENDING


def test_a_reason_of_another_organisation_or_no_longer_offered_is_refused(
    person_a, org_b, org_c, worker_a, coordinator_b, consent_a, reason_b
):
    referral = send(person_a, worker_a, org_b)
    theirs = DeclineReason.objects.create(organisation=org_c, label="他")
    with pytest.raises(ValidationError):
        services.decline_referral(referral, by=coordinator_b, reason=theirs)
    services.set_decline_reason_offered(reason_b, by=coordinator_b, active=False)
    with pytest.raises(ValidationError):
        services.decline_referral(referral, by=coordinator_b, reason=reason_b)
    with pytest.raises(ValidationError):
        services.decline_referral(referral, by=coordinator_b, reason=None)


def test_an_answered_referral_cannot_be_answered_or_withdrawn_again(
    person_a, org_b, worker_a, coordinator_b, consent_a, reason_b
):
    referral = send(person_a, worker_a, org_b)
    services.accept_referral(referral, by=coordinator_b)
    for act in (
        lambda: services.accept_referral(referral, by=coordinator_b),
        lambda: services.decline_referral(referral, by=coordinator_b, reason=reason_b),
        lambda: services.withdraw_referral(referral, by=worker_a),
        lambda: services.send_again(referral, by=worker_a, items=ITEMS),
    ):
        with pytest.raises(ValidationError):
            act()
    assert Person.objects.filter(organisation=org_b).count() == 1


def test_withdraw_by_the_sender_notifies_the_receiver(
    person_a, org_b, worker_a, coordinator_b, consent_a
):
    referral = send(person_a, worker_a, org_b)
    with pytest.raises(ValidationError):
        services.withdraw_referral(referral, by=coordinator_b)  # not the sender
    services.withdraw_referral(referral, by=worker_a)
    referral.refresh_from_db()
    assert referral.state == Referral.State.WITHDRAWN
    assert Notification.objects.filter(kind="referrals.withdrawn", recipient=coordinator_b.user)
    with pytest.raises(ValidationError):
        services.accept_referral(referral, by=coordinator_b)


def test_done_by_the_receiver_after_acceptance(person_a, org_b, worker_a, coordinator_b, consent_a):
    referral = send(person_a, worker_a, org_b)
    with pytest.raises(ValidationError):
        services.mark_done(referral, by=coordinator_b)  # not accepted yet
    services.accept_referral(referral, by=coordinator_b)
    with pytest.raises(ValidationError):
        services.mark_done(referral, by=worker_a)  # the sender does not say so
    services.mark_done(referral, by=coordinator_b)
    referral.refresh_from_db()
    assert referral.state == Referral.State.DONE
    assert Notification.objects.filter(kind="referrals.done", recipient=worker_a.user)


def test_an_outside_referral_is_done_by_the_sender(person_a, worker_a, consent_a):
    referral = services.send_referral(
        person_a, by=worker_a, recipient_name="○○市福祉事務所", items=ITEMS
    )
    assert referral.outside
    services.mark_done(referral, by=worker_a)
    referral.refresh_from_db()
    assert referral.state == Referral.State.DONE


# -- transfer -----------------------------------------------------------------------------------


def test_a_transfer_closes_the_senders_case_only_on_acceptance(
    history_a, org_b, coordinator_a, coordinator_b, worker_b, consent_a
):
    referral = send(
        history_a, coordinator_a, org_b, kind="transfer", handover_note="手紙から始めてください"
    )
    case = Case.objects.get(person=history_a)
    assert case.is_open
    with pytest.raises(ValidationError) as refused:
        services.accept_referral(referral, by=coordinator_b)  # who takes it over?
    assert "assign" in refused.value.message_dict
    case.refresh_from_db()
    assert case.is_open
    services.accept_referral(referral, by=coordinator_b, assign=worker_b.user)
    case.refresh_from_db()
    assert not case.is_open
    closure = Closure.objects.get(case=case)
    assert closure.reason == CloseReason.TRANSFERRED and closure.status == "approved"
    made = Person.objects.get(organisation=org_b)
    handover = Handover.objects.get(case__person=made)
    assert handover.to_worker == worker_b.user and handover.note == "手紙から始めてください"
    records = ProvisionRecord.objects.filter(via="transfer")
    assert {r.organisation_id for r in records} == {history_a.organisation_id, org_b.pk}


def test_a_declined_transfer_leaves_the_case_open(
    person_a, org_b, coordinator_a, coordinator_b, consent_a, reason_b
):
    referral = send(person_a, coordinator_a, org_b, kind="transfer", handover_note="メモ")
    services.decline_referral(referral, by=coordinator_b, reason=reason_b)
    assert Case.objects.get(person=person_a).is_open


# -- the organisation's settings ------------------------------------------------------------------


def test_decline_reasons_and_age_limit_are_for_coordinators(coordinator_b, worker_b):
    reason = services.add_decline_reason(by=coordinator_b, label="対象年齢外")
    assert reason.organisation == coordinator_b.organisation
    for bad in ("", "a\x00b", "x" * 101, "対象年齢外"):
        with pytest.raises(ValidationError):
            services.add_decline_reason(by=coordinator_b, label=bad)
    with pytest.raises(ValidationError):
        services.add_decline_reason(by=worker_b, label="別の理由")
    found = services.change_settings(by=coordinator_b, age_limit=40, months_ahead=12)
    assert (found.age_limit, found.months_ahead) == (40, 12)
    for age, months in ((0, 6), (200, 6), (39, 0), (39, 1000)):
        with pytest.raises(ValidationError):
            services.change_settings(by=coordinator_b, age_limit=age, months_ahead=months)


def test_the_organisation_list_offers_every_other_organisation(org_a, org_b):
    assert set(Organisation.objects.exclude(pk=org_a.pk)) == {org_b}


# -- a support meeting as the basis ---------------------------------------------------------------


@pytest.fixture
def meeting(person_a, org_b, coordinator_a, worker_a):  # type: ignore[no-untyped-def]
    from ibasho.meetings import access as meeting_access
    from ibasho.meetings import services as meetings

    found = meetings.create_meeting(
        coordinator_a, title="支援会議", held_on=person_a.organisation.today(),
        law="self_reliance_9", organisations=[org_b],
    )  # fmt: skip
    meetings.add_member(meeting_access.meeting_for(coordinator_a, found.code), worker_a)
    seat = meeting_access.meeting_for(worker_a, found.code)
    meetings.acknowledge(seat)
    seat = meeting_access.meeting_for(worker_a, found.code)
    meetings.share(seat, meetings.bring_person(seat, person_a), items=["profile"])
    return found


def test_a_support_meeting_is_a_basis_without_consent(
    person_a, org_b, org_c, worker_a, coordinator_b, meeting
):
    on = person_a.organisation.today()
    decision = sharing_allowed(person_a, org_b, ITEMS, on=on, meeting_code=meeting.code)
    assert decision and decision.basis == "support_meeting"
    # Not for an organisation that was not at the meeting.
    assert not sharing_allowed(person_a, org_c, ITEMS, on=on, meeting_code=meeting.code)
    referral = send(person_a, worker_a, org_b, meeting_code=meeting.code)
    assert referral.basis == "support_meeting"
    record = ProvisionRecord.objects.get(organisation=person_a.organisation, via="referral")
    assert record.basis == "support_meeting"
    services.accept_referral(referral, by=coordinator_b)
    receipt = ProvisionRecord.objects.get(organisation=org_b, direction="receipt", via="referral")
    assert receipt.basis == "support_meeting"


def test_a_withdrawn_meeting_is_no_basis(person_a, org_b, worker_a, coordinator_a, meeting):
    from ibasho.meetings import services as meetings

    meetings.withdraw_meeting(meeting, by=coordinator_a.user)
    on = person_a.organisation.today()
    assert not sharing_allowed(person_a, org_b, ITEMS, on=on, meeting_code=meeting.code)
    with pytest.raises(ValidationError):
        send(person_a, worker_a, org_b, meeting_code=meeting.code)
