from django.contrib import admin

from ibasho.families.models import CrisisContact, RiskSettings
from ibasho.lib.admin import TenantAdmin

# Safety events, plans and circumstances are changed only through the app, which audits them.


@admin.register(RiskSettings)
class RiskSettingsAdmin(TenantAdmin):
    list_display = ["organisation", "parent_age_watch", "parent_age_high", "top_days"]


@admin.register(CrisisContact)
class CrisisContactAdmin(TenantAdmin):
    list_display = ["name", "phone", "hours", "order"]
