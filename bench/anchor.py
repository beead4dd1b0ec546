"""The anchor: a hand-written `.values()` + orjson view of the API claim list's content.

Fifty published claims, most recently changed first, each with its claimant, status badge,
topics, appearances with their sources, and published timeline with statuses and evidence — the
same data as /api/v1/claims, built with no DRF, no model instances and no middleware work of its
own. The benchmark compares the real API with it.

It keeps its own queries — hand-tuned, no filters, no cursor, no cache — since that is what it
measures the API against; but it shapes every value with the API's own field lists and
``api.representations.shaped``, so a field added to the claim's JSON shows here too and the
comparison stays like for like.
"""

from __future__ import annotations

from collections import defaultdict

import orjson
from django.http import HttpRequest, HttpResponse

from api.representations import (
    APPEARANCE_FIELDS,
    BADGE_FIELDS,
    BADGE_TEXTS,
    CLAIM_FIELDS,
    CLAIM_TEXTS,
    PERSON_FIELDS,
    SOURCE_FIELDS,
    TOPIC_FIELDS,
    TOPIC_TEXTS,
    UPDATE_FIELDS,
    UPDATE_TEXTS,
    columns,
    plain_claim_fields,
    shaped,
    text_in_language,
)
from claims.dates import iso_period
from claims.models import Claim, ClaimAppearance, Status, StatusUpdate

PAGE = 50
# What the anchor leaves out of the API's claim: links, who must act, the plan and its components
# (two more queries the API makes; see BENCHMARKS.md).
_LEFT_OUT = frozenset({"url", "public_url", "must_act", "parent", "components"})
_PLAIN = plain_claim_fields()


def anchor_claim_list(request: HttpRequest) -> HttpResponse:
    claims = list(
        Claim.objects.filter(visibility="published")
        .order_by("-updated_at", "-id")
        .values(
            *_PLAIN,
            *columns(CLAIM_TEXTS, CLAIM_TEXTS),
            *(f"wording_source__{name}" for name in SOURCE_FIELDS),
            "status_changed_on",
            "current_status_id",
            *(f"claimant__{name}" for name in PERSON_FIELDS),
        )[:PAGE]
    )
    ids = [claim["id"] for claim in claims]
    badges = {
        row["id"]: shaped(row, BADGE_FIELDS) for row in Status.objects.values("id", *columns(BADGE_FIELDS, BADGE_TEXTS))
    }
    topics = defaultdict(list)
    for row in Claim.topics.through.objects.filter(claim_id__in=ids).values(
        "claim_id", *columns(TOPIC_FIELDS, TOPIC_TEXTS, "topic__")
    ):
        topics[row["claim_id"]].append(shaped(row, TOPIC_FIELDS, "topic__"))
    appearances = defaultdict(list)
    for row in ClaimAppearance.objects.filter(claim_id__in=ids).values(
        "claim_id", *APPEARANCE_FIELDS, *(f"source__{name}" for name in SOURCE_FIELDS)
    ):
        appearances[row["claim_id"]].append(
            {"source": shaped(row, SOURCE_FIELDS, "source__"), **shaped(row, APPEARANCE_FIELDS)}
        )
    updates = list(
        StatusUpdate.objects.filter(claim_id__in=ids, published_at__isnull=False)
        .order_by("-effective_on", "-recorded_at", "-id")
        .values(
            *("id", "claim_id", "status_id", "effective_on", *columns(UPDATE_TEXTS, UPDATE_TEXTS)),
            *("corrects_id", "recorded_at"),
            *("approved_at", "removed_at", "removal_reason"),
        )
    )
    evidence = defaultdict(list)
    for row in (
        StatusUpdate.evidence.through.objects.filter(statusupdate_id__in=[u["id"] for u in updates])
        .order_by("-source__published_on", "source__title")
        .values("statusupdate_id", *(f"source__{name}" for name in SOURCE_FIELDS))
    ):
        evidence[row["statusupdate_id"]].append(shaped(row, SOURCE_FIELDS, "source__"))
    timelines = defaultdict(list)
    # A removed correction replaces nothing; a removed update keeps its place, not its content.
    corrected_by = {u["corrects_id"]: u["id"] for u in updates if u["corrects_id"] and u["removed_at"] is None}
    for update in updates:
        removed = update["removed_at"] is not None
        rationale, rationale_language = text_in_language(update, "rationale")
        built = {
            "status": None if removed else badges[update["status_id"]],
            "rationale": None if removed else rationale,
            "rationale_language": None if removed else rationale_language,
            "evidence": [] if removed else evidence[update["id"]],
            "corrects": update["corrects_id"],
            "corrected_by": corrected_by.get(update["id"]),
            "removal_reason": update["removal_reason"] if removed else None,
        }
        plain = shaped(update, tuple(name for name in UPDATE_FIELDS if name not in built))
        timelines[update["claim_id"]].append(
            {name: built[name] if name in built else plain[name] for name in UPDATE_FIELDS}
        )
    results = []
    for claim in claims:
        wording_source = shaped(claim, SOURCE_FIELDS, "wording_source__")
        summary, summary_language = text_in_language(claim, "summary")
        built = {
            "summary": summary,
            "summary_language": summary_language,
            "claimant": shaped(claim, PERSON_FIELDS, "claimant__"),
            "wording_source": None if wording_source["id"] is None else wording_source,
            "made_on_period": iso_period(claim["made_on"], claim["made_on_precision"], claim["made_until"]),
            "topics": topics[claim["id"]],
            "current_status": badges[claim["current_status_id"]],
            "status_changed_on": shaped(claim, ("status_changed_on",))["status_changed_on"],
            "appearances": appearances[claim["id"]],
            "timeline": timelines[claim["id"]],
        }
        plain = shaped(claim, _PLAIN)
        results.append(
            {name: built[name] if name in built else plain[name] for name in CLAIM_FIELDS if name not in _LEFT_OUT}
        )
    return HttpResponse(
        orjson.dumps({"next": None, "previous": None, "results": results}), content_type="application/json"
    )
