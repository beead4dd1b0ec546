"""The claim filters the public list and the API share: one meaning and one validation each.

``ClaimFilterBase`` applies them; the functions below declare them. Each surface's FilterSet extends
the base and declares the filters it offers, in its own order, adding only its own parts: the
public list its labels, form widgets and narrower choices (public/filters.py), the API its help
text, repeatable values and strict 400s (api/filters.py). Declaring through these functions rather
than on the base keeps each surface's order, which is its form's field order, its canonical URL's
parameter order and its schema's.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from claims.models import Claim, ClaimKind, ClaimQuerySet, Status, Topic
from claims.search import SearchTooComplexError, check_search
from people.models import Person


def validate_search(text: str) -> None:
    """The one rule for search text (claims.search.check_search): the field's error, a 400 naming ``q`` in the API."""
    try:
        check_search(text)
    except SearchTooComplexError as error:
        raise forms.ValidationError(str(error), code="search_too_complex") from error


def search_filter(**surface: Any) -> django_filters.CharFilter:
    """``q``: words in the quote, the summary or the claimant's name (claims.search syntax)."""
    return django_filters.CharFilter(
        label=gettext_lazy("Search"), method="filter_search", validators=[validate_search], **surface
    )


def as_of_filter(**surface: Any) -> django_filters.DateFilter:
    """``as_of``: the claims and their statuses as the record stood at the end of that day."""
    return django_filters.DateFilter(label=gettext_lazy("As of"), method="filter_as_of", **surface)


def status_filter(*, several: bool, filter_class: type | None = None, **surface: Any) -> django_filters.Filter:
    """``status`` by slug, on either scale; ``several``: the parameter may repeat (any of them)."""
    if several:
        several_class = filter_class or django_filters.ModelMultipleChoiceFilter
        return several_class(method="filter_status", to_field_name="slug", queryset=Status.objects.all(), **surface)
    return django_filters.ChoiceFilter(method="filter_status", **surface)


def claimant_filter(*, queryset: Any = None, **surface: Any) -> django_filters.ModelChoiceFilter:
    """``claimant``: the slug of the person or organisation who made the claim."""
    queryset = Person.objects.all() if queryset is None else queryset
    return django_filters.ModelChoiceFilter(
        label=gettext_lazy("Claimant"), to_field_name="slug", queryset=queryset, **surface
    )


def kind_filter(*, several: bool, **surface: Any) -> django_filters.Filter:
    """``kind``: a promise, a statement of fact…; ``several``: the parameter may repeat."""
    filter_class = django_filters.MultipleChoiceFilter if several else django_filters.ChoiceFilter
    return filter_class(label=gettext_lazy("Kind"), choices=ClaimKind.choices, **surface)


def topic_filter(*, queryset: Any = None, **surface: Any) -> django_filters.ModelChoiceFilter:
    """``topic``: a topic's slug."""
    queryset = Topic.objects.all() if queryset is None else queryset
    return django_filters.ModelChoiceFilter(
        label=gettext_lazy("Topic"), field_name="topics", to_field_name="slug", queryset=queryset, **surface
    )


def must_act_filter(
    *, several: bool, filter_class: type | None = None, queryset: Any = None, **surface: Any
) -> django_filters.Filter:
    """``must_act``: the slug of a person or body whose decision the claim depends on; ``several``: any of them."""
    queryset = Person.objects.all() if queryset is None else queryset
    if several:
        several_class = filter_class or django_filters.ModelMultipleChoiceFilter
        return several_class(
            label=gettext_lazy("Who must act"),
            field_name="must_act__slug",
            to_field_name="slug",
            queryset=queryset,
            distinct=True,
            **surface,
        )
    return django_filters.ModelChoiceFilter(
        label=gettext_lazy("Who must act"), field_name="must_act", to_field_name="slug", queryset=queryset, **surface
    )


def past_deadline_filter(*, filter_class: type[django_filters.Filter], **surface: Any) -> django_filters.Filter:
    """``past_deadline``: true, the deadline has passed without a final verdict; false, all others; absent, all."""
    return filter_class(method="filter_past_deadline", **surface)


class ClaimFilterBase(django_filters.FilterSet):
    """What each shared claim filter does; a surface's FilterSet declares which it offers."""

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_queryset(self, queryset: ClaimQuerySet) -> ClaimQuerySet:
        # The date comes first: the status filter then compares with the status as of that date.
        self.form.is_valid()  # Fills cleaned_data with the valid fields even if another is invalid.
        as_of = self.form.cleaned_data.get("as_of")
        if as_of is not None:
            queryset = queryset.with_status_as_of(as_of)
        return super().filter_queryset(queryset)

    def filter_as_of(self, queryset: ClaimQuerySet, name: str, value: datetime.date) -> ClaimQuerySet:
        return queryset  # applied first, in filter_queryset

    def filter_status(self, queryset: ClaimQuerySet, name: str, value: str | QuerySet[Status]) -> ClaimQuerySet:
        # One slug (a form's select) names that status on either scale; several arrive as the statuses.
        if isinstance(value, str):
            return queryset.at_status(Status.objects.filter(slug=value).values("pk"))
        if not value:
            return queryset
        return queryset.at_status([status.pk for status in value])

    def filter_past_deadline(self, queryset: ClaimQuerySet, name: str, value: bool | None) -> ClaimQuerySet:
        if value is None:
            return queryset
        past = Claim.objects.past_deadline().values("pk")
        return queryset.filter(pk__in=past) if value else queryset.exclude(pk__in=past)

    def filter_search(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        value = value.strip()
        return queryset.search(value) if value else queryset
