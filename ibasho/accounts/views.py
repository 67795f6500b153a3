from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ibasho.accounts.middleware import SESSION_KEY
from ibasho.accounts.models import Membership


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if membership is None:
        raise Http404
    if not membership.reads_personal_data:
        return redirect("reports:home")
    return redirect("outreach:today")


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    membership = (
        Membership.objects.active()
        .filter(
            user_id=request.user.pk or 0, organisation__code=request.POST.get("organisation", "")
        )
        .first()
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = str(membership.organisation.code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)
