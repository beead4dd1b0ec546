"""Admins register partners' endpoints here (the signing secret is shown once) and watch deliveries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, AdminURLFieldWidget
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from claimtracker.admin_versioning import acting_user
from webhooks.models import EVENT_FLAGS, Delivery, DeliveryState, WebhookEndpoint, secret_overlap
from webhooks.services import delivery_replay, endpoint_rotate_secret, endpoint_save, endpoint_send_test


class WebhookEndpointForm(forms.ModelForm):
    # Declared for ``assume_scheme``: a model form's URL field would warn that Django 6 changes it.
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https", widget=AdminURLFieldWidget)
    backfill_from = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        label="Backfill from",
        help_text=(
            "Optional. Also send the public changes recorded since this day (the worker queues them in the "
            "background). Left empty, a new endpoint receives only changes made from now on."
        ),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["api_key", "url", "description", "is_active", *EVENT_FLAGS.values(), "people", "topics"]

    def clean_backfill_from(self) -> Any:
        day = self.cleaned_data.get("backfill_from")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("Choose today or a day in the past.")
        return day


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "description", "api_key", "is_active", "events", "created_at"]
    list_filter = ["is_active", *EVENT_FLAGS.values()]
    list_select_related = ["api_key"]
    search_fields = ["url", "description", "api_key__name", "api_key__prefix"]
    autocomplete_fields = ["api_key", "people", "topics"]
    form = WebhookEndpointForm
    readonly_fields = ["created_at", "created_by", "send_changes_from", "backfill", "signing"]
    actions = ["send_test_event", "rotate_secret"]
    fieldsets = [
        (None, {"fields": ["api_key", "url", "description", "is_active"]}),
        ("Events", {"fields": list(EVENT_FLAGS.values())}),
        ("Only for", {"fields": ["people", "topics"]}),
        ("History", {"fields": ["send_changes_from", "backfill_from", "backfill"]}),
        ("Record", {"fields": ["created_at", "created_by", "signing"]}),
    ]

    @admin.display(description="backfill")
    def backfill(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.pk is None:
            return "-"
        return "running" if endpoint.backfill_after_change_id is not None else "none running"

    @admin.display(description="signing secret")
    def signing(self, endpoint: WebhookEndpoint) -> str:
        # Never the secret itself: it is shown once, when made or rotated.
        if endpoint.pk is None:
            return "Shown once, when the endpoint is saved."
        if len(endpoint.signing_secrets()) > 1:
            expires = timezone.localtime(endpoint.previous_secret_expires_at)
            return f"Rotated; the previous secret also signs until {expires:%Y-%m-%d %H:%M}."
        if endpoint.secret_rotated_at is not None:
            return f"Last rotated {timezone.localtime(endpoint.secret_rotated_at):%Y-%m-%d %H:%M}."
        return "Not rotated since the endpoint was made."

    @admin.display(description="events")
    def events(self, endpoint: WebhookEndpoint) -> str:
        names = [
            label
            for flag, label in [
                ("on_status_recorded", "status"),
                ("on_correction_recorded", "corrections"),
                ("on_claim_published", "published"),
                ("on_claim_withdrawn", "withdrawn"),
                ("on_status_removed", "removals"),
            ]
            if getattr(endpoint, flag)
        ]
        return ", ".join(names) or "none"

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        secret = endpoint_save(
            endpoint=obj, saved_by=acting_user(request), backfill_from=form.cleaned_data.get("backfill_from")
        )
        if secret is not None:
            messages.warning(
                request,
                f"The signing secret for {obj.url} is {secret} — give it to the partner now: "
                "it will not be shown again.",
            )

    @admin.action(description="Send a test event to the selected endpoints", permissions=["change"])
    def send_test_event(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            endpoint_send_test(endpoint=endpoint)
        self.message_user(
            request, f"Queued a test event for {queryset.count()} endpoint(s); the worker sends it.", messages.SUCCESS
        )

    @admin.action(description="Rotate the signing secret of the selected endpoints", permissions=["change"])
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        hours = secret_overlap().total_seconds() / 3600
        for endpoint in queryset:
            secret = endpoint_rotate_secret(endpoint=endpoint)
            messages.warning(
                request,
                f"The new signing secret for {endpoint.url} is {secret} — give it to the partner now: it will not "
                f"be shown again. Deliveries carry signatures with both the old and the new secret for {hours:g} "
                "hours; then only the new one.",
            )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only, apart from replaying: the record of what was sent and how each try went."""

    list_display = [
        "id",
        "event",
        "endpoint",
        "state",
        "attempts",
        "last_response_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["state", "event", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["endpoint__url", "last_error", "=webhook_id"]
    readonly_fields = [
        "endpoint",
        "webhook_id",
        "change",
        "event",
        "payload",
        "state",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_response_code",
        "last_error",
        "delivered_at",
        "created_at",
    ]
    actions = ["replay"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    def has_replay_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("webhooks.change_delivery")

    @admin.action(description="Replay the selected deliveries", permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = 0
        for delivery in queryset.exclude(state=DeliveryState.PENDING, attempts=0):
            delivery_replay(delivery=delivery)
            count += 1
        self.message_user(request, f"Queued {count} delivery(ies) to be sent again.", messages.SUCCESS)
