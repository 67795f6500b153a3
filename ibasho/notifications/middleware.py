from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ibasho.lib.prepared import ride_along, riders_welcome
from ibasho.notifications.context_processors import UNREAD


class UnreadCountMiddleware:
    """Asks for the unread count early, so that it goes with the page's first queries asked
    together (ibasho.lib.prepared.together) rather than in a round trip of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with riders_welcome():
            membership = getattr(request, "membership", None)
            if membership is not None and request.user.is_authenticated:
                request.unread_asked = ride_along(  # type: ignore[attr-defined]
                    UNREAD.later(membership=membership)
                )
            return self.get_response(request)
