"""Sessions and the signed-in user, read on every request with statements compiled once per
process (ibasho.lib.prepared). They behave as Django's own: the database session store and the
model backend, whose lookups they replace."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from ibasho.accounts.models import User
from ibasho.lib.prepared import Prepared, Slot

_SESSION = Prepared(
    Session,
    lambda: Session.objects.filter(
        session_key=Slot("key", models.CharField()),
        expire_date__gt=Slot("now", models.DateTimeField()),
    )[:1],
)
_USER = Prepared(User, lambda: User.objects.filter(pk=Slot("user", models.IntegerField()))[:1])


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = _SESSION.first(key=self.session_key, now=timezone.now())
        if found is None:
            self._session_key = None
        return found  # type: ignore[no-any-return]


class PreparedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            user = _USER.first(user=user_id)
        except (TypeError, ValueError):  # a session naming no valid id
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
