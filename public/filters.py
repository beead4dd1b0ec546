"""The claims list's filter form: a GET form, so every filtered view is a shareable URL."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from claims.models import Claim, ClaimKind, Scale, Status, Topic
from claims.search import SearchTooComplexError, check_search
from people.models import Person
from public import selectors

SORTS = {
    "updated": ("Recently updated", ("-updated_at", "-id")),
    "newest": ("Newest first", ("-made_on", "-id")),
    "oldest": ("Oldest first", ("made_on", "id")),
}
DEFAULT_SORT = "updated"


def as_of_from(request: HttpRequest) -> tuple[datetime.date | None, str]:
    """The ``as_of`` date asked for on a page other than the list, and a notice if it was unusable."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None, ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return None, f"“{raw[:20]}” is not a date (use YYYY-MM-DD), so this shows the record as it stands today."
    if day >= timezone.localdate():
        return None, ""
    return day, ""


def validate_search(text: str) -> None:
    """The one rule for search text (claims.search.check_search), shown as the field's error."""
    try:
        check_search(text)
    except SearchTooComplexError as error:
        raise forms.ValidationError(str(error), code="search_too_complex") from error


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are joined in Python rather than rendered one template each.

    The claimant list of a national tracker has thousands of options; Django's per-option
    templates took most of the list page's time (half a second for 5,000 people). Same markup.
    """

    def render(self, name: str, value: object, attrs: dict | None = None, renderer: object = None) -> str:
        selected = "" if value is None else str(value)
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        values = [("" if option_value is None else str(option_value), label) for option_value, label in self.choices]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((option_value, " selected" if option_value == selected else "", label) for option_value, label in values),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)


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
        validators=[validate_search],
        help_text="Words from the quote, the summary or the claimant's name.",
        widget=forms.SearchInput(attrs={"aria-describedby": "id_q-help"}),
    )
    status = django_filters.ChoiceFilter(
        label="Status", method="filter_status", choices=status_choices, empty_label="Any status"
    )
    # Both scales have a "not-yet-rated" and an "unclear" status: with ``scale``, a status link (the
    # home page's chart) names exactly the claims it counted; without it, old links match either.
    scale = django_filters.ChoiceFilter(
        label="Scale", method="filter_scale", choices=Scale.choices, empty_label="Either scale"
    )
    claimant = django_filters.ModelChoiceFilter(
        label="Claimant",
        queryset=lambda request: selectors.people_with_published_claims().only("pk", "slug", "name"),
        to_field_name="slug",
        empty_label="Anyone",
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=ClaimKind.choices, empty_label="Any kind")
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        field_name="topics",
        queryset=lambda request: selectors.topics_of_published_claims(),
        to_field_name="slug",
        empty_label="Any topic",
    )
    must_act = django_filters.ModelChoiceFilter(
        label="Who must act",
        field_name="must_act",
        queryset=lambda request: selectors.people_who_must_act().only("pk", "slug", "name"),
        to_field_name="slug",
        empty_label="Anyone",
    )
    as_of = django_filters.DateFilter(
        label="As of",
        method="filter_as_of",
        help_text="A past date: the claims and statuses as the record stood then.",
        widget=forms.DateInput(attrs={"type": "date", "aria-describedby": "id_as_of-help"}),
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

    @property
    def as_of_date(self) -> datetime.date | None:
        self.form.is_valid()
        return self.form.cleaned_data.get("as_of")

    def filter_queryset(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        # The date comes first: the status filter then compares with the status as of that date.
        if self.as_of_date is not None:
            queryset = queryset.with_status_as_of(self.as_of_date)
        return super().filter_queryset(queryset)

    def filter_as_of(self, queryset: QuerySet[Claim], name: str, value: datetime.date) -> QuerySet[Claim]:
        return queryset  # applied first, in filter_queryset

    def filter_status(self, queryset: QuerySet[Claim], name: str, slug: str) -> QuerySet[Claim]:
        return queryset.at_status(Status.objects.filter(slug=slug).values("pk"))

    def filter_scale(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset.filter(scale=value)

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
