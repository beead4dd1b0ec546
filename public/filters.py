"""The claims list's filter form: a GET form, so every filtered view is a shareable URL."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from claims.models import Claim, ClaimKind, Status, Topic
from people.models import Person
from public import selectors

SEARCH_MAX_LENGTH = 200

SORTS = {
    "updated": ("Recently updated", ("-updated_at", "-id")),
    "newest": ("Newest first", ("-made_on", "-id")),
    "oldest": ("Oldest first", ("made_on", "id")),
}
DEFAULT_SORT = "updated"


def status_choices() -> list[tuple[str, str]]:
    # Both scales have "Not yet rated" and "Unclear": one choice each, matching either scale.
    choices: dict[str, str] = {}
    for slug, label in Status.objects.order_by("scale", "order").values_list("slug", "label"):
        choices.setdefault(slug, label)
    return list(choices.items())


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words from the quote, the summary or the claimant's name.",
        widget=forms.SearchInput(attrs={"aria-describedby": "id_q-help"}),
    )
    status = django_filters.ChoiceFilter(
        label="Status", field_name="current_status__slug", choices=status_choices, empty_label="Any status"
    )
    claimant = django_filters.ModelChoiceFilter(
        label="Claimant",
        queryset=lambda request: selectors.people_tracked().only("pk", "slug", "name"),
        to_field_name="slug",
        empty_label="Anyone",
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=ClaimKind.choices, empty_label="Any kind")
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        field_name="topics",
        queryset=Topic.objects.filter(claims__visibility="published").distinct(),
        to_field_name="slug",
        empty_label="Any topic",
    )
    past_deadline = django_filters.BooleanFilter(
        label="Only claims past their deadline without a final verdict",
        method="filter_past_deadline",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        method="filter_sort",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        empty_label=None,
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        value = " ".join(value.split())
        return queryset.search(value) if value else queryset

    def filter_past_deadline(self, queryset: QuerySet[Claim], name: str, value: bool) -> QuerySet[Claim]:
        return queryset.past_deadline() if value else queryset

    def filter_sort(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        # Sorting happens in ``ordered``, so it also applies when ``sort`` is absent.
        return queryset

    def ordered(self) -> QuerySet[Claim]:
        self.form.is_valid()  # Fills cleaned_data with the valid fields even if another is invalid.
        sort = self.form.cleaned_data.get("sort")
        return self.qs.order_by(*SORTS[sort or DEFAULT_SORT][1])

    @property
    def active(self) -> dict[str, str]:
        """The valid, non-empty filter values, for the canonical URL and the "clear" links."""
        self.form.is_valid()
        values: dict[str, str] = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", False) or (name == "sort" and value == DEFAULT_SORT):
                continue
            if isinstance(value, Person | Topic):
                values[name] = value.slug
            elif value is True:
                values[name] = "on"
            else:
                values[name] = str(value)
        return values
