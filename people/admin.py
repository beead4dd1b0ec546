from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from claimtracker.admin_versioning import VersionedAdmin, VersionedAdminForm, acting_user
from people.models import Person
from people.services import person_delete, person_save

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ClaimCount(TypedDict):
    """What ``PersonQuerySet.annotate_claim_count`` adds to each person."""

    claim_count: int


class PersonAdminForm(VersionedAdminForm):
    class Meta:
        model = Person
        fields = ["name", "slug", "kind", "role", "country", "bio", "wikidata_id"]


@admin.register(Person)
class PersonAdmin(VersionedAdmin):
    form = PersonAdminForm
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

    def delete_model(self, request: HttpRequest, obj: Person) -> None:
        # Through the service: the claims that showed the person are logged as edited, for partners' mirrors.
        person_delete(person=obj, deleted_by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset:
            person_delete(person=person, deleted_by=acting_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return request.user.is_superuser
