"""ClaimReview: schema.org JSON-LD of one published verdict, or of every one."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import ClaimFilterSet, StrictFilterBackend
from api.pagination import ClaimCursorPagination
from api.schema import ErrorSerializer
from api.views.http_caching import ApiViewMixin
from claims.models import Claim, ClaimAppearance, StatusUpdate
from claims.timeline import latest_in_effect


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
        # Set by the Prefetch(to_attr=...) in _claims_for_claim_review, which mypy cannot see.
        latest_update=latest_in_effect(claim.published_timeline),  # type: ignore[attr-defined]
    )


class ClaimReviewSerializer(serializers.BaseSerializer):
    def to_representation(self, claim: Claim) -> dict[str, Any] | None:
        return _claim_review_of(claim, self.context["request"])


class NoVerdictYet(NotFound):
    # Translators: ClaimReview is the name of a schema.org type; keep it as it is.
    default_detail = gettext_lazy("This claim has no verdict yet (it is not yet rated), so it has no ClaimReview.")
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
