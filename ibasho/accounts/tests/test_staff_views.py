"""The Staff page and its actions: organisation admins only, their own organisation only."""

import re

import pytest
from django.urls import reverse

from conftest import make_member
from ibasho.accounts.models import Invitation, Membership, Role, User
from ibasho.audit.models import AuditEntry


@pytest.fixture
def admin_b(org_b):  # type: ignore[no-untyped-def]
    return make_member(org_b, "admin_b", Role.ADMIN)


STAFF_PAGES = ["staff_list", "staff_create", "staff_invite"]


@pytest.mark.django_db
class TestWhoGetsIn:
    @pytest.mark.parametrize("name", STAFF_PAGES)
    def test_the_organisation_admin_does(self, client_for, admin_a, name):
        assert client_for(admin_a).get(reverse(name)).status_code == 200

    @pytest.mark.parametrize("name", STAFF_PAGES)
    @pytest.mark.parametrize("persona", ["worker_a", "coordinator_a", "analyst_a", "worker_b"])
    def test_other_roles_and_outsiders_get_404(self, client_for, request, persona, name):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(reverse(name)).status_code == 404

    def test_signed_out_goes_to_login(self, client, org_a):
        response = client.get(reverse("staff_list"))
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
class TestStaffList:
    def test_it_lists_only_the_organisations_own_staff(
        self, client_for, admin_a, worker_a, worker_b, admin_b
    ):
        response = client_for(admin_a).get(reverse("staff_list"))
        listed = list(response.context["staff"])
        assert set(listed) == {admin_a, worker_a}
        html = response.content.decode()
        assert "worker_a" in html and "worker_b" not in html and "admin_b" not in html
        assert str(worker_a.code) in html and f"/{worker_a.pk}/" not in html

    def test_its_queries_do_not_grow_with_the_staff(
        self, client_for, admin_a, org_a, django_assert_num_queries
    ):
        client = client_for(admin_a)
        client.get(reverse("staff_list"))
        with django_assert_num_queries(6) as few:  # 5, and the notifications badge
            client.get(reverse("staff_list"))
        for n in range(5):
            make_member(org_a, f"extra{n}", Role.WORKER)
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(reverse("staff_list"))

    def test_the_navigation_offers_it_to_admins_only(self, client_for, admin_a, worker_a):
        staff = reverse("staff_list")
        assert (
            staff
            in client_for(admin_a).get(reverse("people:organisation_overview")).content.decode()
        )
        assert (
            staff
            not in client_for(worker_a)
            .get(reverse("people:organisation_overview"))
            .content.decode()
        )


@pytest.mark.django_db
class TestRoleChange:
    def test_admin_changes_a_role(self, client_for, admin_a, worker_a):
        url = reverse("membership_role", args=[worker_a.code])
        response = client_for(admin_a).post(url, {"role": Role.COORDINATOR})
        assert response.status_code == 302 and response["Location"] == reverse("staff_list")
        assert Membership.objects.get(pk=worker_a.pk).role == Role.COORDINATOR
        assert AuditEntry.objects.filter(action="accounts.membership.role_changed").count() == 1

    def test_demoting_the_last_admin_is_refused_with_a_message(self, client_for, admin_a):
        client = client_for(admin_a)
        url = reverse("membership_role", args=[admin_a.code])
        response = client.post(url, {"role": Role.WORKER}, follow=True)
        assert Membership.objects.get(pk=admin_a.pk).role == Role.ADMIN
        assert "at least one active admin" in response.content.decode()

    def test_an_admin_stepping_down_goes_home(self, client_for, admin_a, org_a):
        make_member(org_a, "admin_a2", Role.ADMIN)
        url = reverse("membership_role", args=[admin_a.code])
        response = client_for(admin_a).post(url, {"role": Role.COORDINATOR})
        assert response["Location"] == reverse("home")
        assert Membership.objects.get(pk=admin_a.pk).role == Role.COORDINATOR

    def test_a_bad_role_is_a_message_not_an_error(self, client_for, admin_a, worker_a):
        url = reverse("membership_role", args=[worker_a.code])
        response = client_for(admin_a).post(url, {"role": "owner"}, follow=True)
        assert response.status_code == 200 and "Choose a valid role" in response.content.decode()
        assert Membership.objects.get(pk=worker_a.pk).role == Role.WORKER

    def test_get_is_not_allowed(self, client_for, admin_a, worker_a):
        url = reverse("membership_role", args=[worker_a.code])
        assert client_for(admin_a).get(url).status_code == 405

    def test_another_organisations_membership_is_404(self, client_for, admin_a, admin_b, worker_b):
        for target in (worker_b, admin_b):
            url = reverse("membership_role", args=[target.code])
            assert client_for(admin_a).post(url, {"role": Role.ANALYST}).status_code == 404
        assert Membership.objects.get(pk=worker_b.pk).role == Role.WORKER
        assert not AuditEntry.objects.exists()

    @pytest.mark.parametrize("persona", ["worker_a", "coordinator_a", "analyst_a", "worker_b"])
    def test_only_the_admin_may(self, client_for, request, persona, admin_a, worker_a):
        url = reverse("membership_role", args=[worker_a.code])
        client = client_for(request.getfixturevalue(persona))
        assert client.post(url, {"role": Role.ADMIN}).status_code == 404
        assert Membership.objects.get(pk=worker_a.pk).role == Role.WORKER


@pytest.mark.django_db
class TestDeactivation:
    def test_deactivate_and_reactivate(self, client_for, admin_a, worker_a):
        client = client_for(admin_a)
        client.post(reverse("membership_deactivate", args=[worker_a.code]))
        assert not Membership.objects.get(pk=worker_a.pk).is_active
        # The deactivated member has lost the organisation.
        assert client_for(worker_a).get(reverse("people:person_list")).status_code == 404
        client.post(reverse("membership_reactivate", args=[worker_a.code]))
        assert Membership.objects.get(pk=worker_a.pk).is_active
        assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
            "accounts.membership.deactivated",
            "accounts.membership.reactivated",
        ]

    def test_the_last_admin_cannot_deactivate_themselves(self, client_for, admin_a):
        url = reverse("membership_deactivate", args=[admin_a.code])
        response = client_for(admin_a).post(url, follow=True)
        assert Membership.objects.get(pk=admin_a.pk).is_active
        assert "at least one active admin" in response.content.decode()

    def test_another_organisations_membership_is_404(self, client_for, admin_a, worker_b):
        for name in ("membership_deactivate", "membership_reactivate"):
            url = reverse(name, args=[worker_b.code])
            assert client_for(admin_a).post(url).status_code == 404
        assert Membership.objects.get(pk=worker_b.pk).is_active

    def test_an_outsider_admin_cannot_touch_a_staff(self, client_for, admin_b, worker_a):
        url = reverse("membership_deactivate", args=[worker_a.code])
        assert client_for(admin_b).post(url).status_code == 404
        assert Membership.objects.get(pk=worker_a.pk).is_active


@pytest.mark.django_db
class TestNewAccount:
    def test_admin_creates_an_account_and_sees_its_password_once(self, client_for, admin_a, org_a):
        response = client_for(admin_a).post(
            reverse("staff_create"),
            {
                "username": "suzuki",
                "display_name": "鈴木 一郎",
                "display_name_kana": "スズキ イチロウ",
                "email": "suzuki@example.jp",
                "role": Role.COORDINATOR,
            },
        )
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        password = response.context["password"]
        membership = Membership.objects.get(user__username="suzuki")
        assert membership.organisation == org_a and membership.role == Role.COORDINATOR
        assert membership.user.check_password(password)
        assert password in response.content.decode()
        assert AuditEntry.objects.filter(
            action="accounts.membership.created", target_code=str(membership.code)
        ).exists()
        # Signing in with it works.
        from django.test import Client

        assert Client().login(username="suzuki", password=password)

    def test_a_taken_username_is_shown_on_the_form(self, client_for, admin_a, worker_b):
        response = client_for(admin_a).post(
            reverse("staff_create"),
            {"username": "worker_b", "display_name": "X", "role": Role.WORKER},
        )
        assert response.status_code == 200
        assert "This username is taken" in response.content.decode()
        assert Membership.objects.filter(user=worker_b.user).count() == 1

    def test_missing_fields_are_shown(self, client_for, admin_a):
        response = client_for(admin_a).post(reverse("staff_create"), {"role": Role.WORKER})
        assert response.status_code == 200 and response.context["form"].errors
        assert User.objects.count() == 1

    def test_only_the_admin_may_post(self, client_for, worker_a):
        response = client_for(worker_a).post(
            reverse("staff_create"), {"username": "x", "display_name": "X", "role": Role.ADMIN}
        )
        assert response.status_code == 404 and not User.objects.filter(username="x").exists()


@pytest.mark.django_db
class TestInvite:
    def test_the_answer_is_the_same_whether_or_not_the_account_exists(
        self, client_for, admin_a, worker_b
    ):
        client = client_for(admin_a)
        known = client.post(
            reverse("staff_invite"), {"invited_as": "worker_b", "role": Role.WORKER}, follow=True
        )
        unknown = client.post(
            reverse("staff_invite"), {"invited_as": "nobody", "role": Role.WORKER}, follow=True
        )
        assert known.redirect_chain == unknown.redirect_chain == [(reverse("staff_list"), 302)]
        told = [
            [str(m).replace(who, "…") for m in r.context["messages"]]
            for r, who in ((known, "worker_b"), (unknown, "nobody"))
        ]
        assert told[0] == told[1]
        html = unknown.content.decode()
        rows = [
            re.search(rf'<tr id="invitation-{i.code}">.*?</tr>', html, re.S)
            .group(0)  # type: ignore[union-attr]
            .replace(str(i.code), "…")
            .replace(i.invited_as, "…")
            for i in Invitation.objects.all()
        ]
        assert rows[0] == rows[1]
        assert "Worker_B" not in html  # the found account's own name is not shown
        assert not Membership.objects.filter(
            organisation=admin_a.organisation, user=worker_b.user
        ).exists()

    def test_inviting_a_member_shows_a_clear_message(self, client_for, admin_a, worker_a):
        response = client_for(admin_a).post(
            reverse("staff_invite"), {"invited_as": "worker_a", "role": Role.ADMIN}
        )
        assert response.status_code == 200
        assert "already a member of this organisation" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_withdraw(self, client_for, admin_a, worker_b):
        client = client_for(admin_a)
        client.post(reverse("staff_invite"), {"invited_as": "worker_b", "role": Role.WORKER})
        invitation = Invitation.objects.get()
        client.post(reverse("invitation_withdraw", args=[invitation.code]))
        invitation.refresh_from_db()
        assert invitation.state == Invitation.State.WITHDRAWN
        assert AuditEntry.objects.filter(action="accounts.invitation.withdrawn").exists()

    def test_another_organisations_invitation_is_404(self, client_for, admin_a, admin_b, worker_a):
        client_for(admin_b).post(
            reverse("staff_invite"), {"invited_as": "worker_a", "role": Role.WORKER}
        )
        invitation = Invitation.objects.get()
        url = reverse("invitation_withdraw", args=[invitation.code])
        assert client_for(admin_a).post(url).status_code == 404
        assert client_for(worker_a).post(url).status_code == 404
        assert Invitation.objects.get().state == Invitation.State.PENDING
        page = client_for(admin_a).get(reverse("staff_list"))
        assert list(page.context["invitations"]) == []


@pytest.mark.django_db
def test_the_staff_page_speaks_japanese(admin_a):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    client.force_login(admin_a.user)
    html = client.get(reverse("staff_list")).content.decode()
    assert "スタッフ" in html and "既存のアカウントを招待" in html and "役割を変更" in html
