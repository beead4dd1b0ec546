"""Partner API v1: claims, people, sources, statuses, the change feed, ClaimReview and CSV."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import caching as api_caching
from api import serializers as api_serializers
from api.exceptions import InvalidFilter, InvalidHeader
from api.filters import (
    ClaimFilterSet,
    PersonFilterSet,
    SourceFilterSet,
    StatusFilterSet,
    StrictFilterBackend,
    StrictOrderingFilter,
)
from api.pagination import MAX_PAGE_SIZE, ApiCursorPagination, ClaimCursorPagination
from api.permissions import has_editor_key
from api.renderers import CSVRenderer, OrjsonRenderer, csv_lines
from api.representations import ClaimRepresenter, claim_representation
from api.schema import ApiAutoSchema, ErrorSerializer
from api.selectors import (
    claim_rows,
    end_of,
    status_badge_rows,
    visible_claims,
    visible_sources,
)
from claims import services
from claims.as_of import show_status_as_of
from claims.models import Claim, ClaimAppearance, ClaimChange, Source, Status, StatusUpdate, Visibility
from claims.timeline import latest_in_effect
from claimtracker.versioning import StaleEditError
from people.models import Person

ETAG_PATTERN = re.compile(r'^(?:W/)?"(\d+)-(\d+)-[0-9a-f]+"$')


class ApiViewMixin:
    """Conditional GET (ETag, Last-Modified, 304), ``Vary`` on the key, errors always as JSON."""

    # Set by a view to make its ETag "<claim id>-<version>-<digest>", usable in If-Match.
    etag_claim: Claim | None = None
    last_modified: Any = None
    schema = ApiAutoSchema()

    def include_unpublished(self) -> bool:
        return has_editor_key(self.request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Checked before content negotiation, which would answer an unknown format with a bare 404
        # (or, where the route fixes the format, ignore it).
        self.check_format_parameter(request)
        super().initial(request, *args, **kwargs)

    def check_format_parameter(self, request: Request) -> None:
        if "format" not in request.query_params:
            return
        formats = sorted({renderer.format for renderer in self.renderer_classes})
        if kwargs_format := self.kwargs.get("format"):
            formats = [kwargs_format]
        if any(value not in formats for value in request.query_params.getlist("format")):
            raise InvalidFilter({"format": [f"Use one of: {', '.join(formats)}."]})

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "X-API-Key"])
        if not isinstance(response, Response):
            return response
        if response.status_code >= 400 and isinstance(getattr(response, "accepted_renderer", None), CSVRenderer):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        if response.status_code not in (200, 201):
            return response
        response.render()
        digest = hashlib.sha256(response.content).hexdigest()[:20]
        claim = self.etag_claim
        etag = quote_etag(f"{claim.pk}-{claim.version}-{digest}" if claim is not None else digest)
        response["ETag"] = etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            not_modified = get_conditional_response(
                request._request, etag=etag, last_modified=self.last_modified_timestamp(), response=response
            )
            if not_modified is not None and not_modified.status_code == 304:
                return not_modified
        return response

    def last_modified_timestamp(self) -> int | None:
        return int(self.last_modified.timestamp()) if self.last_modified is not None else None


def _representation_context(view: Any) -> dict[str, Any]:
    return {"request": view.request, "include_unpublished": view.include_unpublished()}


def _representer(view: Any) -> ClaimRepresenter:
    # Every claim answer is built by api/representations.py; ClaimSerializer only documents it.
    return ClaimRepresenter(request=view.request, include_unpublished=view.include_unpublished())


def _written_claim_answer(view: Any, claim_id: int) -> dict[str, Any]:
    """The claim as it stands after a write; its ETag names that version."""
    representation = claim_representation(
        claim_id, request=view.request, include_unpublished=view.include_unpublished()
    )
    view.etag_claim = Claim(pk=representation["id"], version=representation["version"])
    return representation


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema; its errors (a 405) in the API's JSON error shape, not in YAML."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response


# --- Claims ---------------------------------------------------------------------------------


# ``made_on`` is the date at its known precision (ISO 8601: a day, a month, a year or an interval),
# never a day the source does not give. ``quote`` is the text as stored: no quotation marks are
# added, so a paraphrase never reads as the speaker's words; ``wording`` says which it is.
CSV_HEADER = [
    *("id", "slug", "kind", "claimant", "claimant_name", "summary", "made_on", "deadline", "status"),
    *("status_label", "status_changed_on", "parent_id", "topics", "updated_at", "public_url"),
    *("wording", "quote", "quoted_from_url", "original_language", "made_on_precision"),
]


@extend_schema(tags=["claims"])
class ClaimListView(ApiViewMixin, generics.ListCreateAPIView):
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
        cached = None if api_caching.wants_fresh(request._request) else api_caching.get(self.cache_key)
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
        published_by = end_of(forms.DateField().clean(request.query_params["as_of"])) if as_of else None
        results = _representer(self).claims_from_rows(rows, as_of_badges=as_of_badges, published_by=published_by)
        response = self.get_paginated_response(results)
        self.last_modified = max((row["updated_at"] for row in rows), default=None)
        return response

    cache_key: str | None = None

    def cached_response(self, request: Request, content: bytes, etag: str, last_modified: str | None) -> HttpResponse:
        """The stored answer, or a 304 when the client already holds it: no queries beyond the version."""
        timestamp = parse_http_date_safe(last_modified) if last_modified else None
        response = get_conditional_response(request._request, etag=etag, last_modified=timestamp)
        if response is None:
            response = HttpResponse(content, content_type="application/json")
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.cache_key and isinstance(response, Response) and response.status_code == 200:
            api_caching.store(self.cache_key, response.content, response["ETag"], response.get("Last-Modified"))
        return response

    def stream_csv(self) -> StreamingHttpResponse:
        claims = self.filter_queryset(
            visible_claims(include_unpublished=self.include_unpublished())
            # The CSV shows the claimant and status of every row, and its topics' slugs.
            .select_related("claimant", "current_status", "wording_source")
            .prefetch_related("topics")
        )
        build_url = self.request.build_absolute_uri

        as_of = bool(self.request.query_params.get("as_of"))
        statuses = Status.objects.in_bulk() if as_of else {}

        def rows() -> Iterator[list[Any]]:
            for claim in claims.iterator(chunk_size=500):
                if as_of:
                    # The status as it stood on the requested date (see the as_of filter).
                    show_status_as_of([claim], statuses=statuses)
                yield [
                    *(claim.pk, claim.slug, claim.kind, claim.claimant.slug, claim.claimant.name, claim.summary),
                    *(claim.made_on_iso, claim.deadline, claim.current_status.slug, claim.current_status.label),
                    *(claim.status_changed_on, claim.parent_id, " ".join(topic.slug for topic in claim.topics.all())),
                    *(claim.updated_at.isoformat(), build_url(claim.get_absolute_url())),
                    *(claim.wording, claim.quote, claim.wording_source.url if claim.wording_source else ""),
                    *(claim.original_language, claim.made_on_precision),
                ]

        response = StreamingHttpResponse(csv_lines(CSV_HEADER, rows()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return response

    @extend_schema(
        request=api_serializers.ClaimCreateSerializer,
        responses={
            201: api_serializers.ClaimSerializer,
        },
        description="Create a claim (an editor's key). It starts at its scale's default status.",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = api_serializers.ClaimCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            appearances = [
                services.AppearanceInput(
                    source=services.source_get_or_create(**appearance["source"])[0],
                    is_first_appearance=appearance["is_first_appearance"],
                    excerpt=appearance["excerpt"],
                )
                for appearance in data["appearances"]
            ]
            wording_source = (
                services.source_get_or_create(**data["wording_source"])[0] if data["wording_source"] else None
            )
            created = services.claim_create(
                claimant=data["claimant"],
                kind=data["kind"],
                quote=data["quote"],
                wording=data["wording"],
                wording_source=wording_source,
                original_language=data["original_language"],
                original_text=data["original_text"],
                summary=data["summary"],
                slug=data["slug"],
                made_on=data["made_on"],
                made_on_precision=data["made_on_precision"],
                made_until=data["made_until"],
                deadline=data["deadline"],
                parent=data["parent"],
                topics=data["topics"],
                appearances=appearances,
                visibility=data["visibility"],
                created_by=request.user,
            )
        representation = _written_claim_answer(self, created.pk)
        return Response(representation, status=status.HTTP_201_CREATED, headers={"Location": representation["url"]})


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

    def get_queryset(self) -> QuerySet[Claim]:
        # The claim is read as a row (api.selectors.claim_rows), shaped as every claim answer is.
        day = self.as_of()
        claims = visible_claims(include_unpublished=self.include_unpublished())
        return claim_rows(claims if day is None else claims.with_status_as_of(day), as_of=day is not None)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        self.etag_claim, self.last_modified = Claim(pk=row["id"], version=row["version"]), row["updated_at"]
        day = self.as_of()
        as_of_badges = None if day is None else status_badge_rows(pk=row["status_as_of_id"])
        [representation] = _representer(self).claims_from_rows(
            [row], as_of_badges=as_of_badges, published_by=None if day is None else end_of(day)
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
        "as_of", OpenApiTypes.DATE, required=False, description=AsOfParameterSerializer().fields["as_of"].help_text
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


@extend_schema(exclude=True)
class ApiIndexView(ApiViewMixin, APIView):
    """``/api/v1/``: where each resource, the schema and the documentation are."""

    renderer_classes = [OrjsonRenderer]

    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        return Response(
            {
                "name": "Claim Tracker API",
                "version": "v1",
                "resources": {
                    "claims": link("api:claim-list"),
                    "claims_csv": link("api:claim-csv"),
                    "claim": link("api:claim-list") + "/{id}",
                    "claim_by_slug": link("api:claim-list") + "/by-slug/{slug}",
                    "claimreviews": link("api:claimreview-list"),
                    "changes": link("api:change-list"),
                    "people": link("api:person-list"),
                    "sources": link("api:source-list"),
                    "statuses": link("api:status-list"),
                },
                "schema": link("api:schema"),
                "docs": link("api:docs"),
            }
        )


# An entity tag as RFC 9110 writes it: optional W/, then opaque characters in double quotes.
ENTITY_TAG = re.compile(r'^(?:W/)?"[\x21\x23-\x7e]*"$')


def check_if_match_syntax(request: Request) -> None:
    """A malformed If-Match is a 400 naming it: it cannot name any version, stale or not."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = [tag.strip() for tag in header.split(",")]
    if not header.strip() or (tags != ["*"] and not all(ENTITY_TAG.match(tag) for tag in tags)):
        raise InvalidHeader({"If-Match": ['Send the claim\'s ETag as given, e.g. "12-3-…", or *.']})


def _check_if_match(request: Request, claim: Claim) -> None:
    """Refuse (412) a write whose If-Match names an older version of the claim."""
    header = request.headers.get("If-Match")
    if not header:
        return
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        return
    sent_version = 0
    for tag in tags:
        match = ETAG_PATTERN.match(tag)
        if match and int(match.group(1)) == claim.pk:
            sent_version = int(match.group(2))
            if sent_version == claim.version:
                return
    raise StaleEditError(claim, sent_version, claim.version)


@extend_schema(
    tags=["claims"],
    request=api_serializers.StatusUpdateCreateSerializer,
    parameters=[
        OpenApiParameter(
            "If-Match",
            location=OpenApiParameter.HEADER,
            required=False,
            description="The claim's ETag: the update is refused with 412 if the claim changed since.",
        )
    ],
    responses={
        201: api_serializers.ClaimSerializer,
        202: api_serializers.PendingVerdictSerializer,
    },
)
class ClaimStatusUpdateView(ApiViewMixin, generics.GenericAPIView):
    """Record a status update (or a correction of one) on a claim's timeline. Answers with the claim.

    A verdict (any status but the scale's default) needs at least one `evidence` source, and no
    update takes effect after today. When the site requires a second editor's approval, a verdict
    is answered `202 Accepted` with `state: "awaiting_approval"`: it is not public until approved
    in the admin, and appears nowhere in the API until then.
    """

    serializer_class = api_serializers.StatusUpdateCreateSerializer
    pagination_class = None
    filter_backends: list = []

    def post(self, request: Request, pk: int) -> Response:
        get_object_or_404(visible_claims(include_unpublished=self.include_unpublished()), pk=pk)
        check_if_match_syntax(request)
        body = api_serializers.StatusUpdateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            # Row lock until commit: the If-Match check and the write see the same version.
            claim = Claim.objects.select_for_update().get(pk=pk)
            _check_if_match(request, claim)
            new_status, corrects = _status_update_references(claim, data)
            evidence = [services.source_get_or_create(**source)[0] for source in data["evidence"]]
            update = services.claim_record_status(
                claim=claim,
                status=new_status,
                effective_on=data["effective_on"],
                rationale=data["rationale"],
                evidence=evidence,
                corrects=corrects,
                publish=data["publish"],
                recorded_by=request.user,
            )
        representation = _written_claim_answer(self, pk)
        if update.is_awaiting_approval:
            pending = {
                "state": "awaiting_approval",
                "status_update": update.pk,
                "message": "The verdict waits for another editor's approval; it is not public until then.",
                "claim": representation,
            }
            return Response(pending, status=status.HTTP_202_ACCEPTED)
        return Response(representation, status=status.HTTP_201_CREATED, headers={"Location": representation["url"]})


def _status_update_references(claim: Claim, data: dict[str, Any]) -> tuple[Status, StatusUpdate | None]:
    """The status and the corrected update the body names, and the evidence a verdict needs.

    Every problem is reported at once, each under its field, before anything is written.
    """
    errors: dict[str, list[str]] = {}
    new_status = Status.objects.filter(scale=claim.scale, slug=data["status"]).first()
    if new_status is None:
        errors["status"] = [f"No status “{data['status']}” on the {claim.scale} scale."]
    elif data["publish"] and not new_status.is_default and not data["evidence"]:
        errors["evidence"] = [f"A published verdict (“{new_status.label}”) needs at least one evidence source."]
    corrects = None
    if data["corrects"] is not None:
        # Only a standing, published update can be corrected; drafts and removed ones cannot.
        corrects = StatusUpdate.objects.in_record().filter(claim=claim, pk=data["corrects"]).first()
        if corrects is None:
            errors["corrects"] = ["No published update with this id on this claim."]
    if errors:
        raise serializers.ValidationError(errors)
    return new_status, corrects


# --- ClaimReview ------------------------------------------------------------------------------


def _claims_for_claim_review() -> QuerySet[Claim]:
    return (
        Claim.objects.published()
        # The claimant (author of the claim) and the rating.
        .select_related("claimant", "current_status")
        .prefetch_related(
            # First appearance and restatements, with their sources.
            Prefetch("appearances", queryset=ClaimAppearance.objects.select_related("source")),
            # The published timeline, to find the update in effect.
            Prefetch("status_updates", queryset=StatusUpdate.objects.published(), to_attr="published_timeline"),
        )
    )


def _claim_review_of(claim: Claim, request: Request) -> dict[str, Any] | None:
    # The same builder as the public claim pages, so partners and search engines see one mapping.
    from claims.claimreview import claim_review

    return claim_review(
        claim,
        url=request.build_absolute_uri(claim.get_absolute_url()),
        latest_update=latest_in_effect(claim.published_timeline),
    )


class ClaimReviewSerializer(serializers.BaseSerializer):
    def to_representation(self, claim: Claim) -> dict[str, Any] | None:
        return _claim_review_of(claim, self.context["request"])


class NoVerdictYet(NotFound):
    default_detail = "This claim has no verdict yet (it is not yet rated), so it has no ClaimReview."
    default_code = "no_verdict"


@extend_schema(
    tags=["claimreview"],
    responses={
        200: OpenApiTypes.OBJECT,
        404: OpenApiResponse(
            ErrorSerializer,
            description="No such published claim, or it has no verdict yet (code `no_verdict`): only verdicts "
            "get a ClaimReview.",
        ),
    },
)
class ClaimReviewView(ApiViewMixin, generics.RetrieveAPIView):
    """schema.org ClaimReview JSON-LD for a published claim, as embedded in its public page.

    Only a verdict is reviewed: a claim still at its scale's default status ("not yet rated")
    answers 404 with the code `no_verdict`.
    """

    serializer_class = ClaimReviewSerializer

    def get_queryset(self) -> QuerySet[Claim]:
        return _claims_for_claim_review()

    def get_object(self) -> Claim:
        claim = super().get_object()
        self.last_modified = claim.updated_at
        return claim

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        review = _claim_review_of(self.get_object(), request)
        if review is None:
            raise NoVerdictYet()
        return Response(review)


@extend_schema(tags=["claimreview"], responses={200: OpenApiTypes.OBJECT})
class ClaimReviewListView(ApiViewMixin, generics.ListAPIView):
    """ClaimReview JSON-LD of every published claim with a verdict, paginated; takes the claim list's filters.

    Claims not yet rated have no ClaimReview and are left out.
    """

    serializer_class = ClaimReviewSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = ClaimFilterSet
    pagination_class = ClaimCursorPagination

    def get_queryset(self) -> QuerySet[Claim]:
        return _claims_for_claim_review().exclude(current_status__is_default=True)


# --- Change feed ------------------------------------------------------------------------------


class ChangeParametersSerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, required=False, default=0, help_text="The `cursor` of your last page; 0 or absent to start."
    )
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, required=False, default=100, help_text="Changes per page."
    )


def _tombstone(claim_id: int, row: dict[str, Any] | None) -> dict[str, Any]:
    """A claim a mirror must drop; a withdrawn one says why, as its public page does."""
    reason = row["withdrawal_reason"] if row is not None and row["visibility"] == Visibility.WITHDRAWN else ""
    return {"id": claim_id, "deleted": True, "reason": reason or None}


@extend_schema(
    tags=["changes"],
    parameters=[ChangeParametersSerializer],
    responses={200: api_serializers.ChangePageSerializer},
)
class ChangeFeedView(ApiViewMixin, APIView):
    """Every change to a published claim, oldest first, for keeping a mirror in sync.

    Each change carries the claim as it is now, or a tombstone `{"id": …, "deleted": true, "reason": …}`
    when it is not published now (`reason`: why it was withdrawn). A withdrawal and a removed status
    update carry their published `reason`. Store `cursor` and ask for `?after=<cursor>` next time.
    """

    renderer_classes = [OrjsonRenderer]

    def get(self, request: Request) -> Response:
        parameters = ChangeParametersSerializer(data=request.query_params)
        if not parameters.is_valid():
            raise InvalidFilter(parameters.errors)
        after, size = parameters.validated_data["after"], parameters.validated_data["page_size"]
        # Changes to claims that were never published are left out: no mirror ever held them.
        changes = list(ClaimChange.objects.after(after).filter(claim__published_at__isnull=False)[: size + 1])
        has_more = len(changes) > size
        changes = changes[:size]
        changed_ids = {change.claim_id for change in changes}
        # Their plans' ids first: "id IN (…) OR id IN (subquery)" made PostgreSQL scan every claim.
        parents_of_changed = set(
            Claim.objects.filter(pk__in=changed_ids, parent__isnull=False).values_list("parent_id", flat=True)
        )
        # The changed claims and the plans they belong to, read as rows and shaped (7 queries).
        rows = list(claim_rows(Claim.objects.filter(pk__in=changed_ids | parents_of_changed)))
        representer = ClaimRepresenter(request=request, include_unpublished=False)
        shaped = dict(zip((row["id"] for row in rows), representer.claims_from_rows(rows), strict=True))
        claims = {row["id"]: row for row in rows}
        context = {"request": request, "include_unpublished": False}
        representations: dict[int, dict] = {}
        for claim_id in changed_ids:
            claim = claims.get(claim_id)
            public = claim is not None and claim["visibility"] == Visibility.PUBLISHED
            representations[claim_id] = shaped[claim_id] if public else _tombstone(claim_id, claim)
        parents: dict[int, int] = {}
        for claim_id in changed_ids:
            parent = claims.get(claims[claim_id]["parent_id"]) if claim_id in claims else None
            if parent is not None and parent["visibility"] == Visibility.PUBLISHED:
                parents[claim_id] = parent["id"]
                if parent["id"] not in representations:
                    representations[parent["id"]] = shaped[parent["id"]]
        results = api_serializers.ChangeSerializer(
            changes, many=True, context={**context, "representations": representations, "parents": parents}
        ).data
        cursor = changes[-1].pk if changes else after
        next_url = request.build_absolute_uri(f"{reverse('api:change-list')}?after={cursor}&page_size={size}")
        return Response({"cursor": str(cursor), "has_more": has_more, "next": next_url, "results": results})


# --- People, sources, statuses -------------------------------------------------------------------


@extend_schema(tags=["people"])
class PersonListView(ApiViewMixin, generics.ListAPIView):
    """People and organisations whose claims are tracked."""

    serializer_class = api_serializers.PersonSerializer
    # Only people with a published claim, as on the public pages: someone whose claims are all drafts
    # or withdrawn has no public page, and is not listed or fetched here either.
    queryset = Person.objects.tracked()
    filter_backends = [StrictFilterBackend]
    filterset_class = PersonFilterSet
    pagination_class = ApiCursorPagination


@extend_schema(tags=["people"], responses={200: api_serializers.PersonSerializer})
class PersonDetailView(ApiViewMixin, generics.RetrieveAPIView):
    """One person or organisation with a published claim (404 otherwise, as their public page)."""

    serializer_class = api_serializers.PersonSerializer
    queryset = Person.objects.tracked()
    lookup_field = "slug"


class _SourceQuerysetMixin:
    def get_queryset(self) -> QuerySet[Source]:
        return Source.objects.all() if self.include_unpublished() else visible_sources()


@extend_schema(tags=["sources"])
class SourceListView(_SourceQuerysetMixin, ApiViewMixin, generics.ListAPIView):
    """Articles, posts, transcripts, documents and videos cited by published claims."""

    serializer_class = api_serializers.SourceSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = SourceFilterSet
    pagination_class = ApiCursorPagination


@extend_schema(tags=["sources"], responses={200: api_serializers.SourceSerializer})
class SourceDetailView(_SourceQuerysetMixin, ApiViewMixin, generics.RetrieveAPIView):
    serializer_class = api_serializers.SourceSerializer


@extend_schema(tags=["statuses"])
class StatusListView(ApiViewMixin, generics.ListAPIView):
    """The two rating scales, each status in order. Not paginated: there are only a few."""

    serializer_class = api_serializers.StatusSerializer
    queryset = Status.objects.order_by("scale", "order")
    filter_backends = [StrictFilterBackend]
    filterset_class = StatusFilterSet
    pagination_class = None
