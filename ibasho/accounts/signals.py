"""What a sign-in owes, worked out once when it happens and kept in the session for
`AccountGateMiddleware`: a second-factor code, an enrolment past the grace period, a new
password in place of one an admin issued."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from ibasho.accounts import twofactor
from ibasho.accounts.middleware import (
    FACTOR_PENDING,
    LAST_SEEN,
    MUST_CHANGE,
    MUST_ENROL,
    SIGNED_IN_AT,
)


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now
    if twofactor.has_factor(user):
        session[FACTOR_PENDING] = True
    elif twofactor.required_for(user) and twofactor.count_login_without_factor(user) < 0:
        session[MUST_ENROL] = True
    if user.must_change_password:
        session[MUST_CHANGE] = True
