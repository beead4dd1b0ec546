"""Writes: creating a claim and recording a status update, each answered with the claim as written."""

from __future__ import annotations

import re
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as api_serializers
from api.exceptions import InvalidHeader
from api.representations import claim_representation
from api.selectors import visible_claims
from api.views.http_caching import ApiViewMixin
from claims import services
from claims.models import Claim, Status, StatusUpdate
from claimtracker.versioning import StaleEditError


def _written_claim_answer(view: Any, claim_id: int) -> dict[str, Any]:
    """The claim as it stands after a write; its ETag names that version."""
    representation = claim_representation(
        claim_id, request=view.request, include_unpublished=view.include_unpublished()
    )
    view.etag_claim = Claim(pk=representation["id"], version=representation["version"])
    return representation


def _editor(request: Request) -> AbstractBaseUser:
    """The key's owner: a write passes the editor-key permission, so the user is never anonymous."""
    return cast(AbstractBaseUser, request.user)


class ClaimCreateMixin:
    """``POST /claims``: the claim list's create, answered with the claim as written."""

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
                created_by=_editor(request),
            )
        representation = _written_claim_answer(self, created.pk)
        return Response(representation, status=status.HTTP_201_CREATED, headers={"Location": representation["url"]})


ETAG_PATTERN = re.compile(r'^(?:W/)?"(\d+)-(\d+)-[0-9a-f]+"$')


# An entity tag as RFC 9110 writes it: optional W/, then opaque characters in double quotes.
ENTITY_TAG = re.compile(r'^(?:W/)?"[\x21\x23-\x7e]*"$')


def check_if_match_syntax(request: Request) -> None:
    """A malformed If-Match is a 400 naming it: it cannot name any version, stale or not."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = [tag.strip() for tag in header.split(",")]
    if not header.strip() or (tags != ["*"] and not all(ENTITY_TAG.match(tag) for tag in tags)):
        # Translators: ETag is an HTTP header; "12-3-…" is an example of its value and * a literal value.
        raise InvalidHeader({"If-Match": [gettext('Send the claim\'s ETag as given, e.g. "12-3-…", or *.')]})


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
                recorded_by=_editor(request),
            )
        representation = _written_claim_answer(self, pk)
        if update.is_awaiting_approval:
            pending = {
                "state": "awaiting_approval",
                "status_update": update.pk,
                "message": gettext("The verdict waits for another editor's approval; it is not public until then."),
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
        # Translators: %(status)s is the status slug sent; %(scale)s the scale's code, "promise" or "fact_check".
        message = gettext("No status “%(status)s” on the %(scale)s scale.")
        errors["status"] = [message % {"status": data["status"], "scale": claim.scale}]
    elif data["publish"] and (
        missing := services.missing_evidence_error(new_status, has_evidence=bool(data["evidence"]))
    ):
        errors["evidence"] = [missing]
    corrects = None
    if data["corrects"] is not None:
        # Only a standing, published update can be corrected; drafts and removed ones cannot.
        corrects = StatusUpdate.objects.in_record().filter(claim=claim, pk=data["corrects"]).first()
        if corrects is None:
            errors["corrects"] = [gettext("No published update with this id on this claim.")]
    if errors:
        raise serializers.ValidationError(errors)
    # Not None here: a missing status was raised above under "status".
    return cast(Status, new_status), corrects
