"""The API's one guard. A bearer token names a membership; every operation runs in the scope
of that membership's organisation, and `member(request)` lets in the roles that may read
personal records (anyone else gets 404, as for a record that does not exist)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from ibasho.accounts.http import AppRequest, client_ip
from ibasho.accounts.models import CASE_ROLES, ApiToken, Membership, hash_token
from ibasho.accounts.tenancy import organisation_scope
from ibasho.audit.context import Origin, request_origin

_UNREAD = object()


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def token_for(raw: str, ip: str | None = None) -> ApiToken | None:
    """The usable (not revoked, not expired, member still active) token with this value."""
    found = (
        ApiToken.objects.usable()
        .select_related("membership__organisation", "membership__user")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if found is None:
        return None
    # Touch at most once a minute (or from a new address) so reads stay reads.
    now = timezone.now()
    stale = found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60
    if stale or found.last_used_ip != ip:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now, last_used_ip=ip)
    return found


def membership_for_token(raw: str) -> Membership | None:
    found = token_for(raw)
    return found.membership if found else None


def token_membership(request: HttpRequest) -> Membership | None:
    """The membership named by the request's bearer token, looked up once per request."""
    found = getattr(request, "token_membership", _UNREAD)
    if found is _UNREAD:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        token = token_for(raw.strip(), client_ip(request)) if scheme.lower() == "bearer" else None
        found = token.membership if token else None
        cast(AppRequest, request).token_membership = found
        cast(AppRequest, request).api_token_id = token.pk if token else None
        cast(AppRequest, request).api_token_writes = bool(token and token.writes)
    return cast(Membership | None, found)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        return token_membership(request)


def in_token_scope(run: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps every API operation, from authentication to the serialised response (lazy
    querysets are read then): the caller is the token's membership, and queries see its
    organisation only. Without a valid token nothing is in scope and the operation answers 401;
    a read token may not write (403)."""

    @wraps(run)
    def operation(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        membership = token_membership(request)
        if (
            membership is not None
            and request.method not in SAFE_METHODS
            and not getattr(request, "api_token_writes", False)
        ):
            detail = "This token may only read; writing needs a write token."
            return JsonResponse({"detail": detail}, status=403)
        typed = cast(AppRequest, request)
        typed.membership = membership  # never the session's: the API trusts its token only
        typed.user = membership.user if membership else AnonymousUser()
        origin = Origin("api", client_ip(request), getattr(request, "api_token_id", None))
        with (
            request_origin(origin),
            organisation_scope(membership.organisation_id if membership else None),
        ):
            return run(request, *args, **kwargs)

    return operation


def member_or_404(request: HttpRequest, *roles: str) -> Membership:
    """The caller's membership, if its role is one of `roles` (by default the roles that work
    with personal records). Anyone else gets 404, so that a record's existence is not revealed."""
    membership = token_membership(request)
    if membership is None or membership.role not in (roles or CASE_ROLES):
        raise HttpError(404, "Not found")
    return membership
