import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ibasho.accounts.http import AppRequest, client_ip
from ibasho.accounts.models import Membership
from ibasho.accounts.sessions import MEMBERSHIPS
from ibasho.accounts.tenancy import organisation_scope, scopes_disabled
from ibasho.audit.context import Origin, request_origin

SESSION_KEY = "active_organisation"


def memberships_of(request: HttpRequest) -> tuple[Membership | None, list[Membership]]:
    """The membership the signed-in user is working under (the organisation chosen in this
    session, else their first one) and their other memberships, read in one query that also
    tells whether an invitation awaits them (`invited`, the same on every row)."""
    user = request.user
    if not user.is_authenticated:
        return None, []
    # Read with the user, in the same round trip (ibasho.accounts.sessions), where it was.
    mine = getattr(user, "memberships_read", None)
    if mine is None:
        mine = MEMBERSHIPS.fetch(user=user.pk)
    for membership in mine:
        membership.user = user  # type: ignore[assignment]  # already loaded for this request
    chosen = request.session.get(SESSION_KEY)
    current = next((m for m in mine if str(m.organisation.code) == chosen), None)
    if current is None and mine:
        current = mine[0]
    return current, [m for m in mine if m is not current]


@contextmanager
def request_scope(request: AppRequest) -> Iterator[None]:
    """The organisation scope of a web request: that of the membership it works under. Platform
    superusers manage every organisation in the Django admin, so there the scope is lifted."""
    if request.user.is_superuser and request.path_info.startswith(reverse("admin:index")):
        with scopes_disabled():
            yield
    else:
        with organisation_scope(getattr(request.membership, "organisation_id", None)):
            yield


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        typed = cast(AppRequest, request)
        typed.membership, typed.other_memberships = memberships_of(request)
        typed.has_invitations = getattr(typed.membership, "invited", False)
        with request_origin(Origin("web", client_ip(request))), request_scope(typed):
            return self.get_response(request)


# What a sign-in leaves in its session (ibasho.accounts.signals) and the gate reads, so that a
# request costs no query for it.
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
FACTOR_PENDING = "second_factor_pending"
MUST_ENROL = "second_factor_enrol"
MUST_CHANGE = "must_change_password"
# A request records activity at most this often (a session write each time).
TOUCH_EVERY = 60


def idle_seconds(request: HttpRequest) -> int:
    """The idle timeout: the organisation's, under the installation's ceiling, if any."""
    membership = getattr(request, "membership", None)
    minutes = membership.organisation.idle_timeout_minutes if membership else 30
    ceiling = settings.IBASHO_IDLE_TIMEOUT_SECONDS
    return min(minutes * 60, ceiling) if ceiling else minutes * 60


def _open_path(path: str) -> bool:
    """Paths a half-signed-in session may still reach: signing out, changing language, assets."""
    return path.startswith(
        (settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,)
    ) or path in {reverse("logout"), reverse("set_language")}


class AccountGateMiddleware:
    """Ends sessions that were idle too long or are older than the absolute lifetime, and keeps
    a session that still owes something (a second-factor code, enrolment, a new password) on
    the page that asks for it. The API is not concerned: it reads tokens, not sessions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.path_info.startswith("/api/"):
            return self.get_response(request)
        session = request.session
        now = time.time()
        signed_in = session.setdefault(SIGNED_IN_AT, now)
        last = session.get(LAST_SEEN, now)
        idle = idle_seconds(request)
        if now - last > idle or now - signed_in > settings.SESSION_ABSOLUTE_SECONDS:
            logout(request)
            path = request.get_full_path()
            return redirect(f"{reverse('login')}?ended=1&{urlencode({'next': path})}")
        if now - last >= min(TOUCH_EVERY, idle / 4):
            session[LAST_SEEN] = now
        owed = self._owed(request)
        if owed and request.path_info != owed and not _open_path(request.path_info):
            return redirect(owed)
        return self.get_response(request)

    def _owed(self, request: HttpRequest) -> str | None:
        session = request.session
        if session.get(FACTOR_PENDING):
            if request.user.is_verified():  # type: ignore[union-attr]
                del session[FACTOR_PENDING]
            else:
                return reverse("two_factor_verify")
        if session.get(MUST_ENROL):
            return reverse("two_factor_enrol")
        if session.get(MUST_CHANGE):
            return reverse("password_change")
        return None
