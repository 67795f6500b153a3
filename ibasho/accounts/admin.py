from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ibasho.accounts.models import ApiToken, Membership, Organisation, User
from ibasho.lib.admin import TenantAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class IbashoUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Ibasho", {"fields": ("display_name", "display_name_kana")}),
    )  # type: ignore[misc]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "prefecture", "municipality"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    """Organisation admins manage their staff's roles here."""

    list_display = ["user", "role", "is_active"]
    list_filter = ["role", "is_active"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["membership", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "organisation", "membership"]
