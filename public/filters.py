"""The claims list's filter form: a GET form, so every filtered view is a shareable URL."""

from __future__ import annotations

import datetime
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.filters import (
    ClaimFilterBase,
    as_of_filter,
    kind_filter,
    must_act_filter,
    past_deadline_filter,
    search_filter,
    status_filter,
    topic_filter,
)
from claims.models import Claim, ClaimQuerySet, Scale, Status, Topic
from people.models import Person
from public import selectors

SORTS = {
    "updated": (gettext_lazy("Recently updated"), ("-updated_at", "-id")),
    "newest": (gettext_lazy("Newest first"), ("-made_on", "-id")),
    "oldest": (gettext_lazy("Oldest first"), ("made_on", "id")),
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
        return None, _("“%(value)s” is not a date (use YYYY-MM-DD), so this shows the record as it stands today.") % {
            "value": raw[:20]
        }
    if day >= timezone.localdate():
        return None, ""
    return day, ""


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are joined in Python rather than rendered one template each.

    Django's per-option templates took most of the list page's time for long lists (half a
    second for 5,000 options). Same markup.
    """

    def render(self, name: str, value: object, attrs: dict | None = None, renderer: object = None) -> SafeString:
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


class CheckedOnly(forms.CheckboxInput):
    """A checkbox that filters when ticked and leaves the filter out when not (never "only the others")."""

    # None where Django's says bool: an unticked box leaves the filter out.
    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:  # type: ignore[override]
        return True if super().value_from_datadict(data, files, name) else None


class ClaimFilter(ClaimFilterBase):
    """The claim filters (claims.filters) as a form: one value each, labels, widgets, the sort order."""

    q = search_filter(
        help_text=gettext_lazy("Words from the quote, the summary or the claimant's name."),
        widget=forms.SearchInput(attrs={"aria-describedby": "id_q-help"}),
    )
    status = status_filter(
        several=False,
        label=gettext_lazy("Status"),
        choices=status_choices,
        empty_label=gettext_lazy("Any status"),
    )
    # Both scales have a "not-yet-rated" and an "unclear" status: with ``scale``, a status link (the
    # home page's chart) names exactly the claims it counted; without it, old links match either.
    scale = django_filters.ChoiceFilter(
        label=gettext_lazy("Scale"),
        method="filter_scale",
        choices=Scale.choices,
        empty_label=gettext_lazy("Either scale"),
    )
    # A text field, not a list of every claimant: a national tracker has thousands, and the list
    # page shipped them all (300 KB of <option>s at 5,000 people). It takes a name, part of one,
    # or a person's slug (the links on person pages and old URLs), and needs no JavaScript.
    claimant = django_filters.CharFilter(
        label=gettext_lazy("Claimant"),
        method="filter_claimant",
        max_length=100,
        help_text=gettext_lazy("A name or part of one."),
        widget=forms.TextInput(attrs={"aria-describedby": "id_claimant-help", "autocomplete": "off"}),
    )
    kind = kind_filter(several=False, empty_label=gettext_lazy("Any kind"))
    topic = topic_filter(
        queryset=lambda request: selectors.topics_of_published_claims(), empty_label=gettext_lazy("Any topic")
    )
    must_act = must_act_filter(
        several=False,
        queryset=lambda request: selectors.people_who_must_act().only("pk", "slug", "name"),
        empty_label=gettext_lazy("Anyone"),
        widget=QuickSelect,
    )
    as_of = as_of_filter(
        help_text=gettext_lazy("A past date: the claims and statuses as the record stood then."),
        widget=forms.DateInput(attrs={"type": "date", "aria-describedby": "id_as_of-help"}),
    )
    past_deadline = past_deadline_filter(
        filter_class=django_filters.BooleanFilter,
        label=gettext_lazy("Only claims past their deadline without a final verdict"),
        widget=CheckedOnly,
    )
    sort = django_filters.ChoiceFilter(
        label=gettext_lazy("Sort by"),
        method="filter_sort",
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        empty_label=None,
    )

    @property
    def as_of_date(self) -> datetime.date | None:
        self.form.is_valid()
        return self.form.cleaned_data.get("as_of")

    def filter_claimant(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return cast(ClaimQuerySet, queryset).by_claimant_named(value)

    def filter_scale(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset.filter(scale=value)

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
