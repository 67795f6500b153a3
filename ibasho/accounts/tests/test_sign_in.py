"""Signing in: the second factor (enrolment, codes, recovery codes, grace, reset), sessions
that end (idle, absolute lifetime, everywhere), passwords (policy, change, reset by e-mail,
admin-issued), the client address behind proxies and the lockout."""

import re
import time

import pyotp
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from ibasho.accounts import lockout, services, twofactor
from ibasho.accounts.http import client_ip
from ibasho.accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from ibasho.accounts.models import User
from ibasho.audit.models import AuditEntry


def sign_in(username: str, password: str = PASSWORD) -> tuple[Client, object]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def assert_link_sets_a_password_once(username: str) -> None:
    """Follow the e-mailed link, choose a password, sign in with it; the link is then spent."""
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    new = "quiet lantern harbour 7"
    data = {"new_password1": new, "new_password2": new}
    assert client.post(form_page.request["PATH_INFO"], data).status_code == 302
    _, response = sign_in(username, new)
    assert response.status_code == 302
    assert not Client().get(link, follow=True).context["validlink"]


def enrol(user: User) -> pyotp.TOTP:
    device = twofactor.pending_device(user)
    totp = pyotp.TOTP(twofactor.secret_of(device))
    assert twofactor.confirm(device, totp.now(), by=user)
    return totp


def later_code(totp: pyotp.TOTP) -> str:
    """The next step's code: a code already used is never accepted twice."""
    return totp.at(time.time() + 30)


@pytest.fixture
def short_grace(settings):  # type: ignore[no-untyped-def]
    settings.IBASHO_SECOND_FACTOR_GRACE_LOGINS = 2


class TestSecondFactor:
    def test_enrolment_from_the_page_gives_recovery_codes(self, client_for, coordinator_a):
        client = client_for(coordinator_a)
        page = client.get(reverse("two_factor_enrol")).content.decode()
        assert "<svg" in page
        secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
        done = client.post(reverse("two_factor_enrol"), {"code": pyotp.TOTP(secret).now()})
        assert len(done.context["codes"]) == twofactor.RECOVERY_CODES
        assert TOTPDevice.objects.get(user=coordinator_a.user).confirmed
        assert AuditEntry.objects.filter(action="accounts.second_factor.enrolled").exists()

    def test_a_wrong_code_enrols_nothing(self, client_for, coordinator_a):
        client = client_for(coordinator_a)
        client.get(reverse("two_factor_enrol"))
        response = client.post(reverse("two_factor_enrol"), {"code": "000000"})
        assert response.status_code == 200 and "codes" not in response.context
        assert not twofactor.has_factor(coordinator_a.user)

    def test_sign_in_asks_the_code_before_anything_else(self, coordinator_a, person_a):
        totp = enrol(coordinator_a.user)
        client, response = sign_in("coordinator_a")
        assert response.url == reverse("home")
        person = reverse("people:person_detail", args=[person_a.code])
        assert client.get(person).url == reverse("two_factor_verify")
        assert client.post(reverse("two_factor_verify"), {"code": "123456"}).status_code == 200
        assert client.get(person).status_code == 302
        time.sleep(1.1)  # a wrong code makes the device wait (1 s, then doubling)
        client.post(reverse("two_factor_verify"), {"code": later_code(totp)})
        assert client.get(person).status_code == 200

    def test_a_recovery_code_works_once(self, coordinator_a):
        enrol(coordinator_a.user)
        code = StaticToken.objects.filter(device__user=coordinator_a.user).first().token
        client, _ = sign_in("coordinator_a")
        client.post(reverse("two_factor_verify"), {"code": code})
        assert client.get(reverse("account_security")).status_code == 200
        again, _ = sign_in("coordinator_a")
        again.post(reverse("two_factor_verify"), {"code": code})
        assert again.get(reverse("account_security")).url == reverse("two_factor_verify")

    def test_coordinators_get_a_grace_period_then_must_enrol(self, coordinator_a, short_grace):
        for _ in range(2):
            client, _ = sign_in("coordinator_a")
            assert client.get(reverse("account_security")).status_code == 200
        client, _ = sign_in("coordinator_a")
        assert client.get(reverse("account_security")).url == reverse("two_factor_enrol")

    def test_workers_need_none_unless_the_organisation_asks(self, worker_a, short_grace):
        for _ in range(3):
            client, _ = sign_in("worker_a")
            assert client.get(reverse("account_security")).status_code == 200
        worker_a.organisation.second_factor_for_all = True
        worker_a.organisation.save()
        for _ in range(2):  # the grace period starts when the organisation asks
            client, _ = sign_in("worker_a")
            assert client.get(reverse("account_security")).status_code == 200
        client, _ = sign_in("worker_a")
        assert client.get(reverse("account_security")).url == reverse("two_factor_enrol")

    def test_an_admin_reset_ends_sessions_and_asks_enrolment_at_once(
        self, client_for, admin_a, coordinator_a
    ):
        totp = enrol(coordinator_a.user)
        member_client, _ = sign_in("coordinator_a")
        member_client.post(reverse("two_factor_verify"), {"code": later_code(totp)})
        assert member_client.get(reverse("account_security")).status_code == 200
        client_for(admin_a).post(reverse("member_factor_reset", args=[coordinator_a.code]))
        assert member_client.get(reverse("account_security")).status_code == 302
        assert not twofactor.has_factor(coordinator_a.user)
        entry = AuditEntry.objects.get(action="accounts.second_factor.reset")
        assert entry.actor == admin_a.user and entry.target_code == str(coordinator_a.code)
        client, _ = sign_in("coordinator_a")
        assert client.get(reverse("account_security")).url == reverse("two_factor_enrol")

    def test_only_an_admin_of_the_members_organisation_resets(
        self, client_for, coordinator_a, worker_a, worker_b
    ):
        enrol(coordinator_a.user)
        url = reverse("member_factor_reset", args=[coordinator_a.code])
        assert client_for(worker_a).post(url).status_code == 404
        assert client_for(worker_b).post(url).status_code == 404
        assert twofactor.has_factor(coordinator_a.user)


class TestSessions:
    def test_an_idle_session_ends(self, client_for, worker_a, org_a):
        client = client_for(worker_a)
        session = client.session
        session[LAST_SEEN] = time.time() - org_a.idle_timeout_minutes * 60 - 5
        session.save()
        response = client.get(reverse("account_security"))
        assert response.url.startswith(reverse("login") + "?ended=1")
        assert client.get(reverse("account_security")).status_code == 302

    def test_activity_keeps_it(self, client_for, worker_a, org_a):
        client = client_for(worker_a)
        session = client.session
        session[LAST_SEEN] = time.time() - org_a.idle_timeout_minutes * 60 + 30
        session.save()
        assert client.post(reverse("keep_alive")).status_code == 204
        assert client.get(reverse("account_security")).status_code == 200

    def test_the_organisation_sets_the_timeout(self, client_for, worker_a, org_a):
        org_a.idle_timeout_minutes = 5
        org_a.save()
        client = client_for(worker_a)
        session = client.session
        session[LAST_SEEN] = time.time() - 6 * 60
        session.save()
        assert client.get(reverse("account_security")).status_code == 302

    def test_a_session_ends_after_its_absolute_lifetime(self, client_for, worker_a, settings):
        client = client_for(worker_a)
        session = client.session
        session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
        session.save()
        assert client.get(reverse("account_security")).status_code == 302

    def test_sessions_end_at_browser_close_and_are_not_cached(self, client_for, worker_a, settings):
        assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        response = client_for(worker_a).get(reverse("account_security"))
        assert "no-store" in response["Cache-Control"]

    def test_sign_out_everywhere(self, client_for, worker_a):
        here, elsewhere = client_for(worker_a), client_for(worker_a)
        here.post(reverse("sign_out_everywhere"))
        assert elsewhere.get(reverse("account_security")).status_code == 302
        assert here.get(reverse("account_security")).status_code == 302
        assert AuditEntry.objects.filter(action="accounts.sessions.ended").exists()


class TestPasswords:
    @pytest.mark.parametrize(
        "password", ["12345678901234", "short-pw", "password1234", "worker_a-2024x"]
    )
    def test_the_policy_refuses(self, worker_a, password):
        with pytest.raises(ValidationError):
            validate_password(password, worker_a.user)

    def test_a_change_keeps_this_session_ends_others_and_is_audited(self, client_for, worker_a):
        here, elsewhere = client_for(worker_a), client_for(worker_a)
        new = "quiet lantern harbour 7"
        response = here.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        assert here.get(reverse("account_security")).status_code == 200
        assert elsewhere.get(reverse("account_security")).status_code == 302
        assert AuditEntry.objects.filter(action="accounts.password.changed").exists()

    def test_an_issued_password_must_be_changed_at_first_sign_in(
        self, client_for, admin_a, worker_a
    ):
        page = client_for(admin_a).post(reverse("member_password", args=[worker_a.code]))
        issued = page.context["password"]
        assert AuditEntry.objects.filter(action="accounts.password.issued").exists()
        client, _ = sign_in("worker_a", issued)
        assert client.get(reverse("people:person_list")).url == reverse("password_change")
        new = "quiet lantern harbour 7"
        client.post(
            reverse("password_change"),
            {"old_password": issued, "new_password1": new, "new_password2": new},
        )
        assert client.get(reverse("account_security")).status_code == 200
        worker_a.user.refresh_from_db()
        assert not worker_a.user.must_change_password

    def test_reset_by_e_mail_works_once(self, worker_a):
        User.objects.filter(pk=worker_a.user.pk).update(email="worker@example.org")
        Client().post(reverse("password_reset"), {"email": "worker@example.org"})
        assert_link_sets_a_password_once("worker_a")
        assert AuditEntry.objects.filter(action="accounts.password.changed").exists()

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self, worker_a):
        response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
        assert response.url == reverse("password_reset_done") and not mail.outbox


class TestClientAddress:
    def request(self, peer: str, forwarded: str = "") -> object:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)

    def test_forwarded_for_is_ignored_from_anyone_but_a_trusted_proxy(self, settings):
        settings.IBASHO_TRUSTED_PROXIES = ["10.0.0.0/8"]
        assert client_ip(self.request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"

    def test_a_trusted_proxy_names_the_client(self, settings):
        settings.IBASHO_TRUSTED_PROXIES = ["10.0.0.0/8"]
        assert client_ip(self.request("10.0.0.2", "198.51.100.1")) == "198.51.100.1"
        # A client cannot hide behind an address it wrote itself: the rightmost untrusted wins.
        assert client_ip(self.request("10.0.0.2", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
        assert client_ip(self.request("10.0.0.2", "garbage")) == "10.0.0.2"

    def test_without_proxies_the_peer_is_the_client(self, settings):
        settings.IBASHO_TRUSTED_PROXIES = []
        assert client_ip(self.request("10.0.0.2", "198.51.100.1")) == "10.0.0.2"


class TestLockout:
    def test_delays_grow_and_stop_at_an_hour(self, settings):
        limit = settings.IBASHO_LOCK_ACCOUNT_AFTER
        delays = [lockout.delay_after(limit + n).total_seconds() for n in range(12)]
        assert delays[0] == 60 and delays == sorted(delays) and delays[-1] == 3600

    def test_an_address_that_fails_often_is_refused_without_locking_accounts(
        self, worker_a, settings
    ):
        from axes.models import AccessAttempt

        settings.IBASHO_LOCK_ADDRESS_AFTER = 3
        for i in range(3):
            AccessAttempt.objects.create(
                username=f"someone{i}", ip_address="127.0.0.1", failures_since_start=1
            )
        client, response = sign_in("worker_a")
        assert response.status_code == 429
        assert "admin" in response.content.decode()
        assert not AccessAttempt.objects.filter(username="worker_a").exists()

    def test_an_admin_unlocks_a_member_with_an_audit(self, client_for, admin_a, worker_a):
        from axes.models import AccessAttempt

        AccessAttempt.objects.create(
            username="worker_a", ip_address="192.0.2.1", failures_since_start=9
        )
        client_for(admin_a).post(reverse("member_unlock", args=[worker_a.code]))
        assert not AccessAttempt.objects.filter(username="worker_a").exists()
        assert AuditEntry.objects.filter(action="accounts.lock.lifted").exists()

    def test_the_lockout_page_speaks_both_languages(self, rf, db):
        from django.utils import translation

        for language, words in (("ja", "管理者"), ("en", "admin")):
            with translation.override(language):
                request = rf.get("/login/")
                request.user = AnonymousUser()
                html = lockout.lockout_page(request, minutes=4).content.decode()
            assert "4" in html and words in html


class TestLockoutInUse:
    """django-axes as configured: the account pauses, a colleague elsewhere is not locked."""

    @pytest.fixture(autouse=True)
    def axes_on(self, settings):  # type: ignore[no-untyped-def]
        settings.AXES_ENABLED = True

    def test_an_account_pauses_after_repeated_failures(self, worker_a, coordinator_a, settings):
        for _ in range(settings.IBASHO_LOCK_ACCOUNT_AFTER):
            sign_in("worker_a", "wrong password here")
        _, response = sign_in("worker_a")  # even the right password waits
        assert response.status_code == 429
        html = response.content.decode()
        # Each attempt while paused lengthens the pause: 1 minute, then 2, 4…
        assert re.search(r"again in [12] minutes?", html) and "admin" in html
        _, other = sign_in("coordinator_a")
        assert other.status_code == 302

    def test_an_admin_unlock_lets_the_member_in_at_once(
        self, client_for, admin_a, worker_a, settings
    ):
        for _ in range(settings.IBASHO_LOCK_ACCOUNT_AFTER):
            sign_in("worker_a", "wrong password here")
        client_for(admin_a).post(reverse("member_unlock", args=[worker_a.code]))
        _, response = sign_in("worker_a")
        assert response.status_code == 302


class TestInvitationsByEmail:
    def test_a_new_colleague_chooses_a_password_from_the_e_mailed_link(self, client_for, admin_a):
        data = {
            "username": "hikari",
            "display_name": "田中 光",
            "email": "hikari@example.org",
            "role": "worker",
            "send_link": "on",
        }
        with self.captured_on_commit():
            page = client_for(admin_a).post(reverse("staff_create"), data)
        assert page.context["password"] is None and "hikari@example.org" in page.content.decode()
        user = User.objects.get(username="hikari")
        assert not user.has_usable_password()
        assert_link_sets_a_password_once("hikari")

    def test_a_link_needs_an_address(self, client_for, admin_a):
        data = {"username": "hikari", "display_name": "光", "role": "worker", "send_link": "on"}
        page = client_for(admin_a).post(reverse("staff_create"), data)
        assert page.status_code == 200 and "email" in page.context["form"].errors
        assert not User.objects.filter(username="hikari").exists() and not mail.outbox

    def test_an_invited_account_hears_of_it_by_e_mail(self, client_for, admin_a, worker_b):
        User.objects.filter(pk=worker_b.user.pk).update(email="b@example.org")
        with self.captured_on_commit():
            client_for(admin_a).post(
                reverse("staff_invite"), {"invited_as": "worker_b", "role": "worker"}
            )
        assert mail.outbox[0].to == ["b@example.org"]
        assert "/invitations/" in mail.outbox[0].body

    @staticmethod
    def captured_on_commit():  # type: ignore[no-untyped-def]
        from django.test import TestCase

        return TestCase.captureOnCommitCallbacks(execute=True)


class TestOrganisationSecurity:
    def test_an_admin_asks_every_member_for_a_second_factor(self, client_for, admin_a, org_a):
        data = {"second_factor_for_all": "on", "idle_timeout_minutes": 15}
        assert client_for(admin_a).post(reverse("organisation_security"), data).status_code == 302
        org_a.refresh_from_db()
        assert org_a.second_factor_for_all and org_a.idle_timeout_minutes == 15
        entry = AuditEntry.objects.get(action="accounts.organisation.security_changed")
        assert entry.fields == ["idle_timeout_minutes", "second_factor_for_all"]

    @pytest.mark.parametrize("minutes", [0, 4, 241, 100000, -1])
    def test_impossible_timeouts_are_refused(self, client_for, admin_a, org_a, minutes):
        data = {"idle_timeout_minutes": minutes}
        assert client_for(admin_a).post(reverse("organisation_security"), data).status_code == 200
        org_a.refresh_from_db()
        assert org_a.idle_timeout_minutes == 30

    def test_the_service_refuses_too(self, admin_a, org_a):
        with pytest.raises(ValidationError):
            services.set_security(
                org_a, second_factor_for_all=False, idle_timeout_minutes=1, by=admin_a.user
            )

    def test_only_admins(self, client_for, coordinator_a, worker_b):
        for member in (coordinator_a, worker_b):
            assert client_for(member).get(reverse("organisation_security")).status_code == 404


def test_platform_operators_need_a_second_factor(db, short_grace):
    User.objects.create_superuser("operator", password=PASSWORD)
    for _ in range(2):
        sign_in("operator")
    client, _ = sign_in("operator")
    assert client.get("/admin/").url == reverse("two_factor_enrol")


def test_the_user_is_read_with_their_memberships(worker_a, org_b, django_assert_num_queries):
    """Every request reads the signed-in user and then their memberships: both are asked for
    together (one round trip on PostgreSQL), and the middleware reads no more."""
    from django.db import connection

    from ibasho.accounts.sessions import MEMBERSHIPS, PreparedModelBackend

    Membership = type(worker_a)
    Membership.objects.create(organisation=org_b, user=worker_a.user, role="worker")
    modes = []

    def noting_the_mode(execute, sql, params, many, context):
        raw = connection.connection
        modes.append(raw.pgconn.pipeline_status if connection.vendor == "postgresql" else None)
        return execute(sql, params, many, context)

    with django_assert_num_queries(2), connection.execute_wrapper(noting_the_mode):
        user = PreparedModelBackend().get_user(worker_a.user_id)
    assert user == worker_a.user
    assert user.memberships_read == MEMBERSHIPS.fetch(user=worker_a.user_id)
    assert [m.organisation_id for m in user.memberships_read] == [
        worker_a.organisation_id,
        org_b.pk,
    ]
    if connection.vendor == "postgresql":
        from psycopg import pq

        assert modes == [pq.PipelineStatus.ON, pq.PipelineStatus.ON]
    assert PreparedModelBackend().get_user("not a number") is None
    worker_a.user.is_active = False
    worker_a.user.save()
    assert PreparedModelBackend().get_user(worker_a.user_id) is None
