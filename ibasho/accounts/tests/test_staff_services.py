"""The staff rules, through the services every door uses."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import make_member
from ibasho.accounts import services
from ibasho.accounts.models import Invitation, Membership, Role, User
from ibasho.audit.models import AuditEntry


@pytest.fixture(autouse=True)
def _in_english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def actions(organisation) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        AuditEntry.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
class TestChangeRole:
    def test_it_changes_the_role_and_audits_the_field_name(self, admin_a, worker_a):
        assert services.change_role(worker_a, Role.COORDINATOR, by=admin_a.user)
        worker_a.refresh_from_db()
        assert worker_a.role == Role.COORDINATOR
        entry = AuditEntry.objects.get(action="accounts.membership.role_changed")
        assert entry.fields == ["role"] and entry.target_code == str(worker_a.code)
        assert entry.actor == admin_a.user and entry.organisation == admin_a.organisation

    def test_the_same_role_is_no_change_and_no_entry(self, admin_a, worker_a):
        assert not services.change_role(worker_a, Role.WORKER, by=admin_a.user)
        assert not AuditEntry.objects.exists()

    def test_the_last_admin_cannot_be_demoted(self, admin_a):
        with pytest.raises(ValidationError, match="at least one active admin"):
            services.change_role(admin_a, Role.WORKER, by=admin_a.user)
        admin_a.refresh_from_db()
        assert admin_a.role == Role.ADMIN and not AuditEntry.objects.exists()

    def test_an_admin_may_step_down_when_another_remains(self, admin_a, org_a):
        make_member(org_a, "admin_a2", Role.ADMIN)
        assert services.change_role(admin_a, Role.COORDINATOR, by=admin_a.user)

    def test_an_admin_whose_account_is_disabled_does_not_count(self, admin_a, org_a):
        other = make_member(org_a, "admin_a2", Role.ADMIN)
        User.objects.filter(pk=other.user_id).update(is_active=False)
        with pytest.raises(ValidationError):
            services.change_role(admin_a, Role.WORKER, by=admin_a.user)

    def test_an_admin_of_another_organisation_does_not_count(self, admin_a, org_b):
        make_member(org_b, "admin_b", Role.ADMIN)
        with pytest.raises(ValidationError):
            services.change_role(admin_a, Role.WORKER, by=admin_a.user)

    def test_an_unknown_role_is_refused(self, admin_a, worker_a):
        with pytest.raises(ValidationError):
            services.change_role(worker_a, "owner", by=admin_a.user)


@pytest.mark.django_db
class TestActive:
    def test_deactivate_then_reactivate_are_audited(self, admin_a, worker_a):
        assert services.set_membership_active(worker_a, False, by=admin_a.user)
        assert not Membership.objects.get(pk=worker_a.pk).is_active
        assert services.set_membership_active(worker_a, True, by=admin_a.user)
        assert Membership.objects.get(pk=worker_a.pk).is_active
        assert actions(admin_a.organisation) == [
            "accounts.membership.deactivated",
            "accounts.membership.reactivated",
        ]
        assert AuditEntry.objects.filter(fields=["is_active"]).count() == 2

    def test_the_last_admin_cannot_be_deactivated(self, admin_a):
        with pytest.raises(ValidationError, match="at least one active admin"):
            services.set_membership_active(admin_a, False, by=admin_a.user)
        assert Membership.objects.get(pk=admin_a.pk).is_active

    def test_a_deactivated_admin_is_not_an_admin_to_keep(self, admin_a, org_a):
        other = make_member(org_a, "admin_a2", Role.ADMIN)
        services.set_membership_active(other, False, by=admin_a.user)
        with pytest.raises(ValidationError):
            services.change_role(admin_a, Role.WORKER, by=admin_a.user)


@pytest.mark.django_db
class TestCreateStaffAccount:
    def test_it_creates_an_account_and_membership_with_a_valid_one_time_password(
        self, admin_a, org_a
    ):
        membership, password = services.create_staff_account(
            org_a,
            username="sato",
            display_name="佐藤 花",
            display_name_kana="さとう はな",
            email="sato@example.jp",
            role=Role.WORKER,
            by=admin_a.user,
        )
        user = membership.user
        assert membership.organisation == org_a and membership.role == Role.WORKER
        assert user.check_password(password) and password not in user.password
        assert user.display_name_kana == "サトウハナ"
        entry = AuditEntry.objects.get(action="accounts.membership.created")
        assert entry.target_code == str(membership.code) and "role" in entry.fields
        assert "sato" not in str(entry.fields) and password not in str(entry.fields)

    def test_passwords_differ_between_accounts(self, admin_a, org_a):
        first = services.create_staff_account(
            org_a, username="a1", display_name="A", role=Role.WORKER, by=admin_a.user
        )
        second = services.create_staff_account(
            org_a, username="a2", display_name="B", role=Role.WORKER, by=admin_a.user
        )
        assert first[1] != second[1]

    def test_a_taken_username_is_refused_on_the_field(self, admin_a, org_a, worker_b):
        with pytest.raises(ValidationError) as caught:
            services.create_staff_account(
                org_a, username="WORKER_B", display_name="X", role=Role.WORKER, by=admin_a.user
            )
        assert "username" in caught.value.message_dict
        assert not Membership.objects.filter(organisation=org_a, user=worker_b.user).exists()

    def test_a_bad_username_is_refused(self, admin_a, org_a):
        with pytest.raises(ValidationError) as caught:
            services.create_staff_account(
                org_a, username="a b/c", display_name="X", role=Role.WORKER, by=admin_a.user
            )
        assert "username" in caught.value.message_dict
        assert not User.objects.filter(username="a b/c").exists()


@pytest.mark.django_db
class TestInvitations:
    def test_inviting_an_existing_account_creates_no_membership(self, admin_a, org_a, worker_b):
        invitation = services.invite(org_a, "worker_b", Role.WORKER, by=admin_a.user)
        assert invitation.user == worker_b.user and invitation.state == Invitation.State.PENDING
        assert not Membership.objects.filter(organisation=org_a, user=worker_b.user).exists()
        entry = AuditEntry.objects.get(action="accounts.invitation.sent")
        assert entry.target_code == str(invitation.code)
        assert entry.fields == ["invited_as", "role"]

    def test_an_unknown_account_is_invited_just_the_same(self, admin_a, org_a):
        invitation = services.invite(org_a, "nobody@example.jp", Role.WORKER, by=admin_a.user)
        assert invitation.user is None and invitation.state == Invitation.State.PENDING
        assert AuditEntry.objects.filter(action="accounts.invitation.sent").exists()

    def test_by_email_finds_the_account(self, admin_a, org_a, worker_b):
        User.objects.filter(pk=worker_b.user_id).update(email="B@Example.jp")
        invitation = services.invite(org_a, "b@example.jp", Role.COORDINATOR, by=admin_a.user)
        assert invitation.user == worker_b.user

    def test_an_email_shared_by_two_accounts_finds_neither(self, admin_a, org_a, worker_b):
        User.objects.filter(pk__in=[worker_b.user_id, admin_a.user_id]).update(
            email="shared@example.jp"
        )
        invitation = services.invite(org_a, "shared@example.jp", Role.WORKER, by=admin_a.user)
        assert invitation.user is None

    def test_a_disabled_account_is_not_found(self, admin_a, org_a, worker_b):
        User.objects.filter(pk=worker_b.user_id).update(is_active=False)
        assert services.invite(org_a, "worker_b", Role.WORKER, by=admin_a.user).user is None

    def test_inviting_a_member_is_refused_clearly(self, admin_a, org_a, worker_a):
        with pytest.raises(ValidationError, match="already a member"):
            services.invite(org_a, "worker_a", Role.WORKER, by=admin_a.user)
        assert not Invitation.objects.exists()

    def test_inviting_a_deactivated_member_points_to_reactivation(self, admin_a, org_a, worker_a):
        services.set_membership_active(worker_a, False, by=admin_a.user)
        with pytest.raises(ValidationError, match="reactivate"):
            services.invite(org_a, "worker_a", Role.WORKER, by=admin_a.user)

    def test_a_second_pending_invitation_for_the_same_name_is_refused(
        self, admin_a, org_a, worker_b
    ):
        services.invite(org_a, "worker_b", Role.WORKER, by=admin_a.user)
        with pytest.raises(ValidationError, match="already a pending invitation"):
            services.invite(org_a, "Worker_B", Role.ADMIN, by=admin_a.user)

    def test_accepting_creates_the_membership_and_audits_both(self, admin_a, org_a, worker_b):
        invitation = services.invite(org_a, "worker_b", Role.COORDINATOR, by=admin_a.user)
        membership = services.accept_invitation(invitation, by=worker_b.user)
        assert membership.organisation == org_a and membership.role == Role.COORDINATOR
        invitation.refresh_from_db()
        assert invitation.state == Invitation.State.ACCEPTED and invitation.answered_at
        assert actions(org_a)[-2:] == [
            "accounts.invitation.accepted",
            "accounts.membership.created",
        ]
        assert AuditEntry.objects.filter(actor=worker_b.user).count() == 2

    def test_only_the_invited_account_can_accept_or_decline(self, admin_a, org_a, worker_b):
        invitation = services.invite(org_a, "worker_b", Role.ADMIN, by=admin_a.user)
        for stranger in (admin_a.user, None):
            with pytest.raises(ValidationError):
                services.accept_invitation(invitation, by=stranger)
            with pytest.raises(ValidationError):
                services.decline_invitation(invitation, by=stranger)
        assert Membership.objects.filter(organisation=org_a).count() == 1

    def test_an_answered_invitation_cannot_be_answered_again(self, admin_a, org_a, worker_b):
        invitation = services.invite(org_a, "worker_b", Role.WORKER, by=admin_a.user)
        services.decline_invitation(invitation, by=worker_b.user)
        with pytest.raises(ValidationError, match="already been answered"):
            services.accept_invitation(invitation, by=worker_b.user)
        with pytest.raises(ValidationError, match="already been answered"):
            services.withdraw_invitation(invitation, by=admin_a.user)
        assert not Membership.objects.filter(organisation=org_a, user=worker_b.user).exists()
        assert "accounts.invitation.declined" in actions(org_a)

    def test_a_withdrawn_invitation_cannot_be_accepted(self, admin_a, org_a, worker_b):
        invitation = services.invite(org_a, "worker_b", Role.WORKER, by=admin_a.user)
        services.withdraw_invitation(invitation, by=admin_a.user)
        with pytest.raises(ValidationError):
            services.accept_invitation(invitation, by=worker_b.user)
        assert Invitation.objects.get().state == Invitation.State.WITHDRAWN
        assert "accounts.invitation.withdrawn" in actions(org_a)

    def test_accepting_answers_every_pending_invitation_of_that_organisation(
        self, admin_a, org_a, worker_b
    ):
        User.objects.filter(pk=worker_b.user_id).update(email="b@example.jp")
        first = services.invite(org_a, "worker_b", Role.WORKER, by=admin_a.user)
        services.invite(org_a, "b@example.jp", Role.ADMIN, by=admin_a.user)
        services.accept_invitation(first, by=worker_b.user)
        assert not Invitation.objects.pending().exists()
        assert Membership.objects.get(organisation=org_a, user=worker_b.user).role == Role.WORKER


@pytest.mark.django_db
class TestAddMembership:
    def test_it_seats_an_account_and_audits(self, admin_a, org_b, worker_a):
        membership = services.add_membership(org_b, worker_a.user, Role.ADMIN, by=admin_a.user)
        assert membership.organisation == org_b
        assert AuditEntry.objects.get(organisation=org_b).action == "accounts.membership.created"

    def test_it_refuses_a_second_membership(self, admin_a, org_a, worker_a):
        with pytest.raises(ValidationError, match="already a member"):
            services.add_membership(org_a, worker_a.user, Role.ADMIN, by=admin_a.user)
