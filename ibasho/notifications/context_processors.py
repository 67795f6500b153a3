from functools import cache
from typing import Any

from django.http import HttpRequest

from ibasho.lib.prepared import Prepared, counted
from ibasho.notifications.models import Notification

# Read on every page: compiled once (ibasho.lib.prepared).
UNREAD = Prepared(
    Notification,
    lambda member: counted(Notification.objects.visible_to(member).unread()),
    per_member=True,
)


def unread(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the badge in the header of every page (one query, when shown)."""
    membership = getattr(request, "membership", None)
    if membership is None or not request.user.is_authenticated:
        return {}
    asked = getattr(request, "unread_asked", None)

    @cache
    def count() -> int:
        if asked is not None:
            return asked.count()
        return UNREAD.count(membership=membership)

    return {"unread_notifications": count}
