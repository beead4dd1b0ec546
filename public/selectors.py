"""Reads for the public pages: only published claims and published status updates leave here.

Each page's data comes from a fixed number of queries, whatever the page size or the length
of a timeline; the view tests pin those numbers.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from claims.as_of import show_status_as_of
from claims.models import Claim, ClaimAppearance, Scale, Status, StatusUpdate, Topic, Visibility
from people.models import Person

# Bump when the pages' markup changes in a way a cached copy should not survive.
PAGE_VERSION = "1"
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


# --- claims ------------------------------------------------------------------------------------


def public_claims() -> QuerySet[Claim]:
    return Claim.objects.published()


def public_updates() -> QuerySet[StatusUpdate]:
    """Published status updates of published claims, newest publication first."""
    return (
        StatusUpdate.objects.published()
        .filter(claim__visibility=Visibility.PUBLISHED)
        .select_related("claim", "claim__claimant", "status", "recorded_by", "corrects")
        .order_by("-published_at", "-id")
    )


def claim_list_queryset() -> QuerySet[Claim]:
    # Each row shows the claimant, the status badge and the topics.
    return public_claims().with_list_related().prefetch_related("topics")


def claim_for_page(slug: str) -> Claim | None:
    """A published claim with everything its page shows, or None."""
    published_components = (
        Claim.objects.published().select_related("current_status").order_by("made_on", "id")
    )  # The plan's components and their badges.
    appearances = ClaimAppearance.objects.select_related("source")  # Where it was said.
    return (
        public_claims()
        .select_related("claimant", "current_status", "parent", "parent__current_status")
        .prefetch_related(
            "topics",
            "must_act",  # Who the claim waits on.
            Prefetch("appearances", queryset=appearances),
            Prefetch("components", queryset=published_components),
        )
        .filter(slug=slug)
        .first()
    )


def claim_visibility(slug: str) -> str | None:
    return Claim.objects.filter(slug=slug).values_list("visibility", flat=True).first()


def claim_timeline(claim: Claim) -> list[StatusUpdate]:
    """The claim's published updates, newest first, with status, byline, correction and evidence."""
    return list(claim.status_updates.published().timeline())


@dataclass(frozen=True)
class TimelineEntry:
    update: StatusUpdate
    corrects_on_page: StatusUpdate | None = None  # The entry this one corrects, if shown.
    corrected_by: StatusUpdate | None = None  # The entry that corrects this one, if any.


def timeline_entries(timeline: list[StatusUpdate]) -> list[TimelineEntry]:
    by_id = {update.pk: update for update in timeline}
    correction_of = {update.corrects_id: update for update in timeline if update.corrects_id}
    return [
        TimelineEntry(
            update=update,
            corrects_on_page=by_id.get(update.corrects_id) if update.corrects_id else None,
            corrected_by=correction_of.get(update.pk),
        )
        for update in timeline
    ]


# --- people ------------------------------------------------------------------------------------


def people_tracked() -> QuerySet[Person]:
    """People and organisations with at least one published claim, by name."""
    return Person.objects.with_published_claim_counts().filter(published_claim_count__gt=0).order_by("name")


def people_with_published_claims() -> QuerySet[Person]:
    """Like ``people_tracked`` without the counts: one index probe per person, not a count of every claim."""
    return Person.objects.filter(Exists(public_claims().filter(claimant=OuterRef("pk")))).order_by("name")


def topics_of_published_claims() -> QuerySet[Topic]:
    published_link = Claim.topics.through.objects.filter(topic=OuterRef("pk"), claim__visibility=Visibility.PUBLISHED)
    return Topic.objects.filter(Exists(published_link))


def people_who_must_act() -> QuerySet[Person]:
    """People and bodies that published claims wait on, by name."""
    return (
        Person.objects.filter(claims_awaiting_their_decision__visibility=Visibility.PUBLISHED)
        .distinct()
        .order_by("name")
    )


def person_for_page(slug: str) -> Person | None:
    return people_tracked().filter(slug=slug).first()


@dataclass
class StatusGroup:
    status: Status
    claims: list[Claim] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.claims)


def person_claims_by_status(person: Person, *, as_of: datetime.date | None = None) -> list[StatusGroup]:
    """The person's published claims grouped by current status, in scale order (promises first).

    With ``as_of``, the claims and statuses as the record stood at the end of that day.
    """
    claims = (
        public_claims()
        .for_person(person)
        .select_related("current_status", "parent")
        .order_by("-status_changed_on", "-made_on", "-id")
    )
    if as_of is not None:
        claims = show_status_as_of(claims.with_status_as_of(as_of))
    groups: dict[int, StatusGroup] = {}
    for claim in claims:
        groups.setdefault(claim.current_status_id, StatusGroup(claim.current_status)).claims.append(claim)
    return sorted(groups.values(), key=lambda group: _scale_position(group.status))


def _scale_position(status: Status) -> tuple[int, int]:
    return (list(Scale.values).index(status.scale), status.order)


# --- home and methodology ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleCounts:
    scale: str
    label: str
    rows: list[Status]  # Each with a ``claim_count`` attribute.

    @property
    def total(self) -> int:
        return sum(status.claim_count for status in self.rows)

    @property
    def largest(self) -> int:
        return max((status.claim_count for status in self.rows), default=0)


def status_counts(*, as_of: datetime.date | None = None) -> list[ScaleCounts]:
    """Every status with how many published claims stand at it, one entry per scale.

    With ``as_of``, how many stood at it at the end of that day, by the record as it was then.
    """
    if as_of is None:
        count = public_claims().filter(current_status=OuterRef("pk"))
        group_by = "current_status"
    else:
        count = public_claims().with_status_as_of(as_of).filter(status_as_of_id=OuterRef("pk"))
        group_by = "status_as_of_id"
    count = count.order_by().values(group_by).annotate(n=Count("id")).values("n")
    statuses = Status.objects.annotate(
        claim_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    ).order_by("scale", "order")
    return _by_scale(statuses)


def statuses_by_scale() -> list[ScaleCounts]:
    for_methodology = Status.objects.annotate(claim_count=Value(0)).order_by("scale", "order")
    return _by_scale(for_methodology)


def _by_scale(statuses: QuerySet[Status]) -> list[ScaleCounts]:
    rows: dict[str, list[Status]] = {scale: [] for scale in Scale.values}
    for status in statuses:
        rows.setdefault(status.scale, []).append(status)
    return [ScaleCounts(scale, Scale(scale).label, rows[scale]) for scale in Scale.values]


def recently_updated_claims(limit: int = 6) -> QuerySet[Claim]:
    return public_claims().with_list_related().order_by("-updated_at", "-id")[:limit]


# --- freshness (conditional GET) ---------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """When a page's content last changed, and a validator that also covers the status scales."""

    last_modified: datetime.datetime
    etag: str


def _freshness(last_modified: datetime.datetime | None, *parts: object) -> Freshness:
    # Status rows carry no timestamp, so their wording goes into the ETag instead.
    scale_rows = list(
        Status.objects.order_by("pk").values_list(
            "pk", "slug", "label", "meaning", "colour", "order", "is_final", "rating_value"
        )
    )
    last_modified = last_modified or EPOCH
    digest = hashlib.sha256(repr((PAGE_VERSION, last_modified.isoformat(), scale_rows, parts)).encode()).hexdigest()
    return Freshness(last_modified=last_modified, etag=f'"{digest[:32]}"')


def _latest(queryset: QuerySet, *fields: str) -> datetime.datetime | None:
    """The newest of ``fields`` over ``queryset``, in one aggregate query."""
    expressions = [Max(name) for name in fields]
    newest = expressions[0] if len(expressions) == 1 else Greatest(*(Coalesce(e, Value(EPOCH)) for e in expressions))
    return queryset.aggregate(newest=newest)["newest"]


def site_freshness(*parts: object) -> Freshness:
    """For pages that summarise the whole tracker (home, list): any claim, person or update change.

    Drafts and withdrawals count too: withdrawing a claim changes the lists it was on.
    """
    # Two index look-ups rather than a join of every claim with its claimant: the newest claim
    # (claim_updated_idx) and the newest person (a small table). Any person counts: one without
    # claims changes no list, but counting it only costs a needless revalidation.
    newest_claim = Claim.objects.order_by("-updated_at").values("updated_at")[:1]
    newest = Person.objects.aggregate(
        newest=Greatest(
            Coalesce(Max("updated_at"), Value(EPOCH)),
            Coalesce(Subquery(newest_claim, output_field=DateTimeField()), Value(EPOCH)),
        )
    )["newest"]
    return _freshness(newest, *parts)


def claim_freshness(slug: str) -> Freshness | None:
    """None when there is no published claim with this slug."""
    # Two subqueries that follow the claim's own rows (its appearances, its updates' evidence)
    # rather than one OR over both joins, which made the database scan every source.
    newest_appearance_source = (
        ClaimAppearance.objects.filter(claim=OuterRef("pk"))
        .order_by("-source__updated_at")
        .values("source__updated_at")[:1]
    )
    newest_evidence = (
        StatusUpdate.evidence.through.objects.filter(statusupdate__claim=OuterRef("pk"))
        .order_by("-source__updated_at")
        .values("source__updated_at")[:1]
    )
    newest_component = Claim.objects.filter(parent=OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
    row = (
        public_claims()
        .filter(slug=slug)
        .annotate(
            newest=Greatest(
                F("updated_at"),
                F("claimant__updated_at"),
                Coalesce(F("parent__updated_at"), F("updated_at")),
                Coalesce(Subquery(newest_appearance_source, output_field=DateTimeField()), F("updated_at")),
                Coalesce(Subquery(newest_evidence, output_field=DateTimeField()), F("updated_at")),
                Coalesce(Subquery(newest_component, output_field=DateTimeField()), F("updated_at")),
            )
        )
        .values_list("newest", flat=True)
        .first()
    )
    return None if row is None else _freshness(row, "claim", slug)


def person_freshness(slug: str) -> Freshness | None:
    """None when nobody with this slug has a published claim."""
    # MAX over the person's claims (their claimant index), not ORDER BY updated_at LIMIT 1, which
    # PostgreSQL served by walking the all-claims updated_at index until it met one of theirs.
    newest_claim = (
        Claim.objects.filter(claimant=OuterRef("pk")).order_by().values("claimant").annotate(newest=Max("updated_at"))
    ).values("newest")
    row = (
        people_tracked()
        .filter(slug=slug)
        .annotate(
            newest=Greatest(
                F("updated_at"), Coalesce(Subquery(newest_claim, output_field=DateTimeField()), F("updated_at"))
            )
        )
        .values_list("newest", flat=True)
        .first()
    )
    return None if row is None else _freshness(row, "person", slug)
