from functools import cache
from typing import Any

from django.http import HttpRequest

from ibasho.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the badge in the header of every page (one query, when shown)."""
    membership = getattr(request, "membership", None)
    if membership is None or not request.user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return Notification.objects.visible_to(membership).unread().count()

    return {"unread_notifications": count}
