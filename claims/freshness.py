"""When what the public sees of the tracker, a claim or a person last changed: the validators
(``Last-Modified`` and ``ETag``) of the public pages, the feeds and the embeddable cards.

A domain rule, not a page detail: which writes count is decided by what is published (a draft's
new evidence must not move a page's ETag; a withdrawal must), so every delivery app that serves
published claims asks here rather than keeping its own list. The HTTP side (304s, the rendered
page cache) is ``claimtracker.page_cache``.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import DateTimeField, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from claims.models import Claim, ClaimAppearance, Status, StatusUpdate
from claimtracker.page_cache import Freshness
from people.models import Person

# Bump when the public pages' or cards' markup changes in a way a cached copy should not survive.
PAGE_VERSION = "2"
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


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
        Claim.objects.published()
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
        Person.objects.tracked()
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
