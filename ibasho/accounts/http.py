"""Typed requests: what the middleware and the guards put on a request, for the type checker."""

from django.http import HttpRequest

from ibasho.accounts.models import Membership, User


class AppRequest(HttpRequest):
    """Any request, once `ActiveMembershipMiddleware` has run (web) or the API has read its
    token: the membership the caller works under, if any."""

    membership: Membership | None
    other_memberships: list[Membership]
    has_invitations: bool
    # The membership named by an API request's bearer token (looked up once per request).
    token_membership: Membership | None
    api_token_id: int | None


class MemberRequest(AppRequest):
    """A request let in by a guard (`member_required` on the web, `member` in the API): a
    signed-in member of staff working under `membership`."""

    user: User
    membership: Membership


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the server saw it."""
    return request.META.get("REMOTE_ADDR") or None
