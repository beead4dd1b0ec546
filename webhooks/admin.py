"""Admins register partners' endpoints here (the signing secret is shown once) and watch deliveries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, AdminURLFieldWidget
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from claimtracker.admin_versioning import acting_user
from webhooks.models import EVENT_FLAGS, Delivery, DeliveryState, WebhookEndpoint, secret_overlap
from webhooks.services import delivery_replay, endpoint_rotate_secret, endpoint_save, endpoint_send_test


class WebhookEndpointForm(forms.ModelForm):
    # Declared for ``assume_scheme``: a model form's URL field would warn that Django 6 changes it.
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https", widget=AdminURLFieldWidget)
    backfill_from = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        label=gettext_lazy("Backfill from"),
        help_text=gettext_lazy(
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
            raise forms.ValidationError(_("Choose today or a day in the past."))
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
        (gettext_lazy("Events"), {"fields": list(EVENT_FLAGS.values())}),
        (gettext_lazy("Only for"), {"fields": ["people", "topics"]}),
        (gettext_lazy("History"), {"fields": ["send_changes_from", "backfill_from", "backfill"]}),
        (gettext_lazy("Record"), {"fields": ["created_at", "created_by", "signing"]}),
    ]

    @admin.display(description=gettext_lazy("backfill"))
    def backfill(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.pk is None:
            return "-"
        if endpoint.backfill_after_change_id is not None:
            return pgettext("a backfill", "running")
        return pgettext("a backfill", "none running")

    @admin.display(description=gettext_lazy("signing secret"))
    def signing(self, endpoint: WebhookEndpoint) -> str:
        # Never the secret itself: it is shown once, when made or rotated.
        if endpoint.pk is None:
            return _("Shown once, when the endpoint is saved.")
        if len(endpoint.signing_secrets()) > 1:
            expires = timezone.localtime(endpoint.previous_secret_expires_at)
            return _("Rotated; the previous secret also signs until %(when)s.") % {"when": f"{expires:%Y-%m-%d %H:%M}"}
        if endpoint.secret_rotated_at is not None:
            rotated = timezone.localtime(endpoint.secret_rotated_at)
            return _("Last rotated %(when)s.") % {"when": f"{rotated:%Y-%m-%d %H:%M}"}
        return _("Not rotated since the endpoint was made.")

    @admin.display(description=gettext_lazy("events"))
    def events(self, endpoint: WebhookEndpoint) -> str:
        names = [
            label
            for flag, label in [
                ("on_status_recorded", pgettext("webhook event", "status")),
                ("on_correction_recorded", pgettext("webhook event", "corrections")),
                ("on_claim_published", pgettext("webhook event", "published")),
                ("on_claim_withdrawn", pgettext("webhook event", "withdrawn")),
                ("on_status_removed", pgettext("webhook event", "removals")),
            ]
            if getattr(endpoint, flag)
        ]
        return ", ".join(names) or pgettext("webhook events", "none")

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        secret = endpoint_save(
            endpoint=obj, saved_by=acting_user(request), backfill_from=form.cleaned_data.get("backfill_from")
        )
        if secret is not None:
            messages.warning(
                request,
                _(
                    "The signing secret for %(url)s is %(secret)s — give it to the partner now: "
                    "it will not be shown again."
                )
                % {"url": obj.url, "secret": secret},
            )

    @admin.action(description=gettext_lazy("Send a test event to the selected endpoints"), permissions=["change"])
    def send_test_event(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            endpoint_send_test(endpoint=endpoint)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Queued a test event for %(count)d endpoint; the worker sends it.",
                "Queued a test event for %(count)d endpoints; the worker sends it.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Rotate the signing secret of the selected endpoints"), permissions=["change"]
    )
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        hours = secret_overlap().total_seconds() / 3600
        # A plural form needs a whole number; a fraction of an hour reads as "2" does (English "hours";
        # Ukrainian and Russian use that form for fractions too).
        plural_count = int(hours) if hours.is_integer() else 2
        for endpoint in queryset:
            secret = endpoint_rotate_secret(endpoint=endpoint)
            messages.warning(
                request,
                ngettext(
                    "The new signing secret for %(url)s is %(secret)s — give it to the partner now: it will not "
                    "be shown again. Deliveries carry signatures with both the old and the new secret for "
                    "%(hours)s hour; then only the new one.",
                    "The new signing secret for %(url)s is %(secret)s — give it to the partner now: it will not "
                    "be shown again. Deliveries carry signatures with both the old and the new secret for "
                    "%(hours)s hours; then only the new one.",
                    plural_count,
                )
                % {"url": endpoint.url, "secret": secret, "hours": f"{hours:g}"},
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

    @admin.action(description=gettext_lazy("Replay the selected deliveries"), permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = 0
        for delivery in queryset.exclude(state=DeliveryState.PENDING, attempts=0):
            delivery_replay(delivery=delivery)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Queued %(count)d delivery to be sent again.", "Queued %(count)d deliveries to be sent again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
