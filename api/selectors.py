"""Read helpers for the API: what a client may see, with the queries shaped for serialisation."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from claims.models import Claim, ClaimAppearance, Source, Status, StatusUpdate, Visibility


def visible_claims(*, include_unpublished: bool) -> QuerySet[Claim]:
    """Published claims; every claim for an editor's key."""
    claims = Claim.objects.all()
    return claims if include_unpublished else claims.published()


def end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in the site's time zone: "as of" a day means by its end."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def show_timeline_as_of(claim: Claim, moment: datetime.datetime) -> Claim:
    """Present ``claim.published_timeline`` (loaded with ``published_by=moment``) as it stood then.

    An update removed after ``moment`` was still in the record then; for display only, never save.
    """
    for update in claim.published_timeline:
        if update.removed_at is not None and update.removed_at >= moment:
            update.removed_at, update.removal_reason = None, ""
    return claim


def claims_for_representation(
    claims: QuerySet[Claim], *, include_unpublished: bool, published_by: datetime.datetime | None = None
) -> QuerySet[Claim]:
    """``claims`` with everything the claim representation shows, in a fixed number of queries.

    1 query for the claims (claimant, status, quoted source and parent joined), then one each for
    topics, who must act, components, appearances with their sources, published timeline updates
    with their status, and the evidence of those updates: 7 queries for any page size.
    ``published_by``: only the timeline entries published before that moment (``as_of``).
    """
    timeline = StatusUpdate.objects.published()
    if published_by is not None:
        timeline = timeline.filter(published_at__lt=published_by)
    components = Claim.objects.select_related("current_status").order_by("made_on", "id")
    if not include_unpublished:
        components = components.filter(visibility=Visibility.PUBLISHED)
    return claims.select_related(
        # The claimant and the status badge of every claim, the source it quotes, and its plan.
        "claimant",
        "current_status",
        "wording_source",
        "parent__current_status",
    ).prefetch_related(
        # Topics, shown as slugs and names, and who must act.
        "topics",
        "must_act",
        # Components of a plan: only those the client may see.
        Prefetch("components", queryset=components, to_attr="visible_components"),
        # Where the claim appeared, first appearance first.
        # (Not ``to_attr``: the shared ClaimReview builder reads ``claim.appearances.all()``.)
        Prefetch("appearances", queryset=ClaimAppearance.objects.select_related("source")),
        # The public timeline, newest first, with each update's status and evidence.
        Prefetch(
            "status_updates",
            queryset=timeline.select_related("status")
            .prefetch_related("evidence")
            .order_by("-effective_on", "-recorded_at", "-id"),
            to_attr="published_timeline",
        ),
    )


def visible_sources() -> QuerySet[Source]:
    """Sources cited by a published claim (as an appearance or as evidence of a published update)."""
    appears_in_published = ClaimAppearance.objects.filter(source=OuterRef("pk"), claim__visibility=Visibility.PUBLISHED)
    evidence_for_published = StatusUpdate.objects.filter(
        evidence=OuterRef("pk"), published_at__isnull=False, claim__visibility=Visibility.PUBLISHED
    )
    return Source.objects.filter(Q(Exists(appears_in_published)) | Q(Exists(evidence_for_published)))


# --- The list's read path as rows (``.values()``), not model instances -------------------------
#
# Profiling a 50-claim page showed ≈ 70 ms of Python in model instantiation and prefetch
# machinery for ≈ 8 ms of SQL. The claim list reads the same columns as plain rows instead:
# one query for the page (claimant, status and plan joined), then one per relation, grouped in
# Python by claim id. ``api.representations.ClaimRepresenter.claims_from_rows`` shapes them.

_BADGE = ("scale", "slug", "label", "is_final", "rating_value", "colour")
_SOURCE = ("id", "url", "title", "publisher", "author", "published_on", "kind", "archive_url")

CLAIM_ROW_FIELDS = (
    *("id", "slug", "kind", "scale", "summary", "quote", "made_on", "deadline", "status_changed_on"),
    *("wording", "original_language", "original_text", "made_on_precision", "made_until"),
    *(f"wording_source__{name}" for name in _SOURCE),
    *("visibility", "withdrawal_reason", "version", "published_at", "created_at", "updated_at"),
    *("claimant_id", "claimant__slug", "claimant__name", "claimant__kind"),
    "current_status_id",
    *(f"current_status__{name}" for name in _BADGE),
    *("parent_id", "parent__slug", "parent__summary", "parent__kind", "parent__visibility"),
    "parent__current_status__slug",
)
AS_OF_ROW_FIELDS = ("status_as_of_id", "status_as_of_since")


def claim_rows(claims: QuerySet[Claim], *, as_of: bool = False) -> QuerySet[Claim]:
    """``claims`` (filtered, not yet sliced) as rows of the columns the representation shows.

    ``as_of``: the queryset went through ``with_status_as_of``; its annotations come along.
    """
    return claims.values(*CLAIM_ROW_FIELDS, *(AS_OF_ROW_FIELDS if as_of else ()))


def status_badge_rows() -> dict[int, dict]:
    """Every status as a row, by id (one query): the ``as_of`` statuses of a page."""
    return {row["id"]: row for row in Status.objects.values("id", *_BADGE)}


def _grouped(rows: Any, key: str) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def related_rows(
    claim_ids: list[int], *, include_unpublished: bool, published_by: datetime.datetime | None = None
) -> dict[str, dict[int, list[dict]]]:
    """What the representation shows of ``claim_ids``'s relations, grouped by claim (or update) id.

    One query each, in the order the model prefetch gave: topics, who must act, components,
    appearances with their sources, the published timeline with each update's status, and the
    evidence of those updates (skipped when there are no updates, as the prefetch does).
    ``published_by``: only the timeline entries published before that moment (``as_of``).
    """
    if not claim_ids:
        return {name: {} for name in ("topics", "must_act", "components", "appearances", "timeline", "evidence")}
    topics = Claim.topics.through.objects.filter(claim_id__in=claim_ids).order_by("topic__name")
    must_act = Claim.must_act.through.objects.filter(claim_id__in=claim_ids).order_by("person__name")
    # Components' visibility is checked in Python: with ``visibility = 'published'`` in the query,
    # SQLite walks its (visibility, made_on) index over every published claim instead of the
    # parent index (26 ms per page at 100k claims); a plan has a handful of components.
    components = [
        row
        for row in Claim.objects.filter(parent_id__in=claim_ids)
        .order_by("made_on", "id")
        .values("parent_id", "id", "slug", "summary", "kind", "visibility", "current_status__slug")
        if include_unpublished or row["visibility"] == Visibility.PUBLISHED
    ]
    appearances = ClaimAppearance.objects.filter(claim_id__in=claim_ids).order_by(
        "-is_first_appearance", "source__published_on", "id"
    )
    updates = StatusUpdate.objects.published()
    if published_by is not None:
        updates = updates.filter(published_at__lt=published_by)
    timeline = list(
        updates.filter(claim_id__in=claim_ids)
        .order_by("-effective_on", "-recorded_at", "-id")
        .values(
            *("id", "claim_id", "effective_on", "rationale", "corrects_id", "recorded_at", "status_id"),
            *("approved_at", "removed_at", "removal_reason"),
            *(f"status__{name}" for name in _BADGE),
        )
    )
    update_ids = [update["id"] for update in timeline]
    evidence = (
        StatusUpdate.evidence.through.objects.filter(statusupdate_id__in=update_ids)
        .order_by("-source__published_on", "source__title")
        .values("statusupdate_id", *(f"source__{name}" for name in _SOURCE))
        if update_ids
        else []
    )
    return {
        "topics": _grouped(topics.values("claim_id", "topic__slug", "topic__name"), "claim_id"),
        "must_act": _grouped(
            must_act.values("claim_id", "person_id", "person__slug", "person__name", "person__kind"), "claim_id"
        ),
        "components": _grouped(components, "parent_id"),
        "appearances": _grouped(
            appearances.values("claim_id", "is_first_appearance", "excerpt", *(f"source__{name}" for name in _SOURCE)),
            "claim_id",
        ),
        "timeline": _grouped(timeline, "claim_id"),
        "evidence": _grouped(evidence, "statusupdate_id"),
    }
