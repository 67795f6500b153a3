"""Sessions and the signed-in user, read on every request with statements compiled once per
process (ibasho.lib.prepared). They behave as Django's own: the database session store and the
model backend, whose lookups they replace."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ibasho.accounts.models import Invitation, Membership, User
from ibasho.lib.prepared import Prepared, Slot, together

_SESSION = Prepared(
    Session,
    lambda: Session.objects.filter(
        session_key=Slot("key", models.CharField()),
        expire_date__gt=Slot("now", models.DateTimeField()),
    )[:1],
)
_USER = Prepared(User, lambda: User.objects.filter(pk=Slot("user", models.IntegerField()))[:1])
# The user's memberships, with whether an invitation awaits them (the same on every row).
MEMBERSHIPS = Prepared(
    Membership,
    lambda: (
        Membership.objects.active()
        .filter(user_id=Slot("user", models.IntegerField()))
        .select_related("organisation")
        .annotate(invited=Exists(Invitation.objects.pending().filter(user_id=OuterRef("user_id"))))
        .order_by("created_at", "id")
    ),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = _SESSION.first(key=self.session_key, now=timezone.now())
        if found is None:
            self._session_key = None
        return found  # type: ignore[no-any-return]


class PreparedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The user, and the memberships every request reads next (ibasho.accounts.middleware)
        asked for with it: one round trip for both."""
        try:
            asked = (_USER.later(user=user_id), MEMBERSHIPS.later(user=user_id))
        except (TypeError, ValueError):  # a session naming no valid id
            return None
        users, memberships = together(*asked)
        user = users[0] if users else None
        if user is None or not self.user_can_authenticate(user):
            return None
        user.memberships_read = memberships
        return user
