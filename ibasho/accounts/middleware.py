from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ibasho.accounts.models import Membership

SESSION_KEY = "active_organisation"


def active_membership(request: HttpRequest) -> Membership | None:
    """The membership the signed-in user is working under: the organisation chosen in this
    session, else their first one."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        membership = memberships.filter(organisation__code=chosen).first()
        if membership:
            return membership
    return memberships.order_by("created_at").first()


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = active_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)
