"""Reading a claim's timeline once it is loaded: the in-memory twin of the services' SQL rule."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from claims.models import TIMELINE_ORDER


class TimelineEntry(Protocol):
    """What the rule reads of an update: a saved StatusUpdate, an unsaved one, or synthetic data's row."""

    id: Any
    effective_on: datetime.date
    recorded_at: datetime.datetime
    published_at: datetime.datetime | None
    removed_at: datetime.datetime | None
    corrects_id: Any


Entry = TypeVar("Entry", bound=TimelineEntry)


def in_effect_key(update: TimelineEntry) -> tuple[Any, ...]:
    """The update's place in effect order (``TIMELINE_ORDER``), oldest first."""
    return tuple(getattr(update, field) for field in TIMELINE_ORDER)


def latest_in_effect(timeline: Iterable[Entry]) -> Entry | None:
    """The update that sets the current status: latest in effect order among those that count.

    Those that count are published, not removed, and not replaced by a correction that counts:
    the same rule as ``claims.services._refresh_current_status`` (and ``with_status_as_of`` for a
    past day), for pages, API answers, imports and synthetic data that already hold the timeline.
    Updates not yet saved (no id) tie on id; the later one in ``timeline`` wins, as it gets the
    higher id when saved in that order.
    """
    in_record = [update for update in timeline if update.published_at is not None and update.removed_at is None]
    corrected = {update.corrects_id for update in in_record if update.corrects_id is not None}
    latest: Entry | None = None
    for update in in_record:
        if update.id in corrected and update.id is not None:
            continue
        if latest is None or in_effect_key(update) >= in_effect_key(latest):
            latest = update
    return latest


def _in_record_by(update: TimelineEntry, by: datetime.datetime) -> bool:
    published = update.published_at
    return published is not None and published < by and (update.removed_at is None or update.removed_at >= by)


def latest_in_effect_as_of(timeline: Iterable[Entry], *, day: datetime.date, by: datetime.datetime) -> Entry | None:
    """The update that set the status at the end of ``day``, as the record stood at ``by`` (its end).

    The in-memory twin of ``ClaimQuerySet.with_status_as_of``: among updates published before ``by``
    and not removed by then, not replaced by a correction that was in the record by then, and in
    effect by ``day``, the latest in effect order. Corrections, removals and backdated entries
    recorded later do not count, so a weekly series computed from it never changes afterwards.
    """
    in_record = [update for update in timeline if _in_record_by(update, by)]
    corrected = {update.corrects_id for update in in_record if update.corrects_id is not None}
    latest: Entry | None = None
    for update in in_record:
        if update.id in corrected or update.effective_on > day:
            continue
        if latest is None or in_effect_key(update) >= in_effect_key(latest):
            latest = update
    return latest
