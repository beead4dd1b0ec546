"""The editors' admin for claims, sources, statuses and the status timeline.

Saves go through ``claims.services``; a service's refusal (a ValidationError) is shown at the form
field it names. The timeline is append-only here: a correction is a new update that points to the
one it corrects, a published update is never deleted (a superuser may remove it from the public
record, with a published reason), and a published claim is withdrawn with a reason, never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.claimreview import claim_review_summary_warning
from claims.dates import describe_day, newsroom_today
from claims.models import (
    Claim,
    ClaimAppearance,
    ClaimKind,
    ClaimQuerySet,
    Source,
    Status,
    StatusUpdate,
    StatusUpdateQuerySet,
    Topic,
    Visibility,
)
from claims.text_languages import TRANSLATED_FIELDS, language_columns, missing_in, other_languages
from claimtracker.admin_versioning import (
    InlineServiceError,
    ServiceErrorsAdminMixin,
    VersionedAdmin,
    VersionedAdminForm,
    acting_user,
    pending_service_error,
    with_service_error,
)
from people.models import Term

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups

REASON_FORM_TEMPLATE = "admin/claims/reason_form.html"


def status_badge(status: Status) -> str:
    return format_html(
        '<span class="status-badge" style="background:{};color:{}">{}</span>',
        status.colour,
        status.text_colour,
        status.label,
    )


def editor_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def local_stamp(moment: Any) -> str:
    # Django's date format, not strftime: the month's abbreviation follows the active language.
    return dateformat.format(timezone.localtime(moment), "d M Y H:i")


def quoted(name: object) -> str:
    """A record's name in quotation marks, as a language quotes it."""
    return pgettext("quotation marks around a record's name", "“%(name)s”") % {"name": name}


def problems(error: ValidationError) -> str:
    return "; ".join(error.messages)


def record_status_from_form(*, claim: Claim, data: dict[str, Any], recorded_by: Any) -> StatusUpdate:
    """Record the status update an admin form describes: the inline on a claim, or the standalone form."""
    return services.claim_record_status(
        claim=claim,
        status=data["status"],
        effective_on=data["effective_on"],
        rationale=data[f"rationale_{settings.LANGUAGE_CODE}"],
        rationale_translations={language: data.get(f"rationale_{language}") or "" for language in other_languages()},
        evidence=data["evidence"],
        corrects=data.get("corrects"),
        publish=not data.get("save_as_draft"),
        recorded_by=recorded_by,
    )


def awaiting_approval_message(update: StatusUpdate) -> str:
    return _(
        "The verdict “%(status)s” is recorded and awaiting approval: it is not public until another "
        "editor approves it (Status updates › Awaiting approval)."
    ) % {"status": update.status}


class ReasonForm(forms.Form):
    """The public reason a withdrawal or a removal needs."""

    reason = forms.CharField(
        label=gettext_lazy("Reason (published)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        error_messages={"required": gettext_lazy("Give a reason: it is published where the record was.")},
    )


def reason_page(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    *,
    form: ReasonForm,
    objects: Sequence[Model],
    title: str,
    intro: str,
    submit_label: str,
    action: str = "",
) -> TemplateResponse:
    """An intermediate page asking for a reason; posts back to the action (or view) that showed it."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "submit_label": submit_label,
        "form": form,
        "objects": objects,
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "opts": model_admin.model._meta,
        "cancel_url": reverse(
            f"admin:{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}_changelist"
        ),
    }
    return TemplateResponse(request, REASON_FORM_TEMPLATE, context)


class PublishedRecordAdminMixin:
    """A published record is never deleted: no delete button, and the delete view refuses with a message."""

    published_delete_message: Any = ""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.published_at is not None:
            return False
        return request.user.is_superuser

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is not None and obj.published_at is not None and request.user.is_superuser:
            self.message_user(request, self.published_delete_message, messages.ERROR)  # type: ignore[attr-defined]
            opts = obj._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def refuse_published(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """The never-published part of ``queryset``; a message names what was kept."""
        published = list(queryset.filter(published_at__isnull=False))
        if published:
            names = "; ".join(quoted(record) for record in published)
            self.message_user(  # type: ignore[attr-defined]
                request,
                _("Not deleted (published): %(records)s. %(explanation)s")
                % {"records": names, "explanation": self.published_delete_message},
                messages.ERROR,
            )
        return queryset.filter(published_at__isnull=True)


class MissingTranslationFilter(admin.SimpleListFilter):
    """Records whose translated texts (claims/translation.py) lack a language, or have them all."""

    title = gettext_lazy("translation")
    parameter_name = "translation"
    COMPLETE = "complete"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        names = dict(settings.LANGUAGES)
        return [
            *(
                (language, _("Missing in %(language)s") % {"language": names[language]})
                for language in other_languages()
            ),
            (self.COMPLETE, _("Translated into every language")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        fields = TRANSLATED_FIELDS[queryset.model.__name__]
        if self.value() in other_languages():
            return queryset.filter(missing_in(str(self.value()), fields))
        if self.value() == self.COMPLETE:
            for language in other_languages():
                queryset = queryset.exclude(missing_in(language, fields))
        return queryset


class CurrentStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("current status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            (str(status.pk), f"{status.label} ({status.get_scale_display().lower()})")
            for status in Status.objects.order_by("scale", "order")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(current_status_id=int(value))
        return queryset


class StaleFilter(admin.SimpleListFilter):
    title = gettext_lazy("staleness")
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        days = settings.CLAIMTRACKER_STALE_AFTER_DAYS
        label = ngettext(
            "Stale (open, no update for %(days)d day)", "Stale (open, no update for %(days)d days)", days
        ) % {"days": days}
        return [("yes", label)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        return cast(ClaimQuerySet, queryset).stale() if self.value() == "yes" else queryset


class PastDeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "past_deadline"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Past deadline, not yet resolved"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        return cast(ClaimQuerySet, queryset).past_deadline() if self.value() == "yes" else queryset


class ClaimAppearanceInline(admin.TabularInline):
    model = ClaimAppearance
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "is_first_appearance", "excerpt"]
    verbose_name = gettext_lazy("source where the claim appeared")
    verbose_name_plural = gettext_lazy("sources where the claim appeared")
    formfield_overrides = {
        ClaimAppearance._meta.get_field("excerpt").__class__: {"widget": forms.Textarea(attrs={"rows": 2})}
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimAppearance]:
        return super().get_queryset(request).select_related("source")


class ComponentInline(admin.TabularInline):
    """The components of a plan, read-only here; each is edited on its own page."""

    model = Claim
    fk_name = "parent"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["summary", "kind", "current_status_badge", "status_changed_on", "visibility"]
    readonly_fields = cast(list[str], fields)  # every field shown is read-only
    verbose_name = gettext_lazy("component")
    verbose_name_plural = gettext_lazy("components of this plan")

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("current_status")

    @admin.display(description=gettext_lazy("status"))
    def current_status_badge(self, component: Claim) -> str:
        return status_badge(component.current_status)


def update_state_notes(update: StatusUpdate) -> list[str]:
    notes = []
    if update.is_removed:
        notes.append(_("removed from the public record"))
    elif update.is_awaiting_approval:
        notes.append(_("awaiting approval, not public"))
    elif update.is_draft:
        notes.append(_("draft, not public"))
    return notes


def update_byline(update: StatusUpdate) -> str:
    """Who recorded, approved and removed the update, and when."""
    parts = [
        _("by %(editor)s on %(when)s")
        % {"editor": editor_name(update.recorded_by), "when": local_stamp(update.recorded_at)}
    ]
    if update.approved_by_id is not None and update.approved_at is not None:
        parts.append(
            _("approved by %(editor)s on %(when)s")
            % {"editor": editor_name(update.approved_by), "when": local_stamp(update.approved_at)}
        )
    elif update.is_awaiting_approval and update.submitted_at is not None:
        parts.append(_("submitted for approval on %(when)s") % {"when": local_stamp(update.submitted_at)})
    if update.removed_at is not None and update.removed_by_id is not None:
        parts.append(
            _("removed by %(editor)s on %(when)s: %(reason)s")
            % {
                "editor": editor_name(update.removed_by),
                "when": local_stamp(update.removed_at),
                "reason": update.removal_reason,
            }
        )
    return "; ".join(parts)


class StatusTimelineInline(admin.StackedInline):
    """The recorded timeline, newest first. Nothing here can be edited or deleted."""

    model = StatusUpdate
    fk_name = "claim"
    extra = 0
    can_delete = False
    fields = ["summary_line", "rationale", "evidence_links", "byline"]
    readonly_fields = cast(list[str], fields)  # every field shown is read-only
    verbose_name = gettext_lazy("recorded status update")
    verbose_name_plural = gettext_lazy("timeline (append-only; to fix an update, record a correction below)")
    ordering = ["-effective_on", "-recorded_at", "-id"]

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> StatusUpdateQuerySet:
        return (
            cast(StatusUpdateQuerySet, super().get_queryset(request))
            .timeline()
            .select_related("approved_by", "removed_by")
        )

    @admin.display(description=gettext_lazy("status"))
    def summary_line(self, update: StatusUpdate) -> str:
        flags = update_state_notes(update)
        if update.corrects_id:
            corrected_day = describe_day(cast(StatusUpdate, update.corrects).effective_on)
            flags.append(_("corrects the update of %(day)s") % {"day": corrected_day})
        suffix = format_html(" <em>({})</em>", "; ".join(flags)) if flags else ""
        line = format_html(
            _("{status} from {day}"), status=status_badge(update.status), day=describe_day(update.effective_on)
        )
        return format_html("{}{}", line, suffix)

    @admin.display(description=gettext_lazy("evidence"))
    def evidence_links(self, update: StatusUpdate) -> str:
        sources = list(update.evidence.all())
        if not sources:
            return "—"
        return format_html_join(
            ", ", '<a href="{}" rel="noopener noreferrer">{}</a>', ((source.url, source.title) for source in sources)
        )

    @admin.display(description=gettext_lazy("recorded"))
    def byline(self, update: StatusUpdate) -> str:
        return update_byline(update)


class NewStatusUpdateForm(forms.ModelForm):
    save_as_draft = forms.BooleanField(
        required=False,
        label=gettext_lazy("Save as draft"),
        help_text=gettext_lazy(
            "Keep it private until it is published from the status update list. A draft may be saved "
            "without evidence; a published verdict needs at least one evidence source."
        ),
    )

    class Meta:
        model = StatusUpdate
        fields = ["status", "effective_on", *language_columns("rationale"), "evidence", "corrects"]
        widgets = {column: forms.Textarea(attrs={"rows": 4}) for column in language_columns("rationale")}


class NewStatusUpdateFormSet(BaseInlineFormSet):
    def get_queryset(self) -> QuerySet[StatusUpdate]:
        return StatusUpdate.objects.none()


class NewStatusUpdateInline(admin.StackedInline):
    """A form to append one status update to the timeline in the same save as the claim."""

    model = StatusUpdate
    fk_name = "claim"
    form = NewStatusUpdateForm
    formset = NewStatusUpdateFormSet
    extra = 1
    max_num = 1
    can_delete = False
    autocomplete_fields = ["evidence"]
    verbose_name = gettext_lazy("new status update")
    verbose_name_plural = gettext_lazy("record a new status update")

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return self.has_add_permission(request, obj)

    def get_formset(self, request: HttpRequest, obj: Claim | None = None, **kwargs: Any) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Offer only statuses on this claim's scale and standing updates not already corrected.
            form_fields = formset.form.base_fields
            status_field = cast(forms.ModelChoiceField, form_fields["status"])
            corrects_field = cast(forms.ModelChoiceField, form_fields["corrects"])
            status_field.queryset = Status.objects.on_scale(obj.scale)
            corrects_field.queryset = (
                obj.status_updates.in_record().filter(corrections__isnull=True).select_related("status")
            )
            form_fields["corrects"].help_text = _("Leave empty for a new development; pick an update to correct it.")
            form_fields["effective_on"].initial = newsroom_today()
        error = pending_service_error(request, type(self))
        if error is not None:
            formset.form = with_service_error(formset.form, error)
        return formset


class ClaimAdminForm(VersionedAdminForm):
    # Not the model field's name: that field is not editable, so a model form may not list it.
    reason_for_withdrawal = forms.CharField(
        label=gettext_lazy("Reason for withdrawal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Needed to withdraw a claim: it is published where the claim was and in the corrections log."
        ),
    )

    class Meta:
        model = Claim
        fields = [
            "claimant",
            "kind",
            *language_columns("summary"),
            "quote",
            "wording",
            "wording_source",
            "original_language",
            "original_text",
            "slug",
            "made_on",
            "made_on_precision",
            "made_until",
            "term",
            "deadline",
            "parent",
            "topics",
            "visibility",
        ]
        widgets = {"quote": forms.Textarea(attrs={"rows": 4}), "original_text": forms.Textarea(attrs={"rows": 3})}

    service_field_names = {"withdrawal_reason": "reason_for_withdrawal"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields.get("reason_for_withdrawal")
        if reason is not None and self.instance.visibility == Visibility.WITHDRAWN:
            # The published reason stands as given; the service keeps it unless the claim is withdrawn anew.
            reason.initial = self.instance.withdrawal_reason
            reason.disabled = True
            reason.help_text = _("The reason published when the claim was withdrawn.")
        term = self.fields.get("term")
        if term is not None:
            cast(forms.ModelChoiceField, term).queryset = self._term_choices()
        deadline = self.fields.get("deadline")
        if deadline is not None and term is not None:
            deadline.help_text = _(
                "When the claimant said it would be done. Left empty on a pledge or plan with a term of office, "
                "it becomes the term's last day (and stays empty while the term's end is not known)."
            )

    def _term_choices(self) -> QuerySet[Term]:
        """The claimant's terms on a claim's page; every term on a new claim's page and for a save, where
        the claimant may have changed (``Claim.clean`` refuses another person's term, at this field)."""
        terms = Term.objects.select_related("person")
        if not self.is_bound and self.instance.claimant_id is not None:
            return terms.filter(person_id=self.instance.claimant_id)
        return terms


@admin.register(Claim)
class ClaimAdmin(PublishedRecordAdminMixin, VersionedAdmin):
    form = ClaimAdminForm
    published_delete_message = gettext_lazy(
        "A claim that was ever published is never deleted: withdraw it with a reason, which is published."
    )

    class Media:
        css = {"all": ["claims/admin.css"]}

    # Few, narrow columns: the list fits a 1280 px screen beside the filters.
    list_display = ["summary", "claimant_and_kind", "status_column", "deadline", "visibility"]
    list_display_links = ["summary"]
    list_filter = [
        CurrentStatusFilter,
        "kind",
        "visibility",
        ("claimant", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
        ("must_act", admin.RelatedOnlyFieldListFilter),
        StaleFilter,
        PastDeadlineFilter,
        MissingTranslationFilter,
    ]
    search_fields = ["quote", *language_columns("summary"), "claimant__name"]
    search_help_text = gettext_lazy("Search the quote, the summary and the claimant's name.")
    list_select_related = ["claimant", "current_status"]
    autocomplete_fields = ["claimant", "parent", "topics", "must_act", "wording_source"]
    prepopulated_fields = {"slug": [f"summary_{settings.LANGUAGE_CODE}"]}
    date_hierarchy = "made_on"
    list_per_page = 50
    # Skip the second, unfiltered COUNT(*) on every filtered page.
    show_full_result_count = False
    actions = ["publish_claims", "withdraw_claims"]
    readonly_fields = ["current_status_badge", "status_changed_on", "component_rollup", "public_link", "version"]
    fieldsets = [
        (None, {"fields": ["claimant", "kind", f"summary_{settings.LANGUAGE_CODE}", "quote", "slug"]}),
        (
            gettext_lazy("Translations"),
            {
                "fields": [f"summary_{language}" for language in other_languages()],
                "description": gettext_lazy(
                    "The desk's translations of the summary. Pages in a language without one show the English "
                    "summary with a note."
                ),
            },
        ),
        (
            gettext_lazy("Wording"),
            {
                "fields": ["wording", "wording_source", "original_language", "original_text"],
                "description": gettext_lazy(
                    "A verbatim quote appears in quotation marks; a paraphrase never does and is "
                    "shown as reported by its source; a translation names the original language."
                ),
            },
        ),
        (gettext_lazy("Dates"), {"fields": ["made_on", "made_on_precision", "made_until", "term", "deadline"]}),
        (gettext_lazy("Plan, topics and who must act"), {"fields": ["parent", "topics", "must_act"]}),
        (
            gettext_lazy("Status and publication"),
            {
                "fields": [
                    "current_status_badge",
                    "status_changed_on",
                    "component_rollup",
                    "visibility",
                    "reason_for_withdrawal",
                    "public_link",
                    "version",
                    "edited_version",
                ]
            },
        ),
    ]

    def get_inlines(self, request: HttpRequest, obj: Claim | None) -> list[type[admin.options.InlineModelAdmin]]:
        if obj is None:
            # A new claim starts at its scale's default status; updates come once it exists.
            return [ClaimAppearanceInline]
        inlines: list[type[admin.options.InlineModelAdmin]] = [ClaimAppearanceInline]
        if obj.kind == ClaimKind.PLAN:
            inlines.append(ComponentInline)
        return [*inlines, StatusTimelineInline, NewStatusUpdateInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).with_list_related()

    @admin.display(description=gettext_lazy("claimant"), ordering="claimant__name")
    def claimant_and_kind(self, claim: Claim) -> str:
        return format_html('{}<span class="list-note">{}</span>', claim.claimant, claim.get_kind_display())

    @admin.display(description=gettext_lazy("status"), ordering="current_status__order")
    def status_column(self, claim: Claim) -> str:
        if claim.status_changed_on:
            since = _("since %(day)s") % {"day": dateformat.format(claim.status_changed_on, "d M Y")}
        else:
            since = _("no update yet")
        return format_html('{}<span class="list-note">{}</span>', self.current_status_badge(claim), since)

    @admin.display(description=gettext_lazy("current status"), ordering="current_status__order")
    def current_status_badge(self, claim: Claim) -> str:
        if claim.current_status_id is None:
            return "—"
        return status_badge(claim.current_status)

    @admin.display(description=gettext_lazy("components by status"))
    def component_rollup(self, claim: Claim) -> str:
        if claim.kind != ClaimKind.PLAN:
            return _("Only plans have components.")
        rollup = claim.status_rollup()
        if not rollup:
            return _("No published components yet.")
        return format_html_join(" ", "{} × {}", ((count, status_badge(status)) for status, count in rollup))

    @admin.display(description=gettext_lazy("public page"))
    def public_link(self, claim: Claim) -> str:
        if not claim.pk or claim.visibility != Visibility.PUBLISHED:
            return _("Not public (publish the claim to give it a public page).")
        return format_html('<a href="{}">{}</a>', claim.get_absolute_url(), claim.get_absolute_url())

    def save_model(self, request: HttpRequest, obj: Claim, form: ClaimAdminForm, change: bool) -> None:
        obj.withdrawal_reason = form.cleaned_data.get("reason_for_withdrawal", "")
        services.claim_save(
            claim=obj,
            saved_by=acting_user(request),
            expected_version=form.started_from_version(),
            reason=self.change_reason(request),
        )

    def save_form(self, request: HttpRequest, form: forms.ModelForm, change: bool) -> Claim:
        claim = super().save_form(request, form, change)
        # Topics and who must act are the form's only many-to-many fields. The change page and a
        # history page's restore both call form.save_m2m() after save_model: through the services
        # instead, so the claim's history and the change feed record the edit.
        # Django itself sets save_m2m on the form at each save (commit=False); replace that one.
        form.save_m2m = lambda: self._save_links(request, form)  # type: ignore[method-assign]
        return claim

    def _save_links(self, request: HttpRequest, form: forms.ModelForm) -> None:
        data, reason = form.cleaned_data, self.change_reason(request)
        if "topics" in data:
            services.claim_set_topics(
                claim=form.instance, topics=data["topics"], changed_by=acting_user(request), reason=reason
            )
        if "must_act" in data:
            services.claim_set_must_act(
                claim=form.instance, people=data["must_act"], changed_by=acting_user(request), reason=reason
            )

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if isinstance(formset, NewStatusUpdateFormSet):
            self._record_new_updates(request, form, formset)
            return
        if formset.model is ClaimAppearance:
            self._save_appearances(request, form, formset)
            return
        super().save_formset(request, form, formset, change)

    def _save_appearances(self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet) -> None:
        # Removals first: a first appearance replaced by another is gone before the new one is stored.
        formset.save(commit=False)
        reason = self.change_reason(request)
        for appearance in formset.deleted_objects:
            services.appearance_delete(appearance=appearance, deleted_by=acting_user(request), reason=reason)
        for appearance, _changed in formset.changed_objects:
            services.appearance_save(appearance=appearance, saved_by=acting_user(request), reason=reason)
        for appearance in formset.new_objects:
            services.claim_add_appearance(
                claim=form.instance,
                added_by=acting_user(request),
                source=appearance.source,
                is_first_appearance=appearance.is_first_appearance,
                excerpt=appearance.excerpt,
                reason=reason,
            )

    def _record_new_updates(self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet) -> None:
        # The admin's change message reads these; the service does the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for update_form in formset.forms:
            if not update_form.has_changed() or not update_form.cleaned_data:
                continue
            try:
                recorded = record_status_from_form(
                    claim=form.instance, data=update_form.cleaned_data, recorded_by=request.user
                )
            except ValidationError as error:
                raise InlineServiceError(NewStatusUpdateInline, error) from error
            formset.new_objects.append(recorded)
            if recorded.is_awaiting_approval:
                self.message_user(request, awaiting_approval_message(recorded), messages.SUCCESS)

    def response_add(self, request: HttpRequest, obj: Claim, *args: Any, **kwargs: Any) -> HttpResponse:
        self._warn_about_summary(request, obj)
        return super().response_add(request, obj, *args, **kwargs)

    def response_change(self, request: HttpRequest, obj: Claim) -> HttpResponse:
        self._warn_about_summary(request, obj)
        return super().response_change(request, obj)

    def _warn_about_summary(self, request: HttpRequest, claim: Claim) -> None:
        # A warning, not an error: a longer summary is allowed, search engines may cut it short.
        warning = claim_review_summary_warning(claim.summary)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        super().delete_queryset(request, self.refuse_published(request, queryset))

    @admin.action(description=gettext_lazy("Publish the selected claims"), permissions=["change"])
    def publish_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        changed = 0
        for claim in queryset.exclude(visibility=Visibility.PUBLISHED):
            try:
                services.claim_set_visibility(
                    claim=claim, visibility=Visibility.PUBLISHED, changed_by=acting_user(request)
                )
            except ValidationError as error:
                self.message_user(request, self._refused(claim, error), messages.ERROR)
            else:
                changed += 1
        self.message_user(
            request,
            ngettext("%(count)d claim published.", "%(count)d claims published.", changed) % {"count": changed},
            messages.SUCCESS,
        )

    @staticmethod
    def _refused(claim: Claim, error: ValidationError) -> str:
        return _("“%(claim)s”: %(problems)s") % {"claim": claim, "problems": problems(error)}

    @admin.action(
        description=gettext_lazy("Withdraw the selected claims (asks for a published reason)"), permissions=["change"]
    )
    def withdraw_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> HttpResponse | None:
        claims = list(queryset.exclude(visibility=Visibility.WITHDRAWN))
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not claims:
            self.message_user(request, _("The selected claims are already withdrawn."), messages.WARNING)
            return None
        if not form.is_valid():
            return reason_page(
                request,
                self,
                form=form,
                objects=claims,
                action="withdraw_claims",
                title=_("Withdraw claims"),
                intro=_(
                    "A withdrawn claim leaves the public lists; its page says it was withdrawn, when, and why. "
                    "The reason is published."
                ),
                submit_label=pgettext("button that withdraws claims", "Withdraw"),
            )
        withdrawn = 0
        for claim in claims:
            try:
                services.claim_set_visibility(
                    claim=claim,
                    visibility=Visibility.WITHDRAWN,
                    changed_by=acting_user(request),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                self.message_user(request, self._refused(claim, error), messages.ERROR)
            else:
                withdrawn += 1
        self.message_user(
            request,
            ngettext("%(count)d claim withdrawn.", "%(count)d claims withdrawn.", withdrawn) % {"count": withdrawn},
            messages.SUCCESS,
        )
        return None


class RecordStateFilter(admin.SimpleListFilter):
    """Where an update stands: the approval queue is one of these."""

    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("awaiting", _("Awaiting approval")),
            ("draft", pgettext("state of a status update", "Draft")),
            ("published", pgettext("state of a status update", "Published")),
            ("removed", _("Removed from the record")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[StatusUpdate]) -> QuerySet[StatusUpdate]:
        updates = cast(StatusUpdateQuerySet, queryset)
        choices = {
            "awaiting": lambda: updates.awaiting_approval(),
            "draft": lambda: updates.drafts().filter(submitted_at__isnull=True),
            "published": lambda: updates.in_record(),
            "removed": lambda: updates.removed(),
        }
        choose = choices.get(self.value() or "")
        return choose() if choose else queryset


class RationaleTranslationForm(forms.Form):
    """The desk's translations of a recorded update's rationale, one text area per language."""

    def __init__(self, *args: Any, update: StatusUpdate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        for language in other_languages():
            self.fields[language] = forms.CharField(
                label=names[language],
                required=False,
                initial=getattr(update, f"rationale_{language}") or "",
                widget=forms.Textarea(attrs={"rows": 5, "lang": language}),
                help_text=_("Leave empty while there is none: the page then shows the English with a note."),
            )


class StatusUpdateAdminForm(forms.ModelForm):
    save_as_draft = forms.BooleanField(
        required=False,
        label=gettext_lazy("Save as draft"),
        help_text=gettext_lazy(
            "A draft may be saved without evidence; a published verdict needs at least one evidence source."
        ),
    )

    class Meta:
        model = StatusUpdate
        fields = ["claim", "status", "effective_on", *language_columns("rationale"), "evidence", "corrects"]
        widgets = {column: forms.Textarea(attrs={"rows": 4}) for column in language_columns("rationale")}


@admin.register(StatusUpdate)
class StatusUpdateAdmin(PublishedRecordAdminMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    """Every update across claims. Recorded updates are read-only; corrections are new updates."""

    form = StatusUpdateAdminForm
    published_delete_message = gettext_lazy(
        "A published status update is never deleted: record a correction, or (superusers) remove it from the "
        "public record with a reason."
    )
    list_display = ["claim", "status_badge_column", "effective_on", "recorded_by", "recorded_at", "flags"]
    list_filter = [RecordStateFilter, "status", ("corrects", admin.EmptyFieldListFilter), MissingTranslationFilter]
    search_fields = [
        *(f"claim__{column}" for column in language_columns("summary")),
        "claim__claimant__name",
        *language_columns("rationale"),
    ]
    list_select_related = ["claim", "status", "recorded_by"]
    autocomplete_fields = ["claim", "evidence", "corrects"]
    date_hierarchy = "effective_on"
    show_full_result_count = False
    actions = ["publish_drafts", "approve_verdicts", "remove_from_record"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatusUpdate]:
        return (
            super()
            .get_queryset(request)
            .select_related("claim", "status", "recorded_by", "corrects", "approved_by", "removed_by")
        )

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/remove/", wrap(self.remove_view), name="claims_statusupdate_remove"),
            path("<path:object_id>/translate/", wrap(self.translate_view), name="claims_statusupdate_translate"),
            *super().get_urls(),
        ]

    def has_change_permission(self, request: HttpRequest, obj: StatusUpdate | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: StatusUpdate | None = None) -> bool:
        if obj is not None and obj.published_at is not None:
            return False
        if obj is not None and obj.recorded_by_id == request.user.pk:
            # An editor may throw away their own draft; the service checks the same.
            return self.has_add_permission(request)
        return request.user.is_superuser

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request)

    def has_remove_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def delete_model(self, request: HttpRequest, obj: StatusUpdate) -> None:
        services.status_update_delete(update=obj, deleted_by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StatusUpdate]) -> None:
        # Newest first: a correction is always newer than what it corrects, so it goes first.
        for update in self.refuse_published(request, queryset).order_by("-pk"):
            services.status_update_delete(update=update, deleted_by=acting_user(request))

    def get_readonly_fields(self, request: HttpRequest, obj: StatusUpdate | None = None) -> list[str]:
        if obj is None:
            return []
        return [
            "claim",
            "status",
            "effective_on",
            "rationale",
            "evidence",
            "corrects",
            "recorded_by",
            "recorded_at",
            "record_state",
        ]

    def get_fields(self, request: HttpRequest, obj: StatusUpdate | None = None) -> _FieldGroups:
        if obj is None:
            return [*StatusUpdateAdminForm.Meta.fields, "save_as_draft"]
        # A list of plain field names is one of the shapes the stubs' field groups allow.
        return cast("_FieldGroups", self.get_readonly_fields(request, obj))

    @admin.display(description=gettext_lazy("status"), ordering="status__order")
    def status_badge_column(self, update: StatusUpdate) -> str:
        return status_badge(update.status)

    @admin.display(description=gettext_lazy("notes"))
    def flags(self, update: StatusUpdate) -> str:
        notes = update_state_notes(update)
        if update.corrects_id:
            notes.append(_("correction"))
        return ", ".join(notes) or "—"

    @admin.display(description=gettext_lazy("in the record"))
    def record_state(self, update: StatusUpdate) -> str:
        notes = update_state_notes(update) or [pgettext("state of a status update, in a sentence", "published")]
        return f"{', '.join(notes).capitalize()}; {update_byline(update)}"

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        update = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if update is not None and self.has_remove_permission(request) and update.published_at and not update.is_removed:
            # In place of the delete button, which a published update never has.
            extra_context["removal_url"] = reverse("admin:claims_statusupdate_remove", args=[update.pk])
        if update is not None and self.has_add_permission(request) and not update.is_removed:
            extra_context["translate_url"] = reverse("admin:claims_statusupdate_translate", args=[update.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def translate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The desk's translations of the rationale: the only thing of a recorded update that can change."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        update = self.get_object(request, unquote(object_id))
        if update is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)  # type: ignore[attr-defined]
        change_url = reverse("admin:claims_statusupdate_change", args=[update.pk])
        form = RationaleTranslationForm(request.POST if request.method == "POST" else None, update=update)
        if form.is_valid():
            try:
                services.status_update_translate(
                    update=update, translations=form.cleaned_data, translated_by=acting_user(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The translations of the rationale are saved."), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translate the rationale"),
            "opts": self.model._meta,
            "update": update,
            "desk_language": settings.LANGUAGE_CODE,
            "recorded_rationale": getattr(update, f"rationale_{settings.LANGUAGE_CODE}"),
            "form": form,
            "cancel_url": change_url,
        }
        return TemplateResponse(request, "admin/claims/translate_form.html", context)

    def save_model(self, request: HttpRequest, obj: StatusUpdate, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        recorded = record_status_from_form(claim=data["claim"], data=data, recorded_by=request.user)
        # The admin redirects and logs using `obj`; point it at the recorded row.
        obj.pk = recorded.pk
        if recorded.is_awaiting_approval:
            self.message_user(request, awaiting_approval_message(recorded), messages.SUCCESS)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """Evidence was saved by the service."""

    @admin.action(description=gettext_lazy("Publish the selected draft updates"), permissions=["add"])
    def publish_drafts(self, request: HttpRequest, queryset: StatusUpdateQuerySet) -> None:
        published = submitted = 0
        for update in queryset.drafts().filter(submitted_at__isnull=True):
            try:
                services.status_update_publish(update=update, published_by=acting_user(request))
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(update)s” was not published: %(problems)s") % {"update": update, "problems": problems(error)},
                    messages.ERROR,
                )
                continue
            if update.published_at is not None:
                published += 1
            else:
                submitted += 1
        self.message_user(
            request,
            ngettext("%(count)d draft update published.", "%(count)d draft updates published.", published)
            % {"count": published},
            messages.SUCCESS,
        )
        if submitted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d verdict submitted and awaiting approval by another editor before it is public.",
                    "%(count)d verdicts submitted and awaiting approval by another editor before they are public.",
                    submitted,
                )
                % {"count": submitted},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Approve and publish the selected verdicts"), permissions=["approve"])
    def approve_verdicts(self, request: HttpRequest, queryset: StatusUpdateQuerySet) -> None:
        approved = 0
        for update in queryset.awaiting_approval():
            try:
                services.status_update_approve(update=update, approved_by=acting_user(request))
            except PermissionDenied:
                self.message_user(
                    request,
                    _(
                        "“%(update)s” was not approved: you recorded it, and a verdict is approved by a different "
                        "editor."
                    )
                    % {"update": update},
                    messages.ERROR,
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(update)s” was not approved: %(problems)s") % {"update": update, "problems": problems(error)},
                    messages.ERROR,
                )
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d verdict approved and published.", "%(count)d verdicts approved and published.", approved
                )
                % {"count": approved},
                messages.SUCCESS,
            )
        elif not queryset.awaiting_approval().exists():
            self.message_user(request, _("None of the selected updates is awaiting approval."), messages.WARNING)

    @admin.action(
        description=gettext_lazy("Remove from the public record (asks for a published reason)"),
        permissions=["remove"],
    )
    def remove_from_record(self, request: HttpRequest, queryset: StatusUpdateQuerySet) -> HttpResponse | None:
        updates = list(queryset.in_record())
        if not updates:
            self.message_user(
                request, _("Only published updates still in the record can be removed."), messages.WARNING
            )
            return None
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._removal_page(request, form, updates, action="remove_from_record")
        self._remove(request, updates, form.cleaned_data["reason"])
        return None

    def remove_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_remove_permission(request):
            raise PermissionDenied
        update = self.get_object(request, unquote(object_id))
        if update is None:
            # Django's own "no such object" redirect; private, so the stubs leave it out.
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)  # type: ignore[attr-defined]
        change_url = reverse("admin:claims_statusupdate_change", args=[update.pk])
        if update.published_at is None or update.is_removed:
            self.message_user(request, _("Only published updates still in the record can be removed."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            return self._removal_page(request, form, [update])
        self._remove(request, [update], form.cleaned_data["reason"])
        return HttpResponseRedirect(change_url)

    def _removal_page(
        self, request: HttpRequest, form: ReasonForm, updates: list[StatusUpdate], action: str = ""
    ) -> TemplateResponse:
        return reason_page(
            request,
            self,
            form=form,
            objects=updates,
            action=action,
            title=_("Remove from the public record"),
            intro=_(
                "For legal or privacy grounds only; to fix a mistake, record a correction instead. The update "
                "stays in the database; its claim's timeline shows a dated note with your reason in its place, and "
                "the claim's status is worked out again from the updates that remain."
            ),
            submit_label=_("Remove from the public record"),
        )

    def _remove(self, request: HttpRequest, updates: list[StatusUpdate], reason: str) -> None:
        removed = 0
        for update in updates:
            try:
                services.status_update_remove(update=update, removed_by=acting_user(request), reason=reason)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(update)s” was not removed: %(problems)s") % {"update": update, "problems": problems(error)},
                    messages.ERROR,
                )
            else:
                removed += 1
        if removed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d update removed from the public record.",
                    "%(count)d updates removed from the public record.",
                    removed,
                )
                % {"count": removed},
                messages.SUCCESS,
            )


class SourceAdminForm(VersionedAdminForm):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=1000, assume_scheme="https")
    archive_url = forms.URLField(
        label=gettext_lazy("Archive URL"), max_length=1000, required=False, assume_scheme="https"
    )

    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "author", "published_on", "kind", "archive_url"]

    @staticmethod
    def _normalized(address: str) -> str:
        try:
            return services.normalize_source_url(address)
        except ValidationError as error:
            # The service names the model field; here the error belongs to whichever field is cleaned.
            raise ValidationError(error.messages) from None

    def clean_url(self) -> str:
        return self._normalized(self.cleaned_data["url"])

    def clean_archive_url(self) -> str:
        archive_url = self.cleaned_data["archive_url"]
        return self._normalized(archive_url) if archive_url else ""


@admin.register(Source)
class SourceAdmin(VersionedAdmin):
    form = SourceAdminForm
    list_display = ["title", "publisher", "kind", "published_on", "link"]
    list_filter = ["kind", "published_on"]
    search_fields = ["title", "publisher", "author", "url"]
    search_help_text = gettext_lazy("Search the title, publisher, author and address.")
    date_hierarchy = "published_on"
    readonly_fields = ["version"]
    fields = ["url", "title", "publisher", "author", "published_on", "kind", "archive_url", "version", "edited_version"]

    @admin.display(description=gettext_lazy("address"))
    def link(self, source: Source) -> str:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', source.url, source.url[:60])

    def save_model(self, request: HttpRequest, obj: Source, form: SourceAdminForm, change: bool) -> None:
        services.source_save(
            source=obj,
            saved_by=acting_user(request),
            expected_version=form.started_from_version(),
            reason=self.change_reason(request),
        )

    def delete_model(self, request: HttpRequest, obj: Source) -> None:
        # Through the service: the claims that showed the source are logged as edited, for partners' mirrors.
        services.source_delete(source=obj, deleted_by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        # has_delete_permission has already refused the whole selection if it held published evidence.
        for source in queryset:
            services.source_delete(source=source, deleted_by=acting_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Source | None = None) -> bool:
        if obj is not None and services.source_is_published_evidence(obj):
            return False
        return request.user.is_superuser


@admin.register(Status)
class StatusAdmin(SimpleHistoryAdmin):
    list_display = ["label", "scale", "order", "badge", "is_final", "is_default", "rating_value"]
    list_filter = ["scale", "is_final", MissingTranslationFilter]
    search_fields = [*language_columns("label"), *language_columns("meaning")]
    # Each language's column of the label and meaning, not the field itself (claims/translation.py).
    exclude = ["label", "meaning"]
    ordering = ["scale", "order"]

    @admin.display(description=gettext_lazy("badge"))
    def badge(self, status: Status) -> str:
        return status_badge(status)

    def get_readonly_fields(self, request: HttpRequest, obj: Status | None = None) -> list[str]:
        # Recorded updates rely on a status staying on its scale.
        return ["scale"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Status, form: forms.ModelForm, change: bool) -> None:
        # Through the service: claims showing the badge are logged as edited, for partners' mirrors.
        services.status_save(status=obj, saved_by=acting_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Status | None = None) -> bool:
        return request.user.is_superuser


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    list_filter = [MissingTranslationFilter]
    search_fields = language_columns("name")
    # Each language's column of the name, not the field itself (claims/translation.py).
    exclude = ["name"]
    prepopulated_fields = {"slug": [f"name_{settings.LANGUAGE_CODE}"]}

    def save_model(self, request: HttpRequest, obj: Topic, form: forms.ModelForm, change: bool) -> None:
        # Through the service: a rename is logged as an edit of the claims filed under the topic.
        services.topic_save(topic=obj, saved_by=acting_user(request))

    def delete_model(self, request: HttpRequest, obj: Topic) -> None:
        services.topic_delete(topic=obj, deleted_by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        for topic in queryset:
            services.topic_delete(topic=topic, deleted_by=acting_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Topic | None = None) -> bool:
        return request.user.is_superuser
