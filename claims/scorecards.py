"""Scorecards: how the pledges of a person, a term of office, a topic or the whole tracker stand, as
of any day, and how that changed week by week.

Every figure comes from the append-only timeline, by the rule ``with_status_as_of`` states (and
``claims.timeline.latest_in_effect_as_of`` repeats in memory): what was recorded after a day never
changes that day's figures, so "kept at day 100" gives the same answer whenever it is asked.

What counts: published claims on the promise scale. A plan with published components is counted
through its components, not as one more pledge. "Share kept" and the other shares are of the
pledges that have a final status (a verdict); pledges still being tracked are counted, not shared.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from claims.dates import newsroom_today
from claims.models import Claim, ClaimKind, ClaimQuerySet, Scale, Status, StatusUpdate, Topic
from claims.timeline import latest_in_effect_as_of
from people.models import Person, Term

# A series longer than this many weeks starts later: ten years of weekly points is a chart's limit.
MAX_SERIES_POINTS = 520
SHARE_PLACES = Decimal("0.0001")


def pledges(*, person: Person | None = None, term: Term | None = None, topic: Topic | None = None) -> ClaimQuerySet:
    """The published pledges a scorecard counts (all of them, or a person's, a term's, a topic's)."""
    components = Claim.objects.published().filter(parent=OuterRef("pk"))
    # A pledge never has components (only plans do): the database looks for components of plans only.
    claims = Claim.objects.published().filter(Q(scale=Scale.PROMISE) & (Q(kind=ClaimKind.PLEDGE) | ~Exists(components)))
    if person is not None:
        claims = claims.filter(claimant=person)
    if term is not None:
        claims = claims.filter(term=term)
    if topic is not None:
        claims = claims.filter(topics=topic)
    return claims


def promise_statuses() -> list[Status]:
    return list(Status.objects.on_scale(Scale.PROMISE).order_by("order"))


@dataclass(frozen=True)
class StatusFigure:
    status: Status
    count: int
    # Of the pledges with a final status; None for the statuses that are not verdicts, and while
    # no pledge has a verdict.
    share_of_final: Decimal | None

    @property
    def percent(self) -> int | None:
        """The share as a whole percentage, for display (the API gives the exact share)."""
        if self.share_of_final is None:
            return None
        return int((self.share_of_final * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Scorecard:
    day: datetime.date
    as_of: datetime.date | None
    figures: list[StatusFigure]
    total: int
    final_total: int
    term: Term | None = None

    @property
    def term_day(self) -> int | None:
        """ "Day N" of the term on the scorecard's day, or None outside it (or with no term)."""
        return self.term.day_number(self.day) if self.term is not None else None

    @property
    def verdicts(self) -> list[StatusFigure]:
        return [figure for figure in self.figures if figure.status.is_final]

    @property
    def still_tracked(self) -> int:
        return self.total - self.final_total


def _share(count: int, of: int) -> Decimal | None:
    """``count`` out of ``of`` to four places; None while there is nothing to share (no verdict yet)."""
    return (Decimal(count) / Decimal(of)).quantize(SHARE_PLACES) if of else None


def scorecard(
    claims: ClaimQuerySet,
    *,
    as_of: datetime.date | None = None,
    term: Term | None = None,
    statuses: list[Status] | None = None,
) -> Scorecard:
    """Counts per status and shares of the verdicts, now or as the record stood at the end of ``as_of``.

    Two queries: the statuses (unless given) and one grouped count.
    """
    card, _claimants = _scorecard(claims, as_of=as_of, term=term, statuses=statuses, by_claimant=False)
    return card


def scorecard_and_claimants(
    claims: ClaimQuerySet, *, as_of: datetime.date | None = None, statuses: list[Status] | None = None
) -> tuple[Scorecard, dict[int, int]]:
    """The scorecard and how many of its pledges each claimant has, from the same one grouped count
    (the tracker's page ranks the people with the most pledges without a second pass over them)."""
    return _scorecard(claims, as_of=as_of, term=None, statuses=statuses, by_claimant=True)


def _scorecard(
    claims: ClaimQuerySet,
    *,
    as_of: datetime.date | None,
    term: Term | None,
    statuses: list[Status] | None,
    by_claimant: bool,
) -> tuple[Scorecard, dict[int, int]]:
    statuses = promise_statuses() if statuses is None else statuses
    status_field = "current_status_id" if as_of is None else "status_as_of_id"
    counted: Any = claims if as_of is None else claims.with_status_as_of(as_of)
    fields = ("claimant_id", status_field) if by_claimant else (status_field,)
    counts: dict[int, int] = defaultdict(int)
    claimants: dict[int, int] = defaultdict(int)
    for *keys, n in counted.order_by().values_list(*fields).annotate(n=Count("id")):
        counts[keys[-1]] += n
        if by_claimant:
            claimants[keys[0]] += n
    final_total = sum(counts.get(status.pk, 0) for status in statuses if status.is_final)
    figures = [
        StatusFigure(
            status=status,
            count=counts.get(status.pk, 0),
            share_of_final=_share(counts.get(status.pk, 0), final_total) if status.is_final else None,
        )
        for status in statuses
    ]
    card = Scorecard(
        day=as_of or newsroom_today(),
        as_of=as_of,
        figures=figures,
        total=sum(counts.values()),
        final_total=final_total,
        term=term,
    )
    return card, dict(claimants)


@dataclass(frozen=True)
class SeriesPoint:
    day: datetime.date
    # Status id → how many pledges stood at it at the end of ``day``.
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: Status) -> int:
        return self.counts.get(status.pk, 0)


@dataclass(frozen=True)
class Series:
    statuses: list[Status]
    points: list[SeriesPoint] = field(default_factory=list)

    @property
    def largest_total(self) -> int:
        return max((point.total for point in self.points), default=0)


def series_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Weekly from ``start`` (the same weekday), ending with ``end`` itself; at most MAX_SERIES_POINTS."""
    if end < start:
        return []
    weeks = (end - start).days // 7
    first_week = max(0, weeks + 1 - (MAX_SERIES_POINTS - 1))
    days = [start + datetime.timedelta(weeks=week) for week in range(first_week, weeks + 1)]
    if days[-1] != end:
        days.append(end)
    return days


@dataclass
class _Tracked:
    made_on: datetime.date
    published_at: datetime.datetime
    default_status_id: int
    timeline: list[Any] = field(default_factory=list)


class _Update:
    """The columns the as-of rule reads, without a model instance per row."""

    __slots__ = ("corrects_id", "effective_on", "id", "published_at", "recorded_at", "removed_at", "status_id")

    def __init__(self, row: Sequence[Any]) -> None:
        for name, value in zip(self.__slots__, row, strict=False):
            setattr(self, name, value)


def weekly_series(
    claims: ClaimQuerySet,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    statuses: list[Status] | None = None,
) -> Series:
    """How many of ``claims`` stood at each status at the end of each week, from ``start`` (default:
    the first day one of them was on the record: made and published) to ``end`` (default: today).

    Three queries (statuses, claims, their published updates) whatever the number of weeks; each
    point is what ``scorecard(claims, as_of=day)`` gives for that day.

    A claim's status as of a day changes only on a day one of its updates takes effect, is published
    or is removed: it is worked out on those days alone, and each stretch between them is added to
    the weeks it covers at once (a running sum), so the work grows with the updates, not with
    claims × weeks (the scorecard page of a synthetic person with 3,842 pledges over ten years took 6.5 s).
    """
    statuses = promise_statuses() if statuses is None else statuses
    default = next(status.pk for status in statuses if status.is_default)
    tracked = {
        # Published claims only, so published_at is set.
        pk: _Tracked(made_on=made_on, published_at=cast(datetime.datetime, published_at), default_status_id=default)
        for pk, made_on, published_at in claims.order_by().values_list("id", "made_on", "published_at")
    }
    end = end or newsroom_today()
    if start is None:
        # From the first day a pledge was on the record (made, and published): no empty years before.
        zone = timezone.get_current_timezone()
        start = min((_on_record(claim, zone) for claim in tracked.values()), default=end)
    days = series_days(start, end)
    if not tracked:
        return Series(statuses=statuses, points=[SeriesPoint(day=day, counts={}) for day in days])
    # The plain manager: no translated column is read, and the multilingual queryset's per-row work
    # was a third of a large series' time. The same rows as ``StatusUpdate.objects.published()``.
    rows = StatusUpdate._base_manager.filter(
        published_at__isnull=False, claim__in=claims.order_by().values("pk")
    ).values_list(*_Update.__slots__, "claim_id")
    for row in rows:
        tracked[row[-1]].timeline.append(_Update(row))
    # changes[status][i]: how many claims reach that status on the i-th day of the series (less those leaving it).
    changes: dict[int, list[int]] = defaultdict(lambda: [0] * (len(days) + 1))
    zone = timezone.get_current_timezone()
    for claim in tracked.values() if days else ():
        for since, until, status_id in _stretches(claim, last=end, zone=zone):
            first, after = bisect_left(days, since), bisect_left(days, until) if until else len(days)
            if first < after:
                changes[status_id][first] += 1
                changes[status_id][after] -= 1
    running = dict.fromkeys(changes, 0)
    points = []
    for index, day in enumerate(days):
        for status_id, steps in changes.items():
            running[status_id] += steps[index]
        points.append(SeriesPoint(day=day, counts={status_id: n for status_id, n in running.items() if n}))
    return Series(statuses=statuses, points=points)


def _local_day(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.date:
    # As of a day means before the end of that day: by then exactly when published on that day or earlier.
    return moment.astimezone(zone).date()


def _end_of(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """``claims.dates.end_of_day`` with the time zone looked up once for the whole series."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)


def _on_record(claim: _Tracked, zone: datetime.tzinfo) -> datetime.date:
    """The first day the claim counts as of: made by then, and published by its end."""
    return max(claim.made_on, _local_day(claim.published_at, zone))


def _stretches(
    claim: _Tracked, *, last: datetime.date, zone: datetime.tzinfo
) -> list[tuple[datetime.date, datetime.date | None, int]]:
    """(first day, day after the last or None, status id): the claim's status as of each day from
    the day it was on the record to ``last``, in stretches of one status."""
    on_record = _on_record(claim, zone)
    turns = {on_record}
    for update in claim.timeline:
        turns.update(
            _local_day(moment, zone) for moment in (update.published_at, update.removed_at) if moment is not None
        )
        turns.add(update.effective_on)
    stretches: list[tuple[datetime.date, datetime.date | None, int]] = []
    for day in sorted(turn for turn in turns if on_record <= turn <= last):
        latest = latest_in_effect_as_of(claim.timeline, day=day, by=_end_of(day, zone))
        status_id = latest.status_id if latest is not None else claim.default_status_id
        if stretches and stretches[-1][2] == status_id:
            continue
        if stretches:
            stretches[-1] = (stretches[-1][0], day, stretches[-1][2])
        stretches.append((day, None, status_id))
    return stretches


def term_series(term: Term, *, as_of: datetime.date | None = None, statuses: list[Status] | None = None) -> Series:
    """The term's pledges week by week from its first day to its last (or ``as_of``, or today)."""
    end = as_of or newsroom_today()
    if term.ends_on is not None:
        end = min(end, term.ends_on)
    return weekly_series(pledges(term=term), start=term.starts_on, end=end, statuses=statuses)


def person_series(
    person: Person, *, as_of: datetime.date | None = None, statuses: list[Status] | None = None
) -> Series:
    """A person's pledges week by week from the first day one was on the record to ``as_of`` (or today)."""
    return weekly_series(pledges(person=person), end=as_of or newsroom_today(), statuses=statuses)
