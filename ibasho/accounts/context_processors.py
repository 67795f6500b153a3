from typing import Any

from django.http import HttpRequest

from ibasho.accounts.middleware import idle_seconds


def membership(request: HttpRequest) -> dict[str, Any]:
    """The organisation the user works under, the others they can switch to, and whether an
    invitation awaits them (all read by the middleware)."""
    return {
        "membership": getattr(request, "membership", None),
        "other_memberships": getattr(request, "other_memberships", []),
        "has_invitations": getattr(request, "has_invitations", False),
        "idle_seconds": idle_seconds(request),
    }
