"""Filters for the claim list (JSON and CSV), the people, term and source lists."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.views import APIView

from api.exceptions import InvalidFilter
from api.permissions import has_editor_key
from api.selectors import visible_claims
from claims.filters import (
    ClaimFilterBase,
    as_of_filter,
    claimant_filter,
    kind_filter,
    must_act_filter,
    past_deadline_filter,
    search_filter,
    status_filter,
    topic_filter,
)
from claims.models import Claim, Scale, Source, Status
from claims.search import MAX_SEARCH_CHARACTERS, MAX_TERMS
from people.models import Person, PersonQuerySet, Term, TermQuerySet


def _parent_choices(request: Request | None) -> QuerySet[Claim]:
    return visible_claims(include_unpublished=request is not None and has_editor_key(request))


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several values by slug; described in the schema as repeated strings."""


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false``; anything else is a 400 rather than silently ignored."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, compared in UTC.

    Converting first means any valid offset works: PostgreSQL itself only accepts offsets
    within ±15:59, and would fail on e.g. `-19:41`.
    """

    def filter(self, queryset: QuerySet, value: datetime.datetime | None) -> QuerySet:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return super().filter(queryset, value)


class ClaimFilterSet(ClaimFilterBase):
    """The claim filters (claims.filters) with the API's help text and repeatable values, and its own few."""

    as_of = as_of_filter(
        help_text=(
            "A date, YYYY-MM-DD: answer as the record stood at the end of that day — claims made and published "
            "by then, each with the status in effect then (`current_status`, `status_changed_on`) and its timeline "
            "as it stood. Later updates, corrections and removals do not count, so the answer never changes. "
            "`status` then filters on that status."
        ),
    )
    status = status_filter(
        several=True,
        filter_class=SlugMultipleChoiceFilter,
        label="Current status",
        help_text="Status slug, e.g. `kept` or `false`. Repeat the parameter for several: `status=kept&status=broken`.",
    )
    must_act = must_act_filter(
        several=True,
        filter_class=SlugMultipleChoiceFilter,
        help_text="Slug of a person or body whose decision the claim depends on; repeat for several (any of them).",
    )
    claimant = claimant_filter(help_text="Slug of the person.")
    kind = kind_filter(several=True, help_text="Kind of claim; repeat the parameter for several.")
    topic = topic_filter(help_text="Topic slug.")
    parent = django_filters.ModelChoiceFilter(
        queryset=_parent_choices, label="Plan", help_text="Id of a plan: only its components."
    )
    top_level = StrictBooleanFilter(
        field_name="parent",
        lookup_expr="isnull",
        label="Top level",
        help_text="`true`: only claims that are not a component.",
    )
    made_on_after = django_filters.DateFilter(
        field_name="made_on", lookup_expr="gte", label="Made on or after", help_text="A date, YYYY-MM-DD."
    )
    made_on_before = django_filters.DateFilter(
        field_name="made_on", lookup_expr="lte", label="Made on or before", help_text="A date, YYYY-MM-DD."
    )
    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Updated since",
        help_text="ISO 8601 date-time, e.g. `2026-01-31T12:00:00Z`: claims changed at or after it.",
    )
    past_deadline = past_deadline_filter(
        filter_class=StrictBooleanFilter,
        label="Past deadline",
        help_text="`true`: the deadline has passed and the status is not a final verdict; `false`: all others.",
    )
    q = search_filter(
        help_text='Words in the quote, the summary or the claimant\'s name: `"a phrase"`, `or`, `-word`; '
        f"at most {MAX_SEARCH_CHARACTERS} characters and {MAX_TERMS} words or phrases (more is a 400).",
    )

    class Meta(ClaimFilterBase.Meta):
        fields = ["status", "claimant", "kind", "topic", "parent", "top_level"]


class PersonFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Person.Kind.choices, label="Kind", help_text="`person` or `organisation`."
    )
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        max_length=MAX_SEARCH_CHARACTERS,
        help_text="Words in the name or role.",
    )

    class Meta:
        model = Person
        fields = ["kind"]

    def filter_search(self, queryset: PersonQuerySet, name: str, value: str) -> PersonQuerySet:
        return queryset.search(value.strip()) if value.strip() else queryset


class TermFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(),
        to_field_name="slug",
        label="Person",
        help_text="Slug of a person or organisation: only their terms.",
    )
    held_on = django_filters.DateFilter(
        method="filter_held_on",
        label="Held on",
        help_text="A date, YYYY-MM-DD: only the terms running that day (from the first day to the last, "
        "or on from the first while the end is not known).",
    )

    class Meta:
        model = Term
        fields = ["person"]

    def filter_held_on(self, queryset: TermQuerySet, name: str, value: datetime.date | None) -> TermQuerySet:
        return queryset if value is None else queryset.held_on(value)


class SourceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices, label="Kind", help_text="Kind of source.")
    publisher = django_filters.CharFilter(lookup_expr="iexact", label="Publisher", help_text="Exact publisher name.")

    class Meta:
        model = Source
        fields = ["kind", "publisher"]


class StatusFilterSet(django_filters.FilterSet):
    scale = django_filters.ChoiceFilter(choices=Scale.choices, label="Scale", help_text="`promise` or `fact_check`.")

    class Meta:
        model = Status
        fields = ["scale"]


class StrictFilterBackend(DjangoFilterBackend):
    """A bad filter value is a 400 naming the parameter (never silently ignored)."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors = blank_choices(request, filterset)
        if not filterset.is_valid():
            errors = {**filterset.errors, **errors}
        if errors:
            raise InvalidFilter(errors)
        return filterset.qs


# Filters whose values come from a fixed or stored list: an empty value names nothing, so it is refused
# like an unknown one rather than read as "no filter" (which silently answers every row).
_CHOICE_FILTERS = (
    django_filters.ChoiceFilter,
    django_filters.MultipleChoiceFilter,
    django_filters.TypedChoiceFilter,
    django_filters.ModelChoiceFilter,
    django_filters.ModelMultipleChoiceFilter,
)


def blank_choices(request: Request, filterset: django_filters.FilterSet) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, filter_ in filterset.filters.items():
        if not isinstance(filter_, _CHOICE_FILTERS) or name not in request.query_params:
            continue
        if any(not value.strip() for value in request.query_params.getlist(name)):
            errors[name] = [
                gettext("An empty value is not one of the choices: give a value or leave the parameter out.")
            ]
    return errors


class StrictOrderingFilter(OrderingFilter):
    """``ordering`` must name one of the view's ordering fields, with an optional ``-``."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: APIView) -> Sequence[str] | None:
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            allowed = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [field for field in fields if field.lstrip("-") not in allowed]
            if unknown:
                # Translators: %(fields)s lists the parameter values allowed, e.g. "created_at, updated_at".
                message = gettext("Order by one of: %(fields)s.") % {"fields": ", ".join(sorted(allowed))}
                raise InvalidFilter({self.ordering_param: [message]})
        return super().get_ordering(request, queryset, view)
