from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import Role
from ibasho.lib.web import saved
from ibasho.notifications import services
from ibasho.notifications.kinds import KINDS
from ibasho.notifications.models import Notification

EVERY_ROLE = tuple(Role.values)


@member_required(*EVERY_ROLE)
def inbox(request: MemberRequest) -> HttpResponse:
    """The member's own notifications in this organisation. They name what happened and who
    did it, never the person concerned (the link leads to the record, through its guard)."""
    items = Notification.objects.visible_to(request.membership)
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@member_required(*EVERY_ROLE)
def open_item(request: MemberRequest, code: str) -> HttpResponse:
    """Mark one notification read and follow its link."""
    item = get_object_or_404(Notification.objects.visible_to(request.membership), code=code)
    services.mark_read(item, by=request.user)
    if item.link and url_has_allowed_host_and_scheme(item.link, allowed_hosts=None):
        return redirect(item.link)
    return redirect("notifications:inbox")


@require_POST
@member_required(*EVERY_ROLE)
def read_all(request: MemberRequest) -> HttpResponse:
    services.mark_all_read(request.membership)
    return redirect("notifications:inbox")


class PreferencesForm(forms.Form):
    def __init__(self, *args, initial_choices: dict[str, bool], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for key, kind in KINDS.items():
            self.fields[key] = forms.BooleanField(
                label=kind.label, required=False, initial=initial_choices[key]
            )


@member_required()
def preferences(request: MemberRequest) -> HttpResponse:
    """Which kinds of notification are also sent by e-mail. Every kind so far concerns work
    with people, so the page is for the roles that do it."""
    membership = request.membership
    current = {
        key: services.wants_email(membership.user_id, membership.organisation_id, key)
        for key in KINDS
    }
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial_choices=current
    )
    choose = lambda **data: services.set_email_preferences(membership, data)  # noqa: E731
    if saved(request, form, choose, message=_("Your e-mail choices are saved.")):
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
