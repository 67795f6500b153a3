"""The invited account's side: see pending invitations, accept or decline them."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from ibasho.accounts import services
from ibasho.accounts.middleware import SESSION_KEY
from ibasho.accounts.models import Invitation, Membership, Role, User
from ibasho.audit.models import AuditEntry


@pytest.fixture
def invitation(admin_a, worker_b) -> Invitation:  # type: ignore[no-untyped-def]
    return services.invite(admin_a.organisation, "worker_b", Role.COORDINATOR, by=admin_a.user)


@pytest.mark.django_db
class TestInvitationList:
    def test_the_invited_account_sees_it(self, client_for, worker_b, invitation, org_a):
        response = client_for(worker_b).get(reverse("invitation_list"))
        assert list(response.context["invitations"]) == [invitation]
        assert org_a.name in response.content.decode()

    def test_others_do_not(self, client_for, worker_a, admin_a, invitation):
        for member in (worker_a, admin_a):
            response = client_for(member).get(reverse("invitation_list"))
            assert list(response.context["invitations"]) == []

    def test_answered_invitations_are_not_listed(self, client_for, worker_b, invitation):
        services.decline_invitation(invitation, by=worker_b.user)
        response = client_for(worker_b).get(reverse("invitation_list"))
        assert list(response.context["invitations"]) == []

    def test_signed_out_goes_to_login(self, client):
        assert client.get(reverse("invitation_list")).status_code == 302


@pytest.mark.django_db
class TestNotice:
    def test_the_navigation_shows_a_pending_invitation(self, client_for, worker_b, invitation):
        client = client_for(worker_b)
        page = reverse("people:organisation_overview")
        assert reverse("invitation_list") in client.get(page).content.decode()
        services.decline_invitation(invitation, by=worker_b.user)
        assert reverse("invitation_list") not in client.get(page).content.decode()

    def test_no_notice_for_others(self, client_for, worker_a, invitation):
        html = client_for(worker_a).get(reverse("people:organisation_overview")).content.decode()
        assert reverse("invitation_list") not in html

    def test_an_account_with_no_membership_lands_on_its_invitations(self, admin_a, org_a):
        User.objects.create_user(username="newcomer", password=PASSWORD)
        services.invite(org_a, "newcomer", Role.WORKER, by=admin_a.user)
        client = Client()
        client.login(username="newcomer", password=PASSWORD)
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("invitation_list")

    def test_an_account_with_no_membership_and_no_invitation_gets_404(self, db):
        User.objects.create_user(username="nobody", password=PASSWORD)
        client = Client()
        client.login(username="nobody", password=PASSWORD)
        assert client.get(reverse("home")).status_code == 404


@pytest.mark.django_db
class TestAccept:
    def test_accepting_joins_and_switches_to_the_organisation(
        self, client_for, worker_b, invitation, org_a
    ):
        client = client_for(worker_b)
        response = client.post(reverse("invitation_accept", args=[invitation.code]))
        assert response.status_code == 302 and response["Location"] == reverse("home")
        membership = Membership.objects.get(organisation=org_a, user=worker_b.user)
        assert membership.role == Role.COORDINATOR and membership.is_active
        assert client.session[SESSION_KEY] == str(org_a.code)
        assert {"accounts.invitation.accepted", "accounts.membership.created"} <= set(
            AuditEntry.objects.filter(actor=worker_b.user).values_list("action", flat=True)
        )

    def test_someone_elses_invitation_is_404(self, client_for, worker_a, admin_a, invitation):
        for member in (worker_a, admin_a):
            client = client_for(member)
            assert (
                client.post(reverse("invitation_accept", args=[invitation.code])).status_code == 404
            )
            assert (
                client.post(reverse("invitation_decline", args=[invitation.code])).status_code
                == 404
            )
        assert Invitation.objects.get().state == Invitation.State.PENDING
        assert Membership.objects.filter(organisation=admin_a.organisation).count() == 2

    def test_an_invitation_to_an_unknown_name_is_nobodys(self, client_for, admin_a, worker_b):
        invitation = services.invite(admin_a.organisation, "nobody", Role.ADMIN, by=admin_a.user)
        url = reverse("invitation_accept", args=[invitation.code])
        assert client_for(worker_b).post(url).status_code == 404

    def test_a_withdrawn_invitation_gives_a_message(
        self, client_for, worker_b, admin_a, invitation
    ):
        services.withdraw_invitation(invitation, by=admin_a.user)
        response = client_for(worker_b).post(
            reverse("invitation_accept", args=[invitation.code]), follow=True
        )
        assert response.status_code == 200
        assert "already been answered" in response.content.decode()
        assert not Membership.objects.filter(
            organisation=admin_a.organisation, user=worker_b.user
        ).exists()

    def test_get_is_not_allowed(self, client_for, worker_b, invitation):
        url = reverse("invitation_accept", args=[invitation.code])
        assert client_for(worker_b).get(url).status_code == 405


@pytest.mark.django_db
class TestDecline:
    def test_declining_leaves_no_membership(self, client_for, worker_b, invitation, org_a):
        client_for(worker_b).post(reverse("invitation_decline", args=[invitation.code]))
        invitation.refresh_from_db()
        assert invitation.state == Invitation.State.DECLINED
        assert not Membership.objects.filter(organisation=org_a, user=worker_b.user).exists()
        assert AuditEntry.objects.filter(
            action="accounts.invitation.declined", organisation=org_a
        ).exists()
