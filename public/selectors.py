"""Reads for the public pages: only published claims and published status updates leave here.

Each page's data comes from a fixed number of queries, whatever the page size or the length
of a timeline; the view tests pin those numbers.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import (
    CharField,
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
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.utils import timezone

from claims.as_of import show_status_as_of
from claims.models import (
    ChangeKind,
    Claim,
    ClaimAppearance,
    ClaimChange,
    Scale,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
)
from people.models import Person

# Bump when the pages' markup changes in a way a cached copy should not survive.
PAGE_VERSION = "2"
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


# --- claims ------------------------------------------------------------------------------------


def public_claims() -> QuerySet[Claim]:
    return Claim.objects.published()


def _first_reporter(claim_ref: str) -> Subquery:
    """Who reported the claim first: the publisher (else the title) of its first appearance's source."""
    first = (
        ClaimAppearance.objects.filter(claim=OuterRef(claim_ref), is_first_appearance=True)
        .order_by("id")
        .annotate(reporter=Coalesce(NullIf(F("source__publisher"), Value("")), F("source__title")))
        .values("reporter")[:1]
    )
    return Subquery(first, output_field=CharField())


def with_wording(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """What ``public.wording`` needs to word a claim honestly, in the same query as the claims."""
    return claims.select_related("wording_source").annotate(first_reporter=_first_reporter("pk"))


def public_updates() -> QuerySet[StatusUpdate]:
    """Published status updates of published claims, newest publication first.

    Removed updates are included: feeds show them as a dated note in place of their content.
    Updates awaiting a second editor's approval are not published, so never leave here.
    """
    return (
        StatusUpdate.objects.published()
        .filter(claim__visibility=Visibility.PUBLISHED)
        .select_related("claim", "claim__claimant", "claim__wording_source", "status", "recorded_by", "corrects")
        .annotate(claim_first_reporter=_first_reporter("claim_id"))
        .order_by("-published_at", "-id")
    )


def claim_list_queryset() -> QuerySet[Claim]:
    # Each row shows the claimant, the status badge, the topics and the claim's wording.
    return with_wording(public_claims().with_list_related()).prefetch_related("topics")


def _components(as_of: datetime.date | None) -> QuerySet[Claim]:
    components = Claim.objects.published().select_related("claimant", "current_status").order_by("made_on", "id")
    return components.with_status_as_of(as_of) if as_of is not None else components


def claim_for_page(slug: str, *, as_of: datetime.date | None = None) -> Claim | None:
    """A published claim with everything its page shows, or None.

    With ``as_of``, annotated with its status as of the end of that day (see
    ``ClaimQuerySet.with_status_as_of``), and None if it was not yet published then. A component
    also brings its plan's published components, for the plan's roll-up: one more query, only then.
    """
    appearances = ClaimAppearance.objects.select_related("source")  # Where it was said.
    claims = with_wording(public_claims()).select_related("claimant", "current_status", "parent")
    if as_of is not None:
        claims = claims.with_status_as_of(as_of)
    return (
        claims.prefetch_related(
            "topics",
            "must_act",  # Who the claim waits on.
            Prefetch("appearances", queryset=appearances),
            Prefetch("components", queryset=with_wording(_components(as_of))),  # A plan's parts, with badges.
            Prefetch("parent__components", queryset=_components(as_of)),  # A component's plan roll-up.
        )
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class Absence:
    """Why there is no published claim at an address: never one, or withdrawn (when and why)."""

    visibility: str
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str


def claim_absence(slug: str) -> Absence | None:
    row = Claim.objects.filter(slug=slug).values("visibility", "withdrawn_at", "withdrawal_reason").first()
    return None if row is None else Absence(**row)


def claim_timeline(claim: Claim) -> list[StatusUpdate]:
    """The claim's published updates (removed ones too), newest first, with status, bylines, correction and evidence."""
    return list(claim.status_updates.published().timeline().select_related("approved_by"))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day``, as ``ClaimQuerySet.with_status_as_of`` counts it."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


@dataclass(frozen=True)
class TimelineEntry:
    update: StatusUpdate
    corrects_on_page: StatusUpdate | None = None  # The entry this one corrects, if shown.
    corrected_by: StatusUpdate | None = None  # The entry that corrects this one, if any.
    removed: bool = False  # Taken out of the record: shown as a dated note with the reason only.


def timeline_entries(timeline: list[StatusUpdate], *, as_of: datetime.date | None = None) -> list[TimelineEntry]:
    """The timeline as readers see it; with ``as_of``, as it stood at the end of that day.

    Then entries published later are left out, and an entry removed later shows as it stood.
    """
    cutoff = end_of_day(as_of) if as_of is not None else None
    if cutoff is not None:
        timeline = [update for update in timeline if update.published_at < cutoff]

    def removed(update: StatusUpdate) -> bool:
        return update.removed_at is not None and (cutoff is None or update.removed_at < cutoff)

    by_id = {update.pk: update for update in timeline}
    # A removed correction no longer corrects anything (as ``StatusUpdateQuerySet.not_corrected``).
    correction_of = {update.corrects_id: update for update in timeline if update.corrects_id and not removed(update)}
    return [
        TimelineEntry(
            update=update,
            corrects_on_page=by_id.get(update.corrects_id) if update.corrects_id else None,
            corrected_by=correction_of.get(update.pk),
            removed=removed(update),
        )
        for update in timeline
    ]


# --- corrections log ---------------------------------------------------------------------------

CORRECTIONS_LOG_KINDS = (ChangeKind.CORRECTION_RECORDED, ChangeKind.STATUS_REMOVED, ChangeKind.WITHDRAWN)


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True)
class LogEntry:
    """One line of the corrections log: when, what changed, why, and where."""

    change: ClaimChange
    what: str
    why: str

    @property
    def claim(self) -> Claim:
        return self.change.claim

    @property
    def claim_is_public(self) -> bool:
        return self.change.claim.visibility == Visibility.PUBLISHED

    @property
    def url(self) -> str:
        """The claim's page, at the timeline entry concerned while the claim is public."""
        url = self.change.claim.get_absolute_url()
        if self.claim_is_public and self.change.status_update_id:
            return f"{url}#update-{self.change.status_update_id}"
        return url


def corrections_log(person: Person | None = None) -> QuerySet[ClaimChange]:
    """Every correction, removal and withdrawal, newest first, with what the log shows: one query.

    Claims never published have no public record to correct, so their changes are left out.
    """
    changes = ClaimChange.objects.filter(kind__in=CORRECTIONS_LOG_KINDS).exclude(claim__visibility=Visibility.DRAFT)
    if person is not None:
        changes = changes.filter(claim__claimant=person)
    return changes.select_related(
        "claim",
        "claim__claimant",
        "status_update",
        "status_update__status",
        "status_update__corrects",
        "status_update__corrects__status",
    ).order_by("-id")


def log_entry(change: ClaimChange) -> LogEntry:
    update = change.status_update
    if change.kind == ChangeKind.WITHDRAWN:
        return LogEntry(change, "Claim withdrawn", change.note or change.claim.withdrawal_reason)
    if change.kind == ChangeKind.STATUS_REMOVED:
        what = f"Status update of {_day(update.effective_on)} removed" if update else "Status update removed"
        return LogEntry(change, what, change.note or (update.removal_reason if update else ""))
    if update is None:
        return LogEntry(change, "Status corrected", "")
    if update.removed_at is not None:
        # A correction since removed: its verdict and rationale left the record with it (its
        # removal has its own entry, with the reason), as on the claim's page.
        return LogEntry(change, "Status corrected; the correction was later removed", "")
    earlier = update.corrects
    if earlier is None or earlier.status_id == update.status_id:
        what = f"Status update of {_day(earlier.effective_on)} corrected" if earlier else "Status corrected"
        if earlier is not None:
            what += f" (status unchanged: {update.status.label})"
    else:
        what = f"Status corrected from {earlier.status.label} to {update.status.label}"
    return LogEntry(change, what, update.rationale)


def person_by_slug(slug: str) -> Person | None:
    return Person.objects.filter(slug=slug).first()


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
    claims = with_wording(
        public_claims()
        .for_person(person)
        .select_related("claimant", "current_status", "parent")
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
    return with_wording(public_claims().with_list_related()).order_by("-updated_at", "-id")[:limit]


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
        # Published updates only: a draft's new evidence must not move the public page's ETag.
        StatusUpdate.evidence.through.objects.filter(
            statusupdate__claim=OuterRef("pk"), statusupdate__published_at__isnull=False
        )
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
