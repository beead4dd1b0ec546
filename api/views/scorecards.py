"""Scorecards: the whole tracker's (or a topic's), a person's and a term's, now or as of a day; JSON or CSV.

The figures come from ``claims.scorecards``; this module reads the parameters, finds the subject (404
if it has no public page) and shapes the answer: JSON by ``api.serializers``, CSV by ``csv_table``.
Answers are stored like the claim list's (api/caching.py, keyed by the data version) and by the
day, since a scorecard "now" describes today.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import caching as api_caching
from api import serializers as api_serializers
from api.exceptions import InvalidFilter
from api.renderers import CSVRenderer, OrjsonRenderer, csv_lines
from api.views.http_caching import ApiViewMixin, StoredAnswerMixin
from claims import scorecards
from claims.dates import newsroom_today
from claims.models import Topic
from claimtracker.page_cache import wants_fresh
from people.models import Person, Term

# A day as OpenAPI's ``date`` format (RFC 3339 full-date) has it; strptime alone also takes "2025-2-3".
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")


class FullDateField(serializers.DateField):
    """``YYYY-MM-DD`` exactly."""

    def to_internal_value(self, value: Any) -> datetime.date:
        if not isinstance(value, str) or not FULL_DATE.match(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class ScorecardParameters(serializers.Serializer):
    as_of = FullDateField(
        input_formats=["%Y-%m-%d"],
        required=False,
        help_text="A date, YYYY-MM-DD: the figures as the record stood at the end of that day — pledges made and "
        "published by then, each at the status in effect then. Later updates, corrections and removals do not "
        "count, so the answer for a past day never changes. Today or a later day gives the figures as they "
        "stand now (`as_of` is then null).",
    )
    topic = api_serializers.SlugReferenceField(
        slug_field="slug",
        queryset=Topic.objects.all(),
        required=False,
        help_text="Slug of a topic: only its pledges.",
    )


def _parameter(name: str, kind: OpenApiTypes) -> OpenApiParameter:
    # Set on the fields above: a str, not None.
    description = cast(str, ScorecardParameters().fields[name].help_text)
    return OpenApiParameter(name, kind, required=False, description=description)


AS_OF_PARAMETER = _parameter("as_of", OpenApiTypes.DATE)
TOPIC_PARAMETER = _parameter("topic", OpenApiTypes.STR)


def _responses(serializer: type[serializers.Serializer]) -> dict[Any, Any]:
    return {(200, "application/json"): serializer, (200, "text/csv"): OpenApiTypes.BINARY}


def _checked(parameters: dict[str, str]) -> dict[str, Any]:
    """``parameters`` read by ``ScorecardParameters``; a bad one is a 400 naming it."""
    checked = ScorecardParameters(data=parameters)
    if not checked.is_valid():
        raise InvalidFilter(checked.errors)
    return dict(checked.validated_data)


class _ScorecardView(StoredAnswerMixin, ApiViewMixin, APIView):
    """Reads ``as_of``, serves a stored answer or builds one, as JSON or CSV (``format=csv``)."""

    renderer_classes = [OrjsonRenderer, CSVRenderer]
    serializer_class: type[serializers.Serializer]
    has_series = True

    def get(self, request: Request, **kwargs: Any) -> Any:
        as_of = self.as_of()
        as_csv = request.accepted_renderer.format == "csv"
        # Scorecards count published claims only, whoever asks: one stored answer for every key. A
        # scorecard "now" describes today, so the day is part of the key.
        self.cache_key = api_caching.response_key(
            request._request, include_unpublished=False, variant=f"{newsroom_today().isoformat()}:{int(as_csv)}"
        )
        cached = None if wants_fresh(request._request) else api_caching.get(self.cache_key)
        if cached is not None:
            return self.with_format_headers(self.cached_response(request, *cached), as_csv=as_csv, as_of=as_of)
        statuses = scorecards.promise_statuses()
        context = {"request": request, **self.subject(**kwargs)}
        card = self.scorecard(context, as_of=as_of, statuses=statuses)
        if self.has_series:
            context["series"] = self.series(context, as_of=as_of, statuses=statuses)
        if as_csv:
            body: Any = "".join(csv_lines(*self.csv_table(card, context)))
        else:
            body = self.serializer_class(card, context=context).data
        return self.with_format_headers(Response(body), as_csv=as_csv, as_of=as_of)

    def as_of(self) -> datetime.date | None:
        """The day asked for; None for now (no ``as_of``, or today or later: nothing is known beyond today)."""
        if "as_of" not in self.request.query_params:
            return None
        day = _checked({"as_of": self.request.query_params["as_of"]})["as_of"]
        return day if day < newsroom_today() else None

    def with_format_headers(self, response: HttpResponse, *, as_csv: bool, as_of: datetime.date | None) -> HttpResponse:
        # One address answers JSON or CSV, chosen by ``format`` or by the Accept header.
        patch_vary_headers(response, ["Accept"])
        if as_csv:
            response["Content-Type"] = "text/csv; charset=utf-8"
            suffix = f"-as-of-{as_of.isoformat()}" if as_of is not None else ""
            response["Content-Disposition"] = f'attachment; filename="{self.file_name()}{suffix}.csv"'
        return response

    # --- What each scorecard is of ---------------------------------------------------------------

    def subject(self, **kwargs: Any) -> dict[str, Any]:
        """What the scorecard is of, for the serializer's context; NotFound if it has no public page."""
        raise NotImplementedError

    def scorecard(self, context: dict[str, Any], **figures: Any) -> scorecards.Scorecard:
        raise NotImplementedError

    def series(self, context: dict[str, Any], **figures: Any) -> scorecards.Series:
        raise NotImplementedError

    def file_name(self) -> str:
        raise NotImplementedError

    def csv_table(self, card: scorecards.Scorecard, context: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        """The weekly series: a row per week, a column per status slug, and the total."""
        series: scorecards.Series = context["series"]
        header = ["day", *(status.slug for status in series.statuses), "total"]
        rows = [
            [point.day.isoformat(), *(point.count(status) for status in series.statuses), point.total]
            for point in series.points
        ]
        return header, rows


@extend_schema(
    tags=["scorecards"],
    parameters=[AS_OF_PARAMETER, TOPIC_PARAMETER],
    responses=_responses(api_serializers.TrackerScorecardSerializer),
)
class TrackerScorecardView(_ScorecardView):
    """How every published pledge stands (or a topic's): counts per status and each verdict's share of the
    verdicts. `format=csv`: a row per status."""

    serializer_class = api_serializers.TrackerScorecardSerializer

    has_series = False

    def subject(self, **kwargs: Any) -> dict[str, Any]:
        topic = self.request.query_params.get("topic")
        return {"topic": None if topic is None else _checked({"topic": topic})["topic"]}

    def scorecard(self, context: dict[str, Any], **figures: Any) -> scorecards.Scorecard:
        return scorecards.scorecard(scorecards.pledges(topic=context["topic"]), **figures)

    def file_name(self) -> str:
        # The slug was checked when the stored answer was made (no stored answer for a bad one).
        topic = self.request.query_params.get("topic")
        return f"scorecard-{topic}" if topic else "scorecard"

    def csv_table(self, card: scorecards.Scorecard, context: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        header = ["status", "label", "is_final", "count", "share_of_verdicts"]
        rows = [
            [
                figure.status.slug,
                figure.status.label,
                "true" if figure.status.is_final else "false",
                figure.count,
                figure.share_of_final,
            ]
            for figure in card.figures
        ]
        return header, rows


@extend_schema(
    tags=["scorecards"],
    parameters=[AS_OF_PARAMETER],
    responses=_responses(api_serializers.PersonScorecardSerializer),
)
class PersonScorecardView(_ScorecardView):
    """A person's or organisation's pledges: counts per status, shares of the verdicts and the weekly series.
    `format=csv`: the weekly series. 404 unless they have a published claim."""

    serializer_class = api_serializers.PersonScorecardSerializer

    def subject(self, **kwargs: Any) -> dict[str, Any]:
        person = Person.objects.tracked().filter(slug=kwargs["slug"]).first()
        if person is None:
            raise NotFound()
        return {"person": person}

    def scorecard(self, context: dict[str, Any], **figures: Any) -> scorecards.Scorecard:
        return scorecards.scorecard(scorecards.pledges(person=context["person"]), **figures)

    def series(self, context: dict[str, Any], **figures: Any) -> scorecards.Series:
        return scorecards.person_series(context["person"], **figures)

    def file_name(self) -> str:
        return f"scorecard-{self.kwargs['slug']}"


@extend_schema(
    tags=["scorecards"],
    parameters=[AS_OF_PARAMETER],
    responses=_responses(api_serializers.TermScorecardSerializer),
)
class TermScorecardView(_ScorecardView):
    """The pledges made for one term of office: counts per status, shares of the verdicts, "day N" of the term and
    the weekly series. `format=csv`: the weekly series. 404 unless the term's holder has a published claim."""

    serializer_class = api_serializers.TermScorecardSerializer

    def subject(self, **kwargs: Any) -> dict[str, Any]:
        term = Term.objects.of_tracked_people().select_related("person").filter(pk=kwargs["pk"]).first()
        if term is None:
            raise NotFound()
        return {"term": term}

    def scorecard(self, context: dict[str, Any], **figures: Any) -> scorecards.Scorecard:
        term = context["term"]
        return scorecards.scorecard(scorecards.pledges(term=term), term=term, **figures)

    def series(self, context: dict[str, Any], **figures: Any) -> scorecards.Series:
        return scorecards.term_series(context["term"], **figures)

    def file_name(self) -> str:
        return f"scorecard-term-{self.kwargs['pk']}"
