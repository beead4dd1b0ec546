"""Read helpers for the API: what a client may see, with the queries shaped for serialisation."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from claims.models import Claim, ClaimAppearance, Source, StatusUpdate, Visibility


def visible_claims(*, include_unpublished: bool) -> QuerySet[Claim]:
    """Published claims; every claim for an editor's key."""
    claims = Claim.objects.all()
    return claims if include_unpublished else claims.published()


def claims_for_representation(claims: QuerySet[Claim], *, include_unpublished: bool) -> QuerySet[Claim]:
    """``claims`` with everything the claim representation shows, in a fixed number of queries.

    1 query for the claims (claimant, status and parent joined), then one each for topics, who
    must act, components, appearances with their sources, published timeline updates with their
    status, and the evidence of those updates: 7 queries for any page size.
    """
    components = Claim.objects.select_related("current_status").order_by("made_on", "id")
    if not include_unpublished:
        components = components.filter(visibility=Visibility.PUBLISHED)
    return claims.select_related(
        # The claimant and the status badge of every claim, and the plan it belongs to.
        "claimant",
        "current_status",
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
            queryset=StatusUpdate.objects.published()
            .select_related("status")
            .prefetch_related("evidence")
            .order_by("-effective_on", "-recorded_at", "-id"),
            to_attr="published_timeline",
        ),
    )


def latest_update_in_effect(timeline: list[StatusUpdate]) -> StatusUpdate | None:
    """The update the current status comes from: latest by effect date among those not corrected."""
    corrected = {update.corrects_id for update in timeline if update.corrects_id}
    in_effect = [update for update in timeline if update.pk not in corrected]
    if not in_effect:
        return None
    return max(in_effect, key=lambda update: (update.effective_on, update.recorded_at, update.pk))


def visible_sources() -> QuerySet[Source]:
    """Sources cited by a published claim (as an appearance or as evidence of a published update)."""
    appears_in_published = ClaimAppearance.objects.filter(source=OuterRef("pk"), claim__visibility=Visibility.PUBLISHED)
    evidence_for_published = StatusUpdate.objects.filter(
        evidence=OuterRef("pk"), published_at__isnull=False, claim__visibility=Visibility.PUBLISHED
    )
    return Source.objects.filter(Q(Exists(appears_in_published)) | Q(Exists(evidence_for_published)))
