from typing import Any

from django.http import HttpRequest


def membership(request: HttpRequest) -> dict[str, Any]:
    """The organisation the user works under and the others they can switch to (both read by
    the middleware)."""
    return {
        "membership": getattr(request, "membership", None),
        "other_memberships": getattr(request, "other_memberships", []),
    }
