"""The change feed: every change to a published claim, oldest first, for keeping a mirror in sync."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as api_serializers
from api.exceptions import InvalidFilter
from api.pagination import MAX_PAGE_SIZE
from api.renderers import OrjsonRenderer
from api.representations import ClaimRepresenter
from api.selectors import claim_rows
from api.views.http_caching import ApiViewMixin
from claims.models import Claim, ClaimChange, Visibility


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
