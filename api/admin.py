"""Admins create partner keys here (the key is shown once, in a message) and revoke them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from api.keys import api_key_create, api_key_revoke
from api.models import ApiKey

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "prefix", "created_at", "last_used_at", "is_active"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__username", "owner__email"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_keys"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> _FieldGroups:
        if obj is None:
            return ["name", "owner"]
        return ["name", "owner", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        # A key's owner is fixed once it exists: revoke it and create another instead.
        return [*self.readonly_fields, "owner"] if obj is not None else []

    @admin.display(boolean=True, description=gettext_lazy("active"), ordering="revoked_at")
    def is_active(self, key: ApiKey) -> bool:
        return not key.is_revoked

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        key, raw_key = api_key_create(name=obj.name, owner=obj.owner)
        obj.pk, obj.prefix, obj.hashed_key, obj.created_at = key.pk, key.prefix, key.hashed_key, key.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _("The key for “%(name)s” is %(key)s — copy it now: it is stored hashed and will not be shown again.")
            % {"name": key.name, "key": raw_key},
        )

    @admin.action(description=gettext_lazy("Revoke selected keys"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(key=key)
            revoked += 1
        self.message_user(
            request,
            ngettext("Revoked %(count)d key.", "Revoked %(count)d keys.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )
