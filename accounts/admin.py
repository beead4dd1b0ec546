"""User and group admin with the role boundaries: only superusers grant superuser rights or delete."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy


class SuperusersDeleteMixin:
    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class ClaimTrackerUserAdmin(SuperusersDeleteMixin, UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_superuser", "role_names"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=gettext_lazy("roles"))
    def role_names(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all()) or "—"

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Admins manage accounts and roles, but cannot hand out powers beyond their own.
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Group)
class ClaimTrackerGroupAdmin(SuperusersDeleteMixin, GroupAdmin):
    pass
