"""Reads for the public pages: only published claims and published status updates leave here.

Each page's data comes from a fixed number of queries, whatever the page size or the length
of a timeline; the view tests pin those numbers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from claims.as_of import show_status_as_of
from claims.dates import describe_day, end_of_day
from claims.models import (
    ChangeKind,
    Claim,
    ClaimAppearance,
    ClaimChange,
    ClaimQuerySet,
    Scale,
    Status,
    StatusUpdate,
    Topic,
    on_public_record_through,
    published_through,
)
from claims.scorecards import pledges
from claims.wording import first_reporter, with_wording
from people.models import Person, Term

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- claims ------------------------------------------------------------------------------------


def public_updates() -> QuerySet[StatusUpdate]:
    """Published status updates of published claims, newest publication first.

    Removed updates are included: feeds show them as a dated note in place of their content.
    Updates awaiting a second editor's approval are not published, so never leave here.
    """
    return (
        StatusUpdate.objects.published()
        .of_published_claims()
        .select_related("claim", "claim__claimant", "claim__wording_source", "status", "recorded_by", "corrects")
        .annotate(claim_first_reporter=first_reporter("claim_id"))
        .order_by("-published_at", "-id")
    )


def claim_list_queryset() -> ClaimQuerySet:
    # Each row shows the claimant, the status badge, the topics and the claim's wording.
    return with_wording(Claim.objects.published().with_list_related()).prefetch_related("topics")


def _components(as_of: datetime.date | None) -> ClaimQuerySet:
    components = Claim.objects.published().select_related("claimant", "current_status").order_by("made_on", "id")
    return components.with_status_as_of(as_of) if as_of is not None else components


def claim_for_page(slug: str, *, as_of: datetime.date | None = None) -> Claim | None:
    """A published claim with everything its page shows, or None.

    With ``as_of``, annotated with its status as of the end of that day (see
    ``ClaimQuerySet.with_status_as_of``), and None if it was not yet published then. A component
    also brings its plan's published components, for the plan's roll-up: one more query, only then.
    """
    appearances = ClaimAppearance.objects.select_related("source")  # Where it was said.
    claims = with_wording(Claim.objects.published()).select_related("claimant", "current_status", "parent")
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


def claim_timeline(claim: Claim) -> list[StatusUpdate]:
    """The claim's published updates (removed ones too), newest first, with status, bylines, correction and evidence."""
    return list(claim.status_updates.published().timeline().select_related("approved_by"))


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
        # A timeline holds published updates only.
        timeline = [update for update in timeline if cast(datetime.datetime, update.published_at) < cutoff]

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
        return self.change.claim.is_public

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
    changes = ClaimChange.objects.filter(on_public_record_through("claim"), kind__in=CORRECTIONS_LOG_KINDS)
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
        return LogEntry(change, _("Claim withdrawn"), change.note or change.claim.withdrawal_reason)
    if change.kind == ChangeKind.STATUS_REMOVED:
        if update:
            what = _("Status update of %(day)s removed") % {"day": describe_day(update.effective_on)}
        else:
            what = _("Status update removed")
        return LogEntry(change, what, change.note or (update.removal_reason if update else ""))
    if update is None:
        return LogEntry(change, _("Status corrected"), "")
    if update.removed_at is not None:
        # A correction since removed: its verdict and rationale left the record with it (its
        # removal has its own entry, with the reason), as on the claim's page.
        return LogEntry(change, _("Status corrected; the correction was later removed"), "")
    earlier = update.corrects
    if earlier is None:
        what = _("Status corrected")
    elif earlier.status_id == update.status_id:
        what = _("Status update of %(day)s corrected (status unchanged: %(status)s)") % {
            "day": describe_day(earlier.effective_on),
            "status": update.status.label,
        }
    else:
        what = _("Status corrected from %(earlier)s to %(later)s") % {
            "earlier": earlier.status.label,
            "later": update.status.label,
        }
    return LogEntry(change, what, update.rationale)


def person_by_slug(slug: str) -> Person | None:
    return Person.objects.filter(slug=slug).first()


# --- people ------------------------------------------------------------------------------------


def people_tracked() -> QuerySet[Person]:
    """People and organisations with at least one published claim, by name."""
    # The count is only shown on the people page, so the annotation lives here rather than on Person.
    published_claim_count = Count("claims", filter=published_through("claims"), distinct=True)
    return (
        Person.objects.annotate(published_claim_count=published_claim_count)
        .filter(published_claim_count__gt=0)
        .order_by("name")
    )


def topics_of_published_claims() -> QuerySet[Topic]:
    published_link = Claim.topics.through.objects.filter(published_through("claim"), topic=OuterRef("pk"))
    return Topic.objects.filter(Exists(published_link))


def people_who_must_act() -> QuerySet[Person]:
    """People and bodies that published claims wait on, by name."""
    return Person.objects.filter(published_through("claims_awaiting_their_decision")).distinct().order_by("name")


class PublishedClaimCount(TypedDict):
    published_claim_count: int


def person_for_page(slug: str) -> WithAnnotations[Person, PublishedClaimCount] | None:
    """The person, with the ``published_claim_count`` that ``people_tracked`` annotates."""
    person = people_tracked().filter(slug=slug).first()
    return cast("WithAnnotations[Person, PublishedClaimCount] | None", person)


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
        Claim.objects.published()
        .for_person(person)
        .select_related("claimant", "current_status", "parent")
        .order_by("-status_changed_on", "-made_on", "-id")
    )
    shown: Iterable[Claim] = claims if as_of is None else show_status_as_of(claims.with_status_as_of(as_of))
    groups: dict[int, StatusGroup] = {}
    for claim in shown:
        groups.setdefault(claim.current_status_id, StatusGroup(claim.current_status)).claims.append(claim)
    return sorted(groups.values(), key=lambda group: _scale_position(group.status))


def _scale_position(status: Status) -> tuple[int, int]:
    return (list(Scale.values).index(status.scale), status.order)


# --- home and methodology ----------------------------------------------------------------------


class ClaimCount(TypedDict):
    claim_count: int


@dataclass(frozen=True)
class ScaleCounts:
    scale: str
    label: str
    rows: list[WithAnnotations[Status, ClaimCount]]

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
        count = Claim.objects.published().filter(current_status=OuterRef("pk"))
        group_by = "current_status"
    else:
        # The plugin does not see the annotation ``with_status_as_of`` adds.
        count = Claim.objects.published().with_status_as_of(as_of).filter(status_as_of_id=OuterRef("pk"))  # type: ignore[misc]
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
    """``statuses`` annotated with ``claim_count``."""
    rows: dict[str, list[WithAnnotations[Status, ClaimCount]]] = {scale: [] for scale in Scale.values}
    for status in statuses:
        rows.setdefault(status.scale, []).append(cast("WithAnnotations[Status, ClaimCount]", status))
    return [ScaleCounts(scale, str(Scale(scale).label), rows[scale]) for scale in Scale.values]


def recently_updated_claims(limit: int = 6) -> ClaimQuerySet:
    return with_wording(Claim.objects.published().with_list_related()).order_by("-updated_at", "-id")[:limit]


# --- scorecards --------------------------------------------------------------------------------

# The scorecards page lists at most this many people and terms (the most pledges, the latest terms);
# every other one is reached from its person's page. A select of 5,000 people helps nobody.
SCORECARDS_LISTED = 60


class PledgeCount(TypedDict):
    pledge_count: int


def people_with_pledges(
    limit: int = SCORECARDS_LISTED, *, counts: dict[int, int] | None = None
) -> list[WithAnnotations[Person, PledgeCount]]:
    """The people with the most pledges a scorecard counts (then by name), each with ``pledge_count``.

    ``counts`` (claimant id → pledges) comes with the tracker's scorecard from the same pass over
    the pledges (``claims.scorecards.scorecard_and_claimants``); without it, one grouped count. Then
    one query for the people. A count per person as a subquery of every person took 1.4–1.8 s at
    100,000 claims on SQLite (BENCHMARKS.md, "Scorecards").
    """
    if counts is None:
        counts = dict(pledges().order_by().values_list("claimant_id").annotate(n=Count("id")))
    # Equal counts are ordered by name among twice the list's length, read by id.
    chosen = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: limit * 2]
    people = Person.objects.in_bulk([claimant for claimant, _n in chosen])
    ranked = []
    for claimant, n in chosen:
        person = people[claimant]
        person.pledge_count = n  # type: ignore[attr-defined]
        ranked.append(person)
    ranked.sort(key=lambda person: (-person.pledge_count, person.name, person.pk))  # type: ignore[attr-defined]
    return cast("list[WithAnnotations[Person, PledgeCount]]", ranked[:limit])


def terms_listed(limit: int = SCORECARDS_LISTED) -> list[Term]:
    """Terms of office of people with published claims, the latest first, with their holder: one query."""
    return list(
        Term.objects.of_tracked_people().select_related("person").order_by("-starts_on", "person__name")[:limit]
    )


def topics_listed() -> list[Topic]:
    """Every topic, by name, for the scorecard's topic choice: one query. Asking which topics have
    pledges was a pass over every pledge (0.4 s at 100,000 claims); a topic without any shows 0."""
    return list(Topic.objects.order_by("name"))


def topic_by_slug(slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug).first()


def scorecard_person(slug: str) -> Person | None:
    """Someone with a published claim (the people the public pages show), or None."""
    return Person.objects.tracked().filter(slug=slug).first()


def scorecard_term(pk: int) -> Term | None:
    """A term of office of someone with a published claim, with its holder, or None."""
    return Term.objects.of_tracked_people().select_related("person").filter(pk=pk).first()


def terms_of(person: Person) -> list[Term]:
    """The person's terms of office, the latest first: one query."""
    return list(Term.objects.filter(person=person).order_by("-starts_on", "pk"))
