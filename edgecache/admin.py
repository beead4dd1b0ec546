"""Admins see every purge, filter the failed ones and queue them again; nobody edits one."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from edgecache import purge
from edgecache.models import Purge, PurgeState


@admin.register(Purge)
class PurgeAdmin(admin.ModelAdmin):
    """Read-only, apart from queuing failed purges again: the record of what was purged and how."""

    list_display = ["id", "state", "short_tags", "change", "attempts", "last_error", "created_at", "done_at"]
    list_filter = ["state"]
    list_select_related = ["change__claim"]
    search_fields = ["tags", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "tags",
        "change",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "done_at",
    ]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Purge | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("edgecache.change_purge")

    @admin.display(description=gettext_lazy("tags"))
    def short_tags(self, obj: Purge) -> str:
        return obj.tags if len(obj.tags) <= 100 else f"{obj.tags[:99]}…"

    @admin.action(description=gettext_lazy("Queue the selected failed purges again"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Purge]) -> None:
        queued = sum(purge.retry(item) for item in queryset.filter(state=PurgeState.FAILED))
        self.message_user(
            request,
            ngettext("Queued %(count)d purge again.", "Queued %(count)d purges again.", queued) % {"count": queued},
            messages.SUCCESS,
        )
