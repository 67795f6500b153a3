from django.contrib import admin

from ibasho.audit.models import AuditEntry
from ibasho.lib.admin import TenantAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(TenantAdmin):
    """The organisation's audit trail, read-only. Entries name records by code and changed
    fields by name, never their values, so the trail holds no personal data."""

    list_display = ["at", "organisation", "actor", "action", "target_type", "target_code"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def get_exclude(self, request, obj=None):  # type: ignore[no-untyped-def]
        return []

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
