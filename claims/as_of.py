"""Showing claims as they stood on a past date."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, cast

from claims.models import Claim, Status

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class StatusAsOf(TypedDict):
    """The annotations ``ClaimQuerySet.with_status_as_of`` adds."""

    status_as_of_id: int
    status_as_of_since: datetime.date | None


def show_status_as_of(claims: Iterable[Claim], *, statuses: dict[int, Status] | None = None) -> list[Claim]:
    """Make claims loaded through ``with_status_as_of`` present that status, for display only.

    Pages and serializers read ``current_status`` and ``status_changed_on``; on these in-memory
    instances they now hold the status as of the chosen date. One query, for the statuses, unless
    the caller passes them (a stream of claims shown a few at a time). Never save such an instance.
    """
    claims = list(claims)
    statuses = Status.objects.in_bulk() if statuses is None else statuses
    for claim in claims:
        as_of = cast("WithAnnotations[Claim, StatusAsOf]", claim)
        claim.current_status = statuses[as_of.status_as_of_id]
        claim.status_changed_on = as_of.status_as_of_since
    return claims
