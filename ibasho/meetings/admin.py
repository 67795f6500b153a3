"""Support meetings in the admin site: operators see the meetings' coded columns (no minutes,
no people) and may withdraw one, through the service that holds the rule
(`services.withdraw_meeting`). Everything else is done on the audited pages."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ibasho.lib.admin import OperatorRecordAdmin
from ibasho.meetings import services
from ibasho.meetings.models import SupportMeeting


@admin.register(SupportMeeting)
class SupportMeetingAdmin(OperatorRecordAdmin):
    list_display = ("held_on", "title", "organisation", "law", "withdrawn_at")
    list_filter = ("law",)
    fields = ("organisation", "title", "held_on", "law", "withdrawn_at")
    readonly_fields = fields
    actions = ("withdraw",)
    may_change = True  # withdrawing, through the service

    @admin.action(description=_("Withdraw the chosen meetings"))
    def withdraw(self, request: HttpRequest, queryset: Any) -> None:
        for meeting in queryset:
            try:
                services.withdraw_meeting(meeting, by=request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
