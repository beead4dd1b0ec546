from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import Claim
from claimtracker.admin_versioning import (
    InlineServiceError,
    VersionedAdmin,
    VersionedAdminForm,
    acting_user,
    add_validation_error,
    pending_service_error,
)
from people.models import Person, Term
from people.services import person_delete, person_save, term_delete, term_save, term_validate

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ClaimCount(TypedDict):
    """What ``PersonQuerySet.annotate_claim_count`` adds to each person."""

    claim_count: int


class PledgeCount(TypedDict):
    """What ``TermAdmin.get_queryset`` adds to each term."""

    pledge_count: int


class TermForm(VersionedAdminForm):
    """A term of office: each error at the field it concerns, the service's rules checked before the save."""

    class Meta:
        model = Term
        fields = ["person", "office", "starts_on", "ends_on"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on is not None and ends_on is not None and ends_on < starts_on:
            # At the end's field: the model's constraint would say so at the top of the form.
            self.add_error("ends_on", _("A term ends on or after the day it starts."))
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        try:
            term_validate(self.instance)
        except ValidationError as error:
            add_validation_error(self, error)


class TermInlineForm(TermForm):
    """A row of the terms on a person's page. A service's refusal on the first attempt (a race the form
    could not see) is shown on the rows that were changed, not on every row."""

    service_error: ValidationError | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not VersionedAdminForm's reading of the stored version, one query per row: a row's term was
        # read with its person's page (an inline is never a history restore), so its version is the stored one.
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.fields["edited_version"].initial = self.instance.version if self.instance.pk is not None else None

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.service_error is not None and self.has_changed():
            add_validation_error(self, self.service_error)


class TermInline(admin.TabularInline):
    model = Term
    form = TermInlineForm
    extra = 0
    show_change_link = True
    fields = ["office", "starts_on", "ends_on", "edited_version"]
    verbose_name = gettext_lazy("term of office")
    verbose_name_plural = gettext_lazy("terms of office")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Term]:
        # Each row names its term, and a term's name includes its person.
        return super().get_queryset(request).select_related("person")

    def get_formset(self, request: HttpRequest, obj: Person | None = None, **kwargs: Any) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        error = pending_service_error(request, type(self))
        if error is not None:
            formset.form = type(formset.form.__name__, (formset.form,), {"service_error": error})
        return formset


class PersonAdminForm(VersionedAdminForm):
    class Meta:
        model = Person
        fields = ["name", "slug", "kind", "role", "country", "bio", "wikidata_id"]


@admin.register(Person)
class PersonAdmin(VersionedAdmin):
    form = PersonAdminForm
    inlines = [TermInline]
    list_display = ["name", "kind", "role", "country", "claim_count", "wikidata_link"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "role", "country"]
    search_help_text = gettext_lazy("Search the name, role and country.")
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["version", "created_at", "updated_at"]
    fields = [
        "name",
        "slug",
        "kind",
        "role",
        "country",
        "bio",
        "wikidata_id",
        "version",
        "created_at",
        "updated_at",
        "edited_version",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return super().get_queryset(request).annotate_claim_count()

    @admin.display(description=gettext_lazy("claims"), ordering="claim_count")
    def claim_count(self, person: WithAnnotations[Person, ClaimCount]) -> int:
        return person.claim_count

    @admin.display(description=gettext_lazy("Wikidata"))
    def wikidata_link(self, person: Person) -> str:
        if not person.wikidata_id:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', person.wikidata_url, person.wikidata_id)

    def save_model(self, request: HttpRequest, obj: Person, form: PersonAdminForm, change: bool) -> None:
        person_save(
            person=obj,
            saved_by=acting_user(request),
            expected_version=form.started_from_version(),
            reason=self.change_reason(request),
        )

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not Term:
            super().save_formset(request, form, formset, change)
            return
        # Through the services, each term at the version its row was read at. The admin's change
        # message reads the formset's new, changed and deleted objects, which this call sets.
        formset.save(commit=False)
        started_from = {
            id(term_form.instance): term_form.cleaned_data.get("edited_version")
            for term_form in formset.forms
            if term_form.cleaned_data
        }
        editor, reason = acting_user(request), self.change_reason(request)
        try:
            for term in formset.deleted_objects:
                term_delete(term=term, deleted_by=editor)
            for term, _changed in formset.changed_objects:
                term_save(term=term, saved_by=editor, expected_version=started_from.get(id(term)), reason=reason)
            for term in formset.new_objects:
                term_save(term=term, saved_by=editor, reason=reason)
        except ValidationError as error:
            raise InlineServiceError(TermInline, error) from error

    def delete_model(self, request: HttpRequest, obj: Person) -> None:
        # Through the service: the claims that showed the person are logged as edited, for partners' mirrors.
        person_delete(person=obj, deleted_by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset:
            person_delete(person=person, deleted_by=acting_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return request.user.is_superuser


class TermEndFilter(admin.SimpleListFilter):
    """Terms whose end is known, or not yet known (a sitting office-holder's, for instance)."""

    title = gettext_lazy("end")
    parameter_name = "end"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("unknown", _("End not known yet")), ("known", _("End known"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Term]) -> QuerySet[Term]:
        if self.value() in ("unknown", "known"):
            return queryset.filter(ends_on__isnull=self.value() == "unknown")
        return queryset


@admin.register(Term)
class TermAdmin(VersionedAdmin):
    form = TermForm
    list_display = ["person", "office", "starts_on", "ends_on", "pledge_count"]
    list_display_links = ["person", "office"]
    list_filter = [("person", admin.RelatedOnlyFieldListFilter), "office", TermEndFilter, "starts_on"]
    search_fields = ["person__name", "office"]
    search_help_text = gettext_lazy("Search the person's name and the office.")
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
    readonly_fields = ["version", "created_at", "updated_at"]
    fields = ["person", "office", "starts_on", "ends_on", "version", "created_at", "updated_at", "edited_version"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Term]:
        # A subquery, not a join and GROUP BY: the list's counts and the office filter stay plain.
        pledges = Claim.objects.filter(term=OuterRef("pk")).order_by().values("term").annotate(n=Count("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(pledge_count=Coalesce(Subquery(pledges.values("n"), output_field=IntegerField()), 0))
        )

    @admin.display(description=gettext_lazy("pledges"), ordering="pledge_count")
    def pledge_count(self, term: WithAnnotations[Term, PledgeCount]) -> int:
        return term.pledge_count

    def save_model(self, request: HttpRequest, obj: Term, form: TermForm, change: bool) -> None:
        term_save(
            term=obj,
            saved_by=acting_user(request),
            expected_version=form.started_from_version(),
            reason=self.change_reason(request),
        )

    def delete_model(self, request: HttpRequest, obj: Term) -> None:
        term_delete(term=obj, deleted_by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Term]) -> None:
        for term in queryset:
            term_delete(term=term, deleted_by=acting_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Term | None = None) -> bool:
        return request.user.is_superuser
