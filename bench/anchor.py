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

from claims.dates import iso_period
from claims.models import Claim, ClaimAppearance, Status, StatusUpdate

PAGE = 50
SOURCE_FIELDS = ("id", "url", "title", "publisher", "author", "published_on", "kind", "archive_url")


def _source(row: dict, prefix: str) -> dict:
    return {
        "id": row[f"{prefix}id"],
        "url": row[f"{prefix}url"],
        "title": row[f"{prefix}title"],
        "publisher": row[f"{prefix}publisher"],
        "author": row[f"{prefix}author"],
        "published_on": _iso(row[f"{prefix}published_on"]),
        "kind": row[f"{prefix}kind"],
        "archive_url": row[f"{prefix}archive_url"],
    }


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
            "wording",
            *(f"wording_source__{name}" for name in SOURCE_FIELDS),
            "original_language",
            "original_text",
            "made_on",
            "made_on_precision",
            "made_until",
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
        .values(
            *("id", "claim_id", "status_id", "effective_on", "rationale", "corrects_id", "recorded_at"),
            *("approved_at", "removed_at", "removal_reason"),
        )
    )
    evidence = defaultdict(list)
    for row in (
        StatusUpdate.evidence.through.objects.filter(statusupdate_id__in=[u["id"] for u in updates])
        .order_by("-source__published_on", "source__title")
        .values(
            "statusupdate_id",
            "source__id",
            "source__url",
            "source__title",
            "source__publisher",
            "source__author",
            "source__published_on",
            "source__kind",
            "source__archive_url",
        )
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
    # A removed correction replaces nothing; a removed update keeps its place, not its content.
    corrected_by = {u["corrects_id"]: u["id"] for u in updates if u["corrects_id"] and u["removed_at"] is None}
    for update in updates:
        removed = update["removed_at"] is not None
        timelines[update["claim_id"]].append(
            {
                "id": update["id"],
                "status": None if removed else badges[update["status_id"]],
                "effective_on": _iso(update["effective_on"]),
                "rationale": None if removed else update["rationale"],
                "evidence": [] if removed else evidence[update["id"]],
                "corrects": update["corrects_id"],
                "corrected_by": corrected_by.get(update["id"]),
                "recorded_at": _iso(update["recorded_at"]),
                "approved_at": _iso(update["approved_at"]),
                "removed_at": _iso(update["removed_at"]),
                "removal_reason": update["removal_reason"] if removed else None,
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
            "wording": claim["wording"],
            "wording_source": None if claim["wording_source__id"] is None else _source(claim, "wording_source__"),
            "original_language": claim["original_language"],
            "original_text": claim["original_text"],
            "made_on": _iso(claim["made_on"]),
            "made_on_precision": claim["made_on_precision"],
            "made_until": _iso(claim["made_until"]),
            "made_on_period": iso_period(claim["made_on"], claim["made_on_precision"], claim["made_until"]),
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
