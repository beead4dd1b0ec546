"""Showing claims as they stood on a past date."""

from __future__ import annotations

from collections.abc import Iterable

from claims.models import Claim, Status


def show_status_as_of(claims: Iterable[Claim], *, statuses: dict[int, Status] | None = None) -> list[Claim]:
    """Make claims loaded through ``with_status_as_of`` present that status, for display only.

    Pages and serializers read ``current_status`` and ``status_changed_on``; on these in-memory
    instances they now hold the status as of the chosen date. One query, for the statuses, unless
    the caller passes them (a stream of claims shown a few at a time). Never save such an instance.
    """
    claims = list(claims)
    statuses = Status.objects.in_bulk() if statuses is None else statuses
    for claim in claims:
        claim.current_status = statuses[claim.status_as_of_id]
        claim.status_changed_on = claim.status_as_of_since
    return claims
