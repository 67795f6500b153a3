"""The admin site is for operators (superusers). Organisation admins are let in too, but see
only models derived from `TenantAdmin`, scoped to their own organisation; records that hold
personal data are never registered (they are read and changed on the audited pages)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


def is_org_admin(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership and membership.is_admin)


class IbashoAdminSite(admin.AdminSite):
    site_header = "Ibasho"
    site_title = "Ibasho"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_org_admin(request)))


class IbashoAdminConfig(AdminConfig):
    default_site = "ibasho.lib.admin.IbashoAdminSite"


class TenantAdmin(admin.ModelAdmin):
    """Scopes lists, choices and saves to the admin's organisation."""

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or is_org_admin(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation_id=request.membership.organisation_id)  # type: ignore[attr-defined]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded.append("organisation")
        return excluded

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if not request.user.is_superuser and any(
            f.name == "organisation" for f in related._meta.fields
        ):
            kwargs["queryset"] = related._default_manager.filter(
                organisation_id=request.membership.organisation_id  # type: ignore[attr-defined]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and not request.user.is_superuser:
            obj.organisation_id = request.membership.organisation_id  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)


class OperatorRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records that are evidence, shown to operators (superusers) only: never added or deleted
    here; changed only by an admin action that calls the owning service (`may_change`)."""

    may_change = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_change and bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
