"""When what the public sees of the tracker, a claim or a person last changed: the validators
(``Last-Modified`` and ``ETag``) of the public pages, the feeds and the embeddable cards.

A domain rule, not a page detail: which writes count is decided by what is published (a draft's
new evidence must not move a page's ETag; a withdrawal must), so every delivery app that serves
published claims asks here rather than keeping its own list. The HTTP side (304s, the rendered
page cache) is ``claimtracker.page_cache``.

Every request for a page first reads the **data version** (``data_version``): one query of index
look-ups, compiled once per process, that moves with every write anything public shows. A page's
validators are remembered in the cache under that version, so a page nobody wrote to since is
answered (200 from the page cache, or 304) without building its freshness query: profiling a
cached claim page showed that query's construction in the ORM taking 80 % of the request.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import zoneinfo
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import DateTimeField, F, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from claims.dates import newsroom_today
from claims.models import Claim, ClaimAppearance, ClaimChange, Source, Status, StatusUpdate, Topic
from claimtracker.page_cache import Freshness, fresh_answer_wanted
from people.models import Person, Term

# Bump when the public pages' or cards' markup changes in a way a cached copy should not survive.
PAGE_VERSION = "2"
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


# How long remembered validators are kept; they are keyed by the data version, so never stale.
FRESHNESS_SECONDS = 300
_ABSENT = "absent"  # remembered "no such public page"

F_ = TypeVar("F_", bound=Callable[..., Any])


def _newest(queryset: QuerySet[Any], field: str) -> Subquery:
    kind = IntegerField() if field in {"pk", "history_id"} else DateTimeField()
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1], output_field=kind)


def _data_version_query() -> QuerySet[Any]:
    """The newest write to claims, people, terms of office and sources, the last change-feed entry, and the newest
    topic and status edits (they have no timestamp): each an index look-up, in one row."""
    return (
        Status.objects.order_by()
        .annotate(
            claim=_newest(Claim.objects.all(), "updated_at"),
            person=_newest(Person.objects.all(), "updated_at"),
            # The history, not updated_at: deleting a term that was not the newest edit must move it too.
            term=_newest(Term.history.all(), "history_id"),
            source=_newest(Source.objects.all(), "updated_at"),
            change=_newest(ClaimChange.objects.all(), "pk"),
            topic=_newest(Topic.history.all(), "history_id"),
            status=_newest(Status.history.all(), "history_id"),
            statuses=_newest(Status.objects.all(), "pk"),
        )
        .values_list("claim", "person", "term", "source", "change", "topic", "status", "statuses")[:1]
    )


# The version query's SQL by database alias: it takes no parameters, so it is compiled once.
_version_sql: dict[str, tuple[str, tuple[Any, ...]]] = {}


def data_version() -> str:
    """A digest that moves with every write a public page, feed or API answer shows (one query).

    Writes through the services always touch one of its parts: a claim's or person's or source's
    ``updated_at``, the change feed (appearances, updates, removals), or a topic's or status's
    history. Read where other reads go (a replica, unless this request wrote).
    """
    alias = router.db_for_read(Claim)
    connection = connections[alias]
    key = f"{alias}:{connection.vendor}"
    if key not in _version_sql:
        _version_sql[key] = _data_version_query().query.get_compiler(using=alias).as_sql()
    sql, params = _version_sql[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:24]


def remembered(compute: F_) -> F_:
    """``compute``'s answer kept in the cache under the data version: built again after any write,
    and always for a request that asked for a fresh answer (``Cache-Control: no-cache``)."""

    @functools.wraps(compute)
    def answer(*args: object, **kwargs: object) -> Any:
        if fresh_answer_wanted.get():
            return compute(*args, **kwargs)
        asked = (data_version(), compute.__qualname__, args, sorted(kwargs.items()))
        key = hashlib.sha256(repr(asked).encode()).hexdigest()[:40]
        found = cache.get(f"freshness:{key}")
        if found is not None:
            return None if found == _ABSENT else found
        fresh = compute(*args, **kwargs)
        cache.set(f"freshness:{key}", _ABSENT if fresh is None else fresh, FRESHNESS_SECONDS)
        return fresh

    return answer  # type: ignore[return-value]


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


@remembered
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


@remembered
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


@remembered
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


@remembered
def _scorecard_record_freshness(*parts: object) -> Freshness:
    """The newest write to any claim (its timeline and status with it), person, term of office or topic."""
    newest_claim = Claim.objects.order_by("-updated_at").values("updated_at")[:1]
    newest_term = Term.objects.order_by("-updated_at").values("updated_at")[:1]
    newest_topic_edit = Topic.history.order_by("-history_id").values("history_date")[:1]
    newest = Person.objects.aggregate(
        newest=Greatest(
            Coalesce(Max("updated_at"), Value(EPOCH)),
            *(
                Coalesce(Subquery(latest, output_field=DateTimeField()), Value(EPOCH))
                for latest in (newest_claim, newest_term, newest_topic_edit)
            ),
        )
    )["newest"]
    return _freshness(newest, "scorecard", *parts)


def scorecard_freshness(*parts: object) -> Freshness:
    """For the scorecard and comparison pages: any claim, status update, person, term, topic or status
    edit, and the newsroom's day.

    The day counts because the figures move with it though nothing was written: "day N of the term",
    the last point of a weekly series (today) and whether a term has begun or ended. A page asked for
    ``as_of`` a past day would not need it, but the validators see only the URL's path, so every
    scorecard page revalidates once a day: a cheap 200 rather than a stale "day N".
    """
    today = newsroom_today()
    recorded = _scorecard_record_freshness(*parts)
    start_of_today = datetime.datetime.combine(
        today, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(settings.CLAIMTRACKER_NEWSROOM_TIME_ZONE)
    )
    digest = hashlib.sha256(repr((recorded.etag, today.isoformat())).encode()).hexdigest()
    return Freshness(last_modified=max(recorded.last_modified, start_of_today), etag=f'"{digest[:32]}"')
