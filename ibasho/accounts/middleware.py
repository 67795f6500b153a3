from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ibasho.accounts.http import AppRequest, client_ip
from ibasho.accounts.models import Invitation, Membership
from ibasho.accounts.tenancy import organisation_scope, scopes_disabled
from ibasho.audit.context import Origin, request_origin

SESSION_KEY = "active_organisation"


def memberships_of(request: HttpRequest) -> tuple[Membership | None, list[Membership]]:
    """The membership the signed-in user is working under (the organisation chosen in this
    session, else their first one) and their other memberships, read in one query that also
    tells whether an invitation awaits them (`invited`, the same on every row)."""
    user = request.user
    if not user.is_authenticated:
        return None, []
    invited = Invitation.objects.pending().filter(user_id=OuterRef("user_id"))
    mine = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .annotate(invited=Exists(invited))
        .order_by("created_at", "id")
    )
    for membership in mine:
        membership.user = user  # type: ignore[assignment]  # already loaded for this request
    chosen = request.session.get(SESSION_KEY)
    current = next((m for m in mine if str(m.organisation.code) == chosen), None)
    if current is None and mine:
        current = mine[0]
    return current, [m for m in mine if m is not current]


@contextmanager
def request_scope(request: AppRequest) -> Iterator[None]:
    """The organisation scope of a web request: that of the membership it works under. Platform
    superusers manage every organisation in the Django admin, so there the scope is lifted."""
    if request.user.is_superuser and request.path_info.startswith(reverse("admin:index")):
        with scopes_disabled():
            yield
    else:
        with organisation_scope(getattr(request.membership, "organisation_id", None)):
            yield


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        typed = cast(AppRequest, request)
        typed.membership, typed.other_memberships = memberships_of(request)
        typed.has_invitations = getattr(typed.membership, "invited", False)
        with request_origin(Origin("web", client_ip(request))), request_scope(typed):
            return self.get_response(request)
