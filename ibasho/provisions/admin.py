"""Provision records are evidence: the admin site shows operators the coded columns (no
names) and changes none. Organisation admins read them on the audited page
(provisions:index). They are written only by `services.record_provision` and
`services.record_receipt`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ibasho.provisions.models import ProvisionRecord


@admin.register(ProvisionRecord)
class ProvisionRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["on", "organisation", "direction", "counterpart_name", "basis", "via"]
    list_filter = ["direction", "basis", "via"]
    fields = ("organisation", "on", "direction", "counterpart_name", "items", "basis", "via")
    readonly_fields = fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
