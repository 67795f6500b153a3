"""Accounts in the admin site are for the installation's operators (superusers): an
organisation's own admins manage their staff on the Staff page, which audits every change.

Operators may seat an account in an organisation (the first admin of a new one, say); that goes
through `add_membership`, so it is audited too. Existing memberships are shown read-only here:
roles change and memberships end on the organisation's Staff page, where the last-admin rule
holds."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from ibasho.accounts import services
from ibasho.accounts.models import ApiToken, Membership, Organisation, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    readonly_fields = ["is_active"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SeatsThroughServices:
    """Save new inline memberships with `add_membership` rather than a bare insert."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            return
        for membership in formset.save(commit=False):
            services.add_membership(
                membership.organisation, membership.user, membership.role, by=request.user
            )


@admin.register(User)
class IbashoUserAdmin(SeatsThroughServices, UserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Ibasho", {"fields": ("display_name", "display_name_kana")}),
    )  # type: ignore[misc]


@admin.register(Organisation)
class OrganisationAdmin(SeatsThroughServices, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "prefecture", "municipality"]
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["membership", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "organisation", "membership"]
