"""Reading a claim's timeline once it is loaded."""

from __future__ import annotations

from collections.abc import Iterable

from claims.models import StatusUpdate


def latest_in_effect(timeline: Iterable[StatusUpdate]) -> StatusUpdate | None:
    """The update that sets the current status: latest in effect order among those not corrected.

    ``timeline`` is a claim's published updates; removed ones, and corrections that were removed,
    do not count. The same rule as
    ``claims.services._refresh_current_status``, for pages and API answers that already hold the
    timeline and would otherwise query again.
    """
    timeline = [update for update in timeline if update.removed_at is None]
    corrected = {update.corrects_id for update in timeline if update.corrects_id}
    standing = [update for update in timeline if update.pk not in corrected]
    if not standing:
        return None
    return max(standing, key=lambda update: (update.effective_on, update.recorded_at, update.pk))
