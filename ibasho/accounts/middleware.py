from collections.abc import Callable

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse

from ibasho.accounts.models import Invitation, Membership

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


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current, others = memberships_of(request)
        request.membership = current  # type: ignore[attr-defined]
        request.other_memberships = others  # type: ignore[attr-defined]
        request.has_invitations = getattr(current, "invited", False)  # type: ignore[attr-defined]
        return self.get_response(request)
