from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from ibasho.accounts.models import CASE_ROLES


def member_required(*roles: str) -> Callable[..., Any]:
    """Let in signed-in staff of the active organisation whose role is one of `roles`
    (by default the roles that work with personal records). Others get 404, not 403,
    so that a record's existence is not revealed. The view receives a `MemberRequest`."""
    allowed = roles or CASE_ROLES

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None or membership.role not in allowed:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
