"""The organisation's outreach settings."""

from django.http import HttpResponse
from django.shortcuts import redirect, render

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import record_audit
from ibasho.outreach.forms import (
    OutreachSettingsForm,
)
from ibasho.outreach.models import (
    OutreachSettings,
)


@member_required(*SUPERVISOR_ROLES)
def settings_edit(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    config = OutreachSettings.for_organisation(membership.organisation)
    form = OutreachSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_audit(
            "outreach.settings.changed",
            by=request.user,
            target=config,
            fields=form.changed_data,
        )
        return redirect("outreach:today")
    return render(request, "outreach/settings_form.html", {"form": form})
