"""Typed requests: what the middleware and the guards put on a request, for the type checker."""

import ipaddress
from functools import lru_cache

from django.conf import settings
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
    api_token_writes: bool


class MemberRequest(AppRequest):
    """A request let in by a guard (`member_required` on the web, `member` in the API): a
    signed-in member of staff working under `membership`."""

    user: User
    membership: Membership


@lru_cache(maxsize=8)
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.IBASHO_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. X-Forwarded-For is believed only from a configured proxy
    (IBASHO_TRUSTED_PROXIES), read from the right: the first address that is not itself a
    trusted proxy is the client. Anyone else could write any address into that header."""
    peer = request.META.get("REMOTE_ADDR") or None
    if peer is None or not _trusted(peer):
        return peer
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return peer  # a malformed chain: keep the address we know
        if not _trusted(address):
            return address
    return peer
