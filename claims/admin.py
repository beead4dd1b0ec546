"""The editors' admin for claims, sources, statuses and the status timeline.

Saves go through ``claims.services``; the timeline is append-only here (no change, no delete
for editors) and a correction is a new update that points to the one it corrects.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Claim, ClaimAppearance, ClaimKind, Source, Status, StatusUpdate, Topic, Visibility
from claimtracker.admin_versioning import VersionedAdmin, VersionedAdminForm


def status_badge(status: Status) -> str:
    return format_html(
        '<span class="status-badge" style="background:{};color:{};padding:2px 8px;border-radius:9px;'
        'white-space:nowrap;font-weight:600">{}</span>',
        status.colour,
        status.text_colour,
        status.label,
    )


def record_status_from_form(*, claim: Claim, data: dict[str, Any], recorded_by: Any) -> StatusUpdate:
    """Record the status update an admin form describes: the inline on a claim, or the standalone form."""
    return services.claim_record_status(
        claim=claim,
        status=data["status"],
        effective_on=data["effective_on"],
        rationale=data["rationale"],
        evidence=data["evidence"],
        corrects=data.get("corrects"),
        publish=not data.get("save_as_draft"),
        recorded_by=recorded_by,
    )


class CurrentStatusFilter(admin.SimpleListFilter):
    title = "current status"
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
    title = "staleness"
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        from django.conf import settings

        return [("yes", f"Stale (open, no update for {settings.CLAIMTRACKER_STALE_AFTER_DAYS} days)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        return queryset.stale() if self.value() == "yes" else queryset


class PastDeadlineFilter(admin.SimpleListFilter):
    title = "deadline"
    parameter_name = "past_deadline"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Past deadline, not yet resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        return queryset.past_deadline() if self.value() == "yes" else queryset


class ClaimAppearanceInline(admin.TabularInline):
    model = ClaimAppearance
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "is_first_appearance", "excerpt"]
    verbose_name = "source where the claim appeared"
    verbose_name_plural = "sources where the claim appeared"
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
    readonly_fields = fields
    verbose_name = "component"
    verbose_name_plural = "components of this plan"

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("current_status")

    @admin.display(description="status")
    def current_status_badge(self, component: Claim) -> str:
        return status_badge(component.current_status)


class StatusTimelineInline(admin.StackedInline):
    """The recorded timeline, newest first. Nothing here can be edited or deleted."""

    model = StatusUpdate
    fk_name = "claim"
    extra = 0
    can_delete = False
    fields = ["summary_line", "rationale", "evidence_links", "byline"]
    readonly_fields = fields
    verbose_name = "recorded status update"
    verbose_name_plural = "timeline (append-only; to fix an update, record a correction below)"
    ordering = ["-effective_on", "-recorded_at", "-id"]

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatusUpdate]:
        return super().get_queryset(request).timeline()

    @admin.display(description="status")
    def summary_line(self, update: StatusUpdate) -> str:
        flags = []
        if update.is_draft:
            flags.append("draft, not public")
        if update.corrects_id:
            flags.append(f"corrects the update of {update.corrects.effective_on:%d %b %Y}")
        suffix = format_html(" <em>({})</em>", "; ".join(flags)) if flags else ""
        return format_html("{} from {}{}", status_badge(update.status), f"{update.effective_on:%d %B %Y}", suffix)

    @admin.display(description="evidence")
    def evidence_links(self, update: StatusUpdate) -> str:
        sources = list(update.evidence.all())
        if not sources:
            return "—"
        return format_html_join(
            ", ", '<a href="{}" rel="noopener noreferrer">{}</a>', ((source.url, source.title) for source in sources)
        )

    @admin.display(description="recorded")
    def byline(self, update: StatusUpdate) -> str:
        editor = update.recorded_by.get_full_name() or update.recorded_by.get_username()
        return f"by {editor} on {timezone.localtime(update.recorded_at):%d %b %Y %H:%M}"


class NewStatusUpdateForm(forms.ModelForm):
    save_as_draft = forms.BooleanField(
        required=False, help_text="Keep it private until it is published from the status update list."
    )

    class Meta:
        model = StatusUpdate
        fields = ["status", "effective_on", "rationale", "evidence", "corrects"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4})}


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
    verbose_name = "new status update"
    verbose_name_plural = "record a new status update"

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return self.has_add_permission(request, obj)

    def get_formset(self, request: HttpRequest, obj: Claim | None = None, **kwargs: Any) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Offer only statuses on this claim's scale and updates not already corrected.
            form_fields = formset.form.base_fields
            form_fields["status"].queryset = Status.objects.on_scale(obj.scale)
            form_fields["corrects"].queryset = obj.status_updates.filter(corrections__isnull=True).select_related(
                "status"
            )
            form_fields["corrects"].help_text = "Leave empty for a new development; pick an update to correct it."
            form_fields["effective_on"].initial = timezone.localdate()
        return formset


class ClaimAdminForm(VersionedAdminForm):
    class Meta:
        model = Claim
        fields = [
            "claimant",
            "kind",
            "summary",
            "quote",
            "slug",
            "made_on",
            "deadline",
            "parent",
            "topics",
            "visibility",
        ]
        widgets = {"quote": forms.Textarea(attrs={"rows": 4})}


@admin.register(Claim)
class ClaimAdmin(VersionedAdmin):
    form = ClaimAdminForm

    class Media:
        css = {"all": ["claims/admin.css"]}

    list_display = [
        "summary",
        "claimant",
        "kind",
        "current_status_badge",
        "status_changed_on",
        "deadline",
        "visibility",
    ]
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
    ]
    search_fields = ["quote", "summary", "claimant__name"]
    search_help_text = "Search the quote, the summary and the claimant's name."
    list_select_related = ["claimant", "current_status"]
    autocomplete_fields = ["claimant", "parent", "topics", "must_act"]
    prepopulated_fields = {"slug": ["summary"]}
    date_hierarchy = "made_on"
    list_per_page = 50
    # Skip the second, unfiltered COUNT(*) on every filtered page.
    show_full_result_count = False
    actions = ["publish_claims", "withdraw_claims"]
    readonly_fields = ["current_status_badge", "status_changed_on", "component_rollup", "public_link", "version"]
    fieldsets = [
        (None, {"fields": ["claimant", "kind", "summary", "quote", "slug"]}),
        ("Dates", {"fields": ["made_on", "deadline"]}),
        ("Plan, topics and who must act", {"fields": ["parent", "topics", "must_act"]}),
        (
            "Status and publication",
            {
                "fields": [
                    "current_status_badge",
                    "status_changed_on",
                    "component_rollup",
                    "visibility",
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

    @admin.display(description="current status", ordering="current_status__order")
    def current_status_badge(self, claim: Claim) -> str:
        if claim.current_status_id is None:
            return "—"
        return status_badge(claim.current_status)

    @admin.display(description="components by status")
    def component_rollup(self, claim: Claim) -> str:
        if claim.kind != ClaimKind.PLAN:
            return "Only plans have components."
        rollup = claim.status_rollup()
        if not rollup:
            return "No published components yet."
        return format_html_join(" ", "{} × {}", ((count, status_badge(status)) for status, count in rollup))

    @admin.display(description="public page")
    def public_link(self, claim: Claim) -> str:
        if not claim.pk or claim.visibility != Visibility.PUBLISHED:
            return "Not public (publish the claim to give it a public page)."
        return format_html('<a href="{}">{}</a>', claim.get_absolute_url(), claim.get_absolute_url())

    def save_model(self, request: HttpRequest, obj: Claim, form: ClaimAdminForm, change: bool) -> None:
        services.claim_save(
            claim=obj,
            saved_by=request.user,
            expected_version=form.started_from_version(),
            reason=self.change_reason(request),
        )

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if isinstance(formset, NewStatusUpdateFormSet):
            # The admin's change message reads these; the service does the saving.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for update_form in formset.forms:
                if not update_form.has_changed() or not update_form.cleaned_data:
                    continue
                recorded = record_status_from_form(
                    claim=form.instance, data=update_form.cleaned_data, recorded_by=request.user
                )
                formset.new_objects.append(recorded)
            return
        if formset.model is ClaimAppearance:
            formset.save(commit=False)
            for appearance in formset.new_objects:
                services.claim_add_appearance(
                    claim=form.instance,
                    added_by=request.user,
                    source=appearance.source,
                    is_first_appearance=appearance.is_first_appearance,
                    excerpt=appearance.excerpt,
                )
            for appearance, _changed in formset.changed_objects:
                appearance.save()
            for appearance in formset.deleted_objects:
                appearance.delete()
            return
        super().save_formset(request, form, formset, change)

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return request.user.is_superuser

    def _set_visibility(self, request: HttpRequest, queryset: QuerySet[Claim], visibility: str) -> None:
        changed = 0
        for claim in queryset:
            if claim.visibility == visibility:
                continue
            try:
                services.claim_set_visibility(claim=claim, visibility=visibility, changed_by=request.user)
            except ValidationError as error:
                self.message_user(request, f"“{claim}”: {'; '.join(error.messages)}", messages.ERROR)
            else:
                changed += 1
        label = Visibility(visibility).label.lower()
        self.message_user(request, f"{changed} claim(s) {label}.", messages.SUCCESS)

    @admin.action(description="Publish the selected claims", permissions=["change"])
    def publish_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        self._set_visibility(request, queryset, Visibility.PUBLISHED)

    @admin.action(description="Withdraw the selected claims from public view", permissions=["change"])
    def withdraw_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        self._set_visibility(request, queryset, Visibility.WITHDRAWN)


class StatusUpdateAdminForm(forms.ModelForm):
    save_as_draft = forms.BooleanField(required=False)

    class Meta:
        model = StatusUpdate
        fields = ["claim", "status", "effective_on", "rationale", "evidence", "corrects"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4})}


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """Every update across claims. Recorded updates are read-only; corrections are new updates."""

    form = StatusUpdateAdminForm
    list_display = ["claim", "status_badge_column", "effective_on", "recorded_by", "recorded_at", "flags"]
    list_filter = ["status", ("published_at", admin.EmptyFieldListFilter), ("corrects", admin.EmptyFieldListFilter)]
    search_fields = ["claim__summary", "claim__claimant__name", "rationale"]
    list_select_related = ["claim", "status", "recorded_by"]
    autocomplete_fields = ["claim", "evidence", "corrects"]
    date_hierarchy = "effective_on"
    show_full_result_count = False
    actions = ["publish_drafts"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatusUpdate]:
        return super().get_queryset(request).select_related("claim", "status", "recorded_by", "corrects")

    def has_change_permission(self, request: HttpRequest, obj: StatusUpdate | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: StatusUpdate | None = None) -> bool:
        return request.user.is_superuser

    def delete_model(self, request: HttpRequest, obj: StatusUpdate) -> None:
        services.status_update_delete(update=obj, deleted_by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StatusUpdate]) -> None:
        # Newest first: a correction is always newer than what it corrects, so it goes first.
        for update in queryset.order_by("-pk"):
            services.status_update_delete(update=update, deleted_by=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: StatusUpdate | None = None) -> list[str]:
        if obj is None:
            return []
        return ["claim", "status", "effective_on", "rationale", "evidence", "corrects", "recorded_by", "recorded_at"]

    def get_fields(self, request: HttpRequest, obj: StatusUpdate | None = None) -> list[str]:
        if obj is None:
            return [*StatusUpdateAdminForm.Meta.fields, "save_as_draft"]
        return self.get_readonly_fields(request, obj)

    @admin.display(description="status", ordering="status__order")
    def status_badge_column(self, update: StatusUpdate) -> str:
        return status_badge(update.status)

    @admin.display(description="notes")
    def flags(self, update: StatusUpdate) -> str:
        notes = []
        if update.is_draft:
            notes.append("draft")
        if update.corrects_id:
            notes.append("correction")
        return ", ".join(notes) or "—"

    def save_model(self, request: HttpRequest, obj: StatusUpdate, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        recorded = record_status_from_form(claim=data["claim"], data=data, recorded_by=request.user)
        # The admin redirects and logs using `obj`; point it at the recorded row.
        obj.pk = recorded.pk

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """Evidence was saved by the service."""

    @admin.action(description="Publish the selected draft updates", permissions=["add"])
    def publish_drafts(self, request: HttpRequest, queryset: QuerySet[StatusUpdate]) -> None:
        drafts = list(queryset.drafts())
        for update in drafts:
            services.status_update_publish(update=update, published_by=request.user)
        self.message_user(request, f"{len(drafts)} draft update(s) published.", messages.SUCCESS)


class SourceAdminForm(VersionedAdminForm):
    url = forms.URLField(label="URL", max_length=1000, assume_scheme="https")
    archive_url = forms.URLField(label="Archive URL", max_length=1000, required=False, assume_scheme="https")

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
    search_help_text = "Search the title, publisher, author and address."
    date_hierarchy = "published_on"
    readonly_fields = ["version"]
    fields = ["url", "title", "publisher", "author", "published_on", "kind", "archive_url", "version", "edited_version"]

    @admin.display(description="address")
    def link(self, source: Source) -> str:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', source.url, source.url[:60])

    def save_model(self, request: HttpRequest, obj: Source, form: SourceAdminForm, change: bool) -> None:
        services.source_save(
            source=obj,
            saved_by=request.user,
            expected_version=form.started_from_version(),
            reason=self.change_reason(request),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Source | None = None) -> bool:
        return request.user.is_superuser


@admin.register(Status)
class StatusAdmin(SimpleHistoryAdmin):
    list_display = ["label", "scale", "order", "badge", "is_final", "is_default", "rating_value"]
    list_filter = ["scale", "is_final"]
    search_fields = ["label", "meaning"]
    ordering = ["scale", "order"]

    @admin.display(description="badge")
    def badge(self, status: Status) -> str:
        return status_badge(status)

    def get_readonly_fields(self, request: HttpRequest, obj: Status | None = None) -> list[str]:
        # Recorded updates rely on a status staying on its scale.
        return ["scale"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Status | None = None) -> bool:
        return request.user.is_superuser


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Topic | None = None) -> bool:
        return request.user.is_superuser
