"""Claims: the list (JSON and CSV), one claim by id or by slug, and the old slug address."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import caching as api_caching
from api import serializers as api_serializers
from api.exceptions import InvalidFilter
from api.filters import ClaimFilterSet, StrictFilterBackend, StrictOrderingFilter
from api.pagination import ClaimCursorPagination
from api.renderers import CSVRenderer, OrjsonRenderer, csv_lines
from api.representations import CSV_COLUMNS, CSV_RELATIONS, ClaimRepresenter, csv_row
from api.selectors import claim_rows, status_badge_rows, visible_claims
from api.views.http_caching import ApiViewMixin, StoredAnswerMixin
from api.views.writes import ClaimCreateMixin
from claims.dates import end_of_day
from claims.models import Claim
from claimtracker.page_cache import wants_fresh

# Claims represented per query round trip when streaming the CSV.
CSV_CHUNK = 500


def _representation_context(view: Any) -> dict[str, Any]:
    return {"request": view.request, "include_unpublished": view.include_unpublished()}


def _representer(view: Any) -> ClaimRepresenter:
    # Every claim answer is built by api/representations.py; ClaimSerializer only documents it.
    return ClaimRepresenter(request=view.request, include_unpublished=view.include_unpublished())


@extend_schema(tags=["claims"])
class ClaimListView(ClaimCreateMixin, StoredAnswerMixin, ApiViewMixin, generics.ListCreateAPIView):
    """Claims, most recently changed first, with their timelines; filter with the parameters below."""

    serializer_class = api_serializers.ClaimSerializer
    filter_backends = [StrictFilterBackend, StrictOrderingFilter]
    filterset_class = ClaimFilterSet
    ordering_fields = ["updated_at", "created_at"]
    ordering = ["-updated_at", "-id"]
    pagination_class = ClaimCursorPagination
    renderer_classes = [OrjsonRenderer, CSVRenderer]

    def get_queryset(self) -> QuerySet[Claim]:
        return visible_claims(include_unpublished=self.include_unpublished())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_representation_context(self)}

    @extend_schema(
        responses={
            (200, "application/json"): api_serializers.ClaimSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.BINARY,
        }
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format == "csv":
            return self.stream_csv()
        self.cache_key = api_caching.response_key(request._request, include_unpublished=self.include_unpublished())
        cached = None if wants_fresh(request._request) else api_caching.get(self.cache_key)
        if cached is not None:
            return self.cached_response(request, *cached)
        # The page is read as rows, not model instances (see api.selectors.claim_rows): the filters
        # and the cursor work on the QuerySet as before; only the final load differs.
        claims = self.filter_queryset(visible_claims(include_unpublished=self.include_unpublished()))
        as_of = bool(request.query_params.get("as_of"))
        rows = self.paginate_queryset(claim_rows(claims, as_of=as_of)) or []
        # Filtered with_status_as_of (the filter already validated the date): show that status,
        # and each timeline as it stood at the end of that day.
        as_of_badges = status_badge_rows() if as_of else None
        published_by = end_of_day(forms.DateField().clean(request.query_params["as_of"])) if as_of else None
        results = _representer(self).claims_from_rows(rows, as_of_badges=as_of_badges, published_by=published_by)
        response = self.get_paginated_response(results)
        self.last_modified = max((row["updated_at"] for row in rows), default=None)
        return response

    def stream_csv(self) -> StreamingHttpResponse:
        """Every matching claim, a chunk of representations at a time, flattened (see ``CSV_COLUMNS``)."""
        claims = self.filter_queryset(visible_claims(include_unpublished=self.include_unpublished()))
        as_of = bool(self.request.query_params.get("as_of"))
        as_of_badges = status_badge_rows() if as_of else None
        published_by = end_of_day(forms.DateField().clean(self.request.query_params["as_of"])) if as_of else None
        representer = _representer(self)
        # The rows are read while the response streams, after the request's language is let go.
        language = translation.get_language()

        def rows() -> Iterator[list[Any]]:
            with translation.override(language):
                chunk: list[dict[str, Any]] = []
                for row in claim_rows(claims, as_of=as_of).iterator(chunk_size=CSV_CHUNK):
                    chunk.append(row)
                    if len(chunk) == CSV_CHUNK:
                        yield from self._csv_rows(representer, chunk, as_of_badges, published_by)
                        chunk = []
                yield from self._csv_rows(representer, chunk, as_of_badges, published_by)

        header = [name for name, _ in CSV_COLUMNS]
        response = StreamingHttpResponse(csv_lines(header, rows()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return response

    @staticmethod
    def _csv_rows(
        representer: ClaimRepresenter,
        chunk: list[dict[str, Any]],
        as_of_badges: dict[int, dict[str, Any]] | None,
        published_by: datetime.datetime | None,
    ) -> Iterator[list[Any]]:
        if chunk:
            claims = representer.claims_from_rows(
                chunk, as_of_badges=as_of_badges, published_by=published_by, relations=CSV_RELATIONS
            )
            yield from (csv_row(claim) for claim in claims)


@extend_schema(tags=["claims"], responses={(200, "text/csv"): OpenApiTypes.BINARY})
class ClaimCsvView(ClaimListView):
    """The claim list as CSV, streamed: every matching claim, no pagination."""

    renderer_classes = [CSVRenderer, OrjsonRenderer]
    http_method_names = ["get", "head", "options"]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return self.stream_csv()


class _ClaimDetailBase(ApiViewMixin, generics.RetrieveAPIView):
    serializer_class = api_serializers.ClaimSerializer
    renderer_classes = [OrjsonRenderer]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_representation_context(self)}

    def as_of(self) -> datetime.date | None:
        """The ``as_of`` day asked for, or None; a bad date is a 400 naming ``as_of``."""
        if "as_of" not in self.request.query_params:
            return None
        parameter = AsOfParameterSerializer(data=self.request.query_params)
        if not parameter.is_valid():
            raise InvalidFilter(parameter.errors)
        return parameter.validated_data["as_of"]

    def get_queryset(self) -> QuerySet[Claim, dict[str, Any]]:
        # The claim is read as a row (api.selectors.claim_rows), shaped as every claim answer is.
        day = self.as_of()
        claims = visible_claims(include_unpublished=self.include_unpublished())
        return claim_rows(claims if day is None else claims.with_status_as_of(day), as_of=day is not None)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = cast(dict[str, Any], self.get_object())  # a row: see get_queryset
        self.etag_claim, self.last_modified = Claim(pk=row["id"], version=row["version"]), row["updated_at"]
        day = self.as_of()
        as_of_badges = None if day is None else status_badge_rows(pk=row["status_as_of_id"])
        [representation] = _representer(self).claims_from_rows(
            [row], as_of_badges=as_of_badges, published_by=None if day is None else end_of_day(day)
        )
        return Response(representation)


class AsOfParameterSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        help_text="A date, YYYY-MM-DD: the claim as the record stood at the end of that day — its status then and "
        "the timeline entries published by then (a later removal not yet applied). 404 if it was not yet made "
        "and published by then.",
    )


_DETAIL_PARAMETERS = [
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        required=False,
        # Set on the field above: a str, not None.
        description=cast(str, AsOfParameterSerializer().fields["as_of"].help_text),
    )
]


@extend_schema(tags=["claims"], responses={200: api_serializers.ClaimSerializer}, parameters=_DETAIL_PARAMETERS)
class ClaimDetailView(_ClaimDetailBase):
    """One claim by id. Send its ETag back in `If-None-Match` to get a 304 while it is unchanged."""


@extend_schema(tags=["claims"], responses={200: api_serializers.ClaimSerializer}, parameters=_DETAIL_PARAMETERS)
class ClaimBySlugView(_ClaimDetailBase):
    """One claim by the slug of its public page (any slug, all digits too)."""

    lookup_field = "slug"

    @extend_schema(operation_id="claims_by_slug_retrieve", summary="Get a claim by its slug")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@extend_schema(exclude=True)
class OldSlugRedirectView(ApiViewMixin, APIView):
    """``/claims/<slug>``, the old address: 308 to ``/claims/by-slug/<slug>`` (query kept), or the JSON 404.

    It shared its path with ``/claims/<id>``, so a slug of digits could not be fetched; it is kept for
    existing links and left out of the schema.
    """

    renderer_classes = [OrjsonRenderer]

    def get(self, request: Request, slug: str) -> HttpResponse:
        if not visible_claims(include_unpublished=self.include_unpublished()).filter(slug=slug).exists():
            raise NotFound()
        query = request.META.get("QUERY_STRING", "")
        location = reverse("api:claim-by-slug", kwargs={"slug": slug}) + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(location, preserve_request=True)
