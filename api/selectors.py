"""Read helpers for the API: what a client may see, with the queries shaped for serialisation."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from api.representations import (
    APPEARANCE_FIELDS,
    BADGE_FIELDS,
    BADGE_TEXTS,
    PERSON_FIELDS,
    REFERENCE_FIELDS,
    REFERENCE_TEXTS,
    SOURCE_FIELDS,
    TOPIC_FIELDS,
    TOPIC_TEXTS,
    UPDATE_TEXTS,
    claim_columns,
    columns,
)
from claims.models import (
    Claim,
    ClaimAppearance,
    ClaimQuerySet,
    Source,
    Status,
    StatusUpdate,
    Visibility,
    published_through,
)


def visible_claims(*, include_unpublished: bool) -> ClaimQuerySet:
    """Published claims; every claim for an editor's key (``ClaimQuerySet.visible``)."""
    return Claim.objects.visible(include_unpublished=include_unpublished)


def visible_sources() -> QuerySet[Source]:
    """Sources cited by a published claim (as an appearance or as evidence of a published update)."""
    appears_in_published = ClaimAppearance.objects.filter(published_through("claim"), source=OuterRef("pk"))
    evidence_for_published = StatusUpdate.objects.published().of_published_claims().filter(evidence=OuterRef("pk"))
    return Source.objects.filter(Q(Exists(appears_in_published)) | Q(Exists(evidence_for_published)))


# --- The list's read path as rows (``.values()``), not model instances -------------------------
#
# Profiling a 50-claim page showed ≈ 70 ms of Python in model instantiation and prefetch
# machinery for ≈ 8 ms of SQL. The claim list reads the same columns as plain rows instead:
# one query for the page (claimant, status and plan joined), then one per relation, grouped in
# Python by claim id. ``api.representations.ClaimRepresenter.claims_from_rows`` shapes them, and
# its field lists name the columns read here: adding a field there adds its column here.

CLAIM_ROW_FIELDS = claim_columns()
AS_OF_ROW_FIELDS = ("status_as_of_id", "status_as_of_since")


def claim_rows(claims: QuerySet[Claim], *, as_of: bool = False) -> QuerySet[Claim, dict[str, Any]]:
    """``claims`` (filtered, not yet sliced) as rows of the columns the representation shows.

    ``as_of``: the queryset went through ``with_status_as_of``; its annotations come along.
    """
    return claims.values(*CLAIM_ROW_FIELDS, *(AS_OF_ROW_FIELDS if as_of else ()))


def status_badge_rows(pk: int | None = None) -> dict[int, dict]:
    """Every status (or the one ``pk``) as a row, by id (one query): the ``as_of`` statuses of a page."""
    statuses = Status.objects.all() if pk is None else Status.objects.filter(pk=pk)
    return {row["id"]: row for row in statuses.values("id", *columns(BADGE_FIELDS, BADGE_TEXTS))}


def _grouped(rows: Any, key: str) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


RELATIONS = ("topics", "must_act", "components", "appearances", "timeline", "evidence")


def related_rows(
    claim_ids: list[int],
    *,
    include_unpublished: bool,
    published_by: datetime.datetime | None = None,
    relations: Collection[str] = RELATIONS,
) -> dict[str, dict[int, list[dict]]]:
    """What the representation shows of ``claim_ids``'s relations, grouped by claim (or update) id.

    One query each, in the order the model prefetch gave: topics, who must act, components,
    appearances with their sources, the published timeline with each update's status, and the
    evidence of those updates (skipped when there are no updates, as the prefetch does).
    ``published_by``: only the timeline entries published before that moment (``as_of``).
    ``relations``: only these are read; the others are left empty (for the CSV, which shows topics only).
    """
    related: dict[str, dict[int, list[dict]]] = {name: {} for name in RELATIONS}
    if not claim_ids:
        return related
    if "topics" in relations:
        topics = Claim.topics.through.objects.filter(claim_id__in=claim_ids).order_by("topic__name")
        related["topics"] = _grouped(
            topics.values("claim_id", *columns(TOPIC_FIELDS, TOPIC_TEXTS, "topic__")), "claim_id"
        )
    if "must_act" in relations:
        must_act = Claim.must_act.through.objects.filter(claim_id__in=claim_ids).order_by("person__name")
        related["must_act"] = _grouped(
            must_act.values("claim_id", *(f"person__{name}" for name in PERSON_FIELDS)), "claim_id"
        )
    if "components" in relations:
        # Components' visibility is checked in Python: with ``visibility = 'published'`` in the query,
        # SQLite walks its (visibility, made_on) index over every published claim instead of the
        # parent index (26 ms per page at 100k claims); a plan has a handful of components.
        components = [
            row
            for row in Claim.objects.filter(parent_id__in=claim_ids)
            .order_by("made_on", "id")
            .values("parent_id", *columns(REFERENCE_FIELDS, REFERENCE_TEXTS), "visibility", "current_status__slug")
            if include_unpublished or Visibility(row["visibility"]).is_public
        ]
        related["components"] = _grouped(components, "parent_id")
    if "appearances" in relations:
        appearances = ClaimAppearance.objects.filter(claim_id__in=claim_ids).order_by(
            "-is_first_appearance", "source__published_on", "id"
        )
        related["appearances"] = _grouped(
            appearances.values("claim_id", *APPEARANCE_FIELDS, *(f"source__{name}" for name in SOURCE_FIELDS)),
            "claim_id",
        )
    if "timeline" in relations:
        updates = StatusUpdate.objects.published()
        if published_by is not None:
            updates = updates.filter(published_at__lt=published_by)
        timeline = list(
            updates.filter(claim_id__in=claim_ids)
            .newest_first()
            .values(
                *("id", "claim_id", "effective_on", *columns(UPDATE_TEXTS, UPDATE_TEXTS), "corrects_id"),
                *("recorded_at", "status_id", "approved_at", "removed_at", "removal_reason"),
                *columns(BADGE_FIELDS, BADGE_TEXTS, "status__"),
            )
        )
        related["timeline"] = _grouped(timeline, "claim_id")
        update_ids = [update["id"] for update in timeline]
        if "evidence" in relations and update_ids:
            evidence = (
                StatusUpdate.evidence.through.objects.filter(statusupdate_id__in=update_ids)
                .order_by("-source__published_on", "source__title")
                .values("statusupdate_id", *(f"source__{name}" for name in SOURCE_FIELDS))
            )
            related["evidence"] = _grouped(evidence, "statusupdate_id")
    return related
