from django.contrib import admin

from ibasho.lib.admin import TenantAdmin
from ibasho.programmes.models import Programme, Session


@admin.register(Programme)
class ProgrammeAdmin(TenantAdmin):
    list_display = ["name_ja", "kind", "mode", "capacity", "is_open"]


@admin.register(Session)
class SessionAdmin(TenantAdmin):
    list_display = ["programme", "number", "date", "starts_at", "cancelled"]
