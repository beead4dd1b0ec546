"""The anchor: a hand-written `.values()` + orjson view of the API claim list's content.

Fifty published claims, most recently changed first, each with its claimant, status badge,
topics, appearances with their sources, and published timeline with statuses and evidence — the
same data as /api/v1/claims, built with no DRF, no model instances and no middleware work of its
own. The benchmark compares the real API with it.
"""

from __future__ import annotations

from collections import defaultdict

import orjson
from django.http import HttpRequest, HttpResponse

from claims.models import Claim, ClaimAppearance, Status, StatusUpdate

PAGE = 50


def _iso(value: object) -> str | None:
    return None if value is None else value.isoformat()


def anchor_claim_list(request: HttpRequest) -> HttpResponse:
    claims = list(
        Claim.objects.filter(visibility="published")
        .order_by("-updated_at", "-id")
        .values(
            "id",
            "slug",
            "kind",
            "scale",
            "summary",
            "quote",
            "made_on",
            "deadline",
            "status_changed_on",
            "visibility",
            "version",
            "published_at",
            "created_at",
            "updated_at",
            "parent_id",
            "current_status_id",
            "claimant__id",
            "claimant__slug",
            "claimant__name",
            "claimant__kind",
        )[:PAGE]
    )
    ids = [claim["id"] for claim in claims]
    badges = {
        row["id"]: row
        for row in Status.objects.values("id", "scale", "slug", "label", "is_final", "rating_value", "colour")
    }
    topics = defaultdict(list)
    for row in Claim.topics.through.objects.filter(claim_id__in=ids).values("claim_id", "topic__slug", "topic__name"):
        topics[row["claim_id"]].append({"slug": row["topic__slug"], "name": row["topic__name"]})
    appearances = defaultdict(list)
    for row in ClaimAppearance.objects.filter(claim_id__in=ids).values(
        "claim_id",
        "is_first_appearance",
        "excerpt",
        "source__id",
        "source__url",
        "source__title",
        "source__publisher",
        "source__author",
        "source__published_on",
        "source__kind",
        "source__archive_url",
    ):
        appearances[row["claim_id"]].append(
            {
                "source": {
                    "id": row["source__id"],
                    "url": row["source__url"],
                    "title": row["source__title"],
                    "publisher": row["source__publisher"],
                    "author": row["source__author"],
                    "published_on": _iso(row["source__published_on"]),
                    "kind": row["source__kind"],
                    "archive_url": row["source__archive_url"],
                },
                "is_first_appearance": row["is_first_appearance"],
                "excerpt": row["excerpt"],
            }
        )
    updates = list(
        StatusUpdate.objects.filter(claim_id__in=ids, published_at__isnull=False)
        .order_by("-effective_on", "-recorded_at", "-id")
        .values("id", "claim_id", "status_id", "effective_on", "rationale", "corrects_id", "recorded_at")
    )
    evidence = defaultdict(list)
    for row in StatusUpdate.evidence.through.objects.filter(statusupdate_id__in=[u["id"] for u in updates]).values(
        "statusupdate_id",
        "source__id",
        "source__url",
        "source__title",
        "source__publisher",
        "source__author",
        "source__published_on",
        "source__kind",
        "source__archive_url",
    ):
        evidence[row["statusupdate_id"]].append(
            {
                "id": row["source__id"],
                "url": row["source__url"],
                "title": row["source__title"],
                "publisher": row["source__publisher"],
                "author": row["source__author"],
                "published_on": _iso(row["source__published_on"]),
                "kind": row["source__kind"],
                "archive_url": row["source__archive_url"],
            }
        )
    timelines = defaultdict(list)
    corrected_by = {u["corrects_id"]: u["id"] for u in updates if u["corrects_id"]}
    for update in updates:
        timelines[update["claim_id"]].append(
            {
                "id": update["id"],
                "status": badges[update["status_id"]],
                "effective_on": _iso(update["effective_on"]),
                "rationale": update["rationale"],
                "evidence": evidence[update["id"]],
                "corrects": update["corrects_id"],
                "corrected_by": corrected_by.get(update["id"]),
                "recorded_at": _iso(update["recorded_at"]),
            }
        )
    results = [
        {
            "id": claim["id"],
            "slug": claim["slug"],
            "kind": claim["kind"],
            "scale": claim["scale"],
            "claimant": {
                "id": claim["claimant__id"],
                "slug": claim["claimant__slug"],
                "name": claim["claimant__name"],
                "kind": claim["claimant__kind"],
            },
            "summary": claim["summary"],
            "quote": claim["quote"],
            "made_on": _iso(claim["made_on"]),
            "deadline": _iso(claim["deadline"]),
            "topics": topics[claim["id"]],
            "current_status": badges[claim["current_status_id"]],
            "status_changed_on": _iso(claim["status_changed_on"]),
            "appearances": appearances[claim["id"]],
            "timeline": timelines[claim["id"]],
            "visibility": claim["visibility"],
            "version": claim["version"],
            "published_at": _iso(claim["published_at"]),
            "created_at": _iso(claim["created_at"]),
            "updated_at": _iso(claim["updated_at"]),
        }
        for claim in claims
    ]
    return HttpResponse(
        orjson.dumps({"next": None, "previous": None, "results": results}), content_type="application/json"
    )
