"""The moderation queue of readers' tips, readers' alert subscriptions and the outbox of emails to
readers. Editors triage tips; erasing a reader's data is the Admins' (a permission of its own)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from claimtracker.admin_versioning import acting_user
from readers import mail, privacy, tips
from readers.models import EmailState, OutgoingEmail, Subscription, Tip, TipKind, TipQuerySet, TipState

READER_FIELDS = ["kind", "claim", "message", "evidence_link", "name", "email", "language", "received_at"]


class TipTriageForm(forms.ModelForm):
    class Meta:
        model = Tip
        fields = ["state", "duplicate_of", "led_to_claim", "led_to_update", "reply"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        state, duplicate_of = cleaned.get("state"), cleaned.get("duplicate_of")
        if state == TipState.DUPLICATE and duplicate_of is None:
            self.add_error("duplicate_of", _("Name the tip this one repeats."))
        if state != TipState.DUPLICATE and duplicate_of is not None:
            self.add_error("duplicate_of", _("Only a duplicate names another tip: clear this, or choose “Duplicate”."))
        if duplicate_of is not None and self.instance.pk == duplicate_of.pk:
            self.add_error("duplicate_of", _("A tip cannot duplicate itself."))
        return cleaned


class CanEraseReaderData:
    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("readers.erase_reader_data")


@admin.register(Tip)
class TipAdmin(CanEraseReaderData, SimpleHistoryAdmin):
    list_display = ["excerpt", "about", "state", "received_at", "has_email"]
    list_display_links = ["excerpt"]
    list_filter = ["state", "kind", "language"]
    list_select_related = ["claim"]
    search_fields = ["message", "claim__summary", "evidence_url"]
    date_hierarchy = "received_at"
    form = TipTriageForm
    readonly_fields = [*READER_FIELDS, "resolved_at", "resolved_by", "personal_data_erased_at", "emails_sent"]
    autocomplete_fields = ["led_to_claim", "duplicate_of"]
    raw_id_fields = ["led_to_update"]
    actions = ["mark_declined", "erase_reader_data"]
    fieldsets = [
        (gettext_lazy("What the reader sent"), {"fields": READER_FIELDS}),
        (
            gettext_lazy("Triage"),
            {
                "fields": ["state", "duplicate_of", "led_to_claim", "led_to_update", "reply"],
                "description": gettext_lazy(
                    "Choosing accepted, declined or duplicate emails the reader the outcome and your reply, "
                    "if they gave an address. Nothing here is ever published."
                ),
            },
        ),
        (gettext_lazy("Record"), {"fields": ["resolved_at", "resolved_by", "personal_data_erased_at", "emails_sent"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Tips come from readers.

    @admin.display(description=gettext_lazy("message"))
    def excerpt(self, tip: Tip) -> str:
        return Truncator(" ".join(tip.message.split())).chars(90)

    @admin.display(description=gettext_lazy("about"), ordering="claim__summary")
    def about(self, tip: Tip) -> str:
        return tip.claim.summary if tip.claim is not None else str(TipKind.NEW_CLAIM.label)

    @admin.display(description=gettext_lazy("evidence URL"))
    def evidence_link(self, tip: Tip) -> str:
        # The reader's link, validated as http(s) on the way in; opened without telling the site who sent it.
        if not tip.evidence_url:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>', tip.evidence_url, tip.evidence_url
        )

    @admin.display(boolean=True, description=gettext_lazy("can be answered"))
    def has_email(self, tip: Tip) -> bool:
        return tip.can_be_answered

    @admin.display(description=gettext_lazy("emails to the reader"))
    def emails_sent(self, tip: Tip) -> str:
        sent = list(tip.emails.order_by("created_at").values_list("state", "created_at"))
        if not sent:
            return "—"
        return "; ".join(f"{EmailState(state).label} ({created:%Y-%m-%d %H:%M})" for state, created in sent)

    def save_model(self, request: HttpRequest, obj: Tip, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if data["state"] == TipState.NEW:
            if Tip.objects.filter(pk=obj.pk).exclude(state=TipState.NEW).exists():
                tips.tip_reopen(tip=obj)
            Tip.objects.filter(pk=obj.pk).update(
                led_to_claim=data["led_to_claim"], led_to_update=data["led_to_update"], reply=data["reply"]
            )
            return
        tips.tip_resolve(
            tip=obj,
            state=TipState(data["state"]),
            resolved_by=acting_user(request),
            reply=data["reply"],
            duplicate_of=data["duplicate_of"],
            led_to_claim=data["led_to_claim"],
            led_to_update=data["led_to_update"],
        )

    @admin.action(description=gettext_lazy("Decline the selected tips (no reply)"), permissions=["change"])
    def mark_declined(self, request: HttpRequest, queryset: TipQuerySet) -> None:
        declined = 0
        for tip in queryset.awaiting_triage():
            tips.tip_resolve(tip=tip, state=TipState.DECLINED, resolved_by=acting_user(request))
            declined += 1
        self.message_user(
            request, ngettext("Declined %(count)d tip.", "Declined %(count)d tips.", declined) % {"count": declined}
        )

    @admin.action(description=gettext_lazy("Erase these readers’ personal data everywhere"), permissions=["erase"])
    def erase_reader_data(self, request: HttpRequest, queryset: QuerySet[Tip]) -> None:
        _report(self, request, [privacy.tip_erase(tip) for tip in queryset])


def _report(model_admin: admin.ModelAdmin, request: HttpRequest, results: list[privacy.Forgotten]) -> None:
    model_admin.message_user(
        request,
        _("Erased: names and addresses on %(tips)d tips, %(subscriptions)d subscriptions, %(emails)d emails.")
        % {
            "tips": sum(result.tips for result in results),
            "subscriptions": sum(result.subscriptions for result in results),
            "emails": sum(result.emails for result in results),
        },
        messages.SUCCESS,
    )


@admin.register(Subscription)
class SubscriptionAdmin(CanEraseReaderData, admin.ModelAdmin):
    list_display = ["email", "scope", "followed", "frequency", "language", "confirmed_at", "created_at"]
    list_filter = ["scope", "frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["claim", "person", "topic"]
    search_fields = ["email"]
    actions = ["erase_reader_data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Only a reader subscribes, by confirming from their own inbox.

    def has_change_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Erase these readers’ personal data everywhere"), permissions=["erase"])
    def erase_reader_data(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        addresses = set(queryset.values_list("email", flat=True))
        _report(self, request, [privacy.reader_erase(address) for address in addresses])


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "purpose", "to", "state", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["state", "purpose"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    exclude = ["html"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutgoingEmail | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("readers.change_outgoingemail")

    @admin.action(description=gettext_lazy("Send the selected failed emails again"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        queued = sum(mail.retry(email) for email in queryset.filter(state=EmailState.FAILED))
        self.message_user(
            request,
            ngettext("Queued %(count)d email again.", "Queued %(count)d emails again.", queued) % {"count": queued},
        )
