"""The purge worker's two steps: turn new changes into purges, then send the due ones to every node.

Only ``manage.py purge_edge_cache`` calls these, outside any request: an editor's save only
appends to the change log, in its own transaction, and never waits on a cache. The pattern is the
webhook worker's and the reader email worker's: a cursor over the change log, moved in the
transaction that stores what it read; each purge leased (``SELECT … FOR UPDATE SKIP LOCKED``)
while it is sent; failed tries retried with backoff, and after ``EDGE_CACHE_PURGE_MAX_ATTEMPTS``
marked failed for admins to see and queue again.

A pass sends one ``PURGE /`` per node naming every due purge's tags in ``xkey-purge`` (more than
one when they would not fit in a header), which the repository's VCL hands to ``xkey.purge``.
"""

from __future__ import annotations

import datetime
import http.client
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from claims.models import ClaimChange, Status, Topic
from claimtracker.cache_tags import LISTS, SITE
from claimtracker.routers import replica_aliases
from edgecache.models import Purge, PurgeCursor, PurgeState
from edgecache.tags import tags_for_changes
from people.models import Term

logger = logging.getLogger(__name__)

CURSOR_NAME = "claim_changes"
FAN_OUT_BATCH = 500
SEND_BATCH = 500
PURGE_HEADER = "xkey-purge"
USER_AGENT = "Claimtracker-Purge/1"
# Varnish refuses a request header longer than 8 KB (http_req_hdr_len): each PURGE names at most
# this many characters of tags, and a pass with more sends several.
MAX_TAGS_PER_REQUEST = 4000
# Retry n waits BACKOFF × 2^(n−1) seconds, at most BACKOFF_MAX, plus up to 20% jitter: a node
# back after a restart is purged within seconds, one down for long is not hammered.
BACKOFF_SECONDS = 2
BACKOFF_MAX_SECONDS = 600
# How long a pass waits for read replicas to replay the writes it purges (see _replicas_caught_up).
REPLICA_WAIT_SECONDS = 5
# Done purges are deleted after this long (the worker checks hourly); failed ones stay for admins.
DONE_KEPT = datetime.timedelta(days=7)
# What admins see of a failed try: a status code, or one of these.
ERROR_CONNECT = "could not connect"
ERROR_TIMEOUT = "timed out"
ERROR_REPLICA = "read replicas have not replayed the write yet"


# --- Fan-out: the change log (and three histories) → purges -------------------------------------


def _newest_history_id(model: type) -> int:
    history = model.history.model  # type: ignore[attr-defined]  # simple_history's manager
    return history.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def _has_news(cursor: PurgeCursor) -> bool:
    return (
        ClaimChange.objects.after(cursor.last_change_id).exists()
        or _newest_history_id(Status) > cursor.last_status_history_id
        or _newest_history_id(Topic) > cursor.last_topic_history_id
        or _newest_history_id(Term) > cursor.last_term_history_id
    )


def fan_out(*, batch: int = FAN_OUT_BATCH) -> int:
    """Read up to ``batch`` changes after the cursor and store a purge of each one's tags; also one
    purge of ``site`` when a status or topic changed, and of a term's pages when a term did.
    Returns how many changes were read.

    The purges and the moved cursor commit together: a worker stopped half-way, or a second
    worker, never loses a change or purges it twice.
    """
    cursor, _ = PurgeCursor.objects.get_or_create(name=CURSOR_NAME)
    # Read without a transaction or a lock first: an idle worker polling every second takes neither.
    if not _has_news(cursor):
        return 0
    return _fan_out_locked(batch)


@transaction.atomic
def _fan_out_locked(batch: int) -> int:
    cursor = PurgeCursor.objects.select_for_update().get(name=CURSOR_NAME)
    changes = list(
        ClaimChange.objects.after(cursor.last_change_id).only("id", "claim_id", "kind", "visibility")[:batch]
    )
    tags = tags_for_changes(changes)
    purges = [Purge(change=change, tags=" ".join(sorted(tags[change.pk]))) for change in changes if change.pk in tags]
    # A status's or topic's wording shows on every page that lists or rates claims: purge the site.
    # (A change to one that claims show also logs an edit of each of them, purged above.) History
    # ids are handed out at insert, not at commit as the change log's are: two admins' edits
    # committing in the opposite order within a moment could let one go unseen here, but not the
    # claim edits it logged. Statuses, topics and terms are edited rarely enough for that.
    site = False
    for model, column in ((Status, "last_status_history_id"), (Topic, "last_topic_history_id")):
        newest = _newest_history_id(model)
        if newest > getattr(cursor, column):
            setattr(cursor, column, newest)
            site = True
    if site:
        purges.append(Purge(tags=SITE))
    term_history = Term.history.model
    terms = list(
        term_history.objects.filter(history_id__gt=cursor.last_term_history_id)
        .order_by("history_id")
        .values_list("history_id", "id")
    )
    if terms:
        purges.append(Purge(tags=" ".join([LISTS, *sorted({f"term:{term}" for _, term in terms})])))
        cursor.last_term_history_id = terms[-1][0]
    Purge.objects.bulk_create(purges)
    if changes:
        cursor.last_change_id = changes[-1].pk
    cursor.save()
    return len(changes)


# --- Sending: due purges → PURGE requests to every node ------------------------------------------


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before try ``attempts + 1``: base × 2^(attempts − 1), capped, plus up to 20% jitter."""
    delay = min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    return datetime.timedelta(seconds=delay, milliseconds=secrets.randbelow(int(delay * 200) + 1))


def lease_seconds() -> int:
    """Longer than a pass's tries can take: a worker that dies mid-send leaves its purges to another."""
    nodes = max(len(settings.EDGE_CACHE_PURGE_URLS), 1)
    return settings.EDGE_CACHE_PURGE_TIMEOUT_SECONDS * nodes * 4 + REPLICA_WAIT_SECONDS + 30


def _chunks(tags: list[str]) -> Iterator[str]:
    """The tags as header values of at most MAX_TAGS_PER_REQUEST characters."""
    chunk: list[str] = []
    length = 0
    for tag in tags:
        if chunk and length + 1 + len(tag) > MAX_TAGS_PER_REQUEST:
            yield " ".join(chunk)
            chunk, length = [], 0
        chunk.append(tag)
        length += len(tag) + 1
    if chunk:
        yield " ".join(chunk)


def node_name(url: str) -> str:
    """How a node is named in errors: its address, without any credentials or path."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def send_purge(url: str, tags: str, *, timeout: float) -> str:
    """``PURGE`` the tags at one node; "" when it answered 2xx, else what went wrong."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    node = connection_class(parts.hostname or "", parts.port, timeout=timeout)
    try:
        node.request(
            "PURGE", parts.path or "/", headers={PURGE_HEADER: tags, "User-Agent": USER_AGENT, "Content-Length": "0"}
        )
        answer = node.getresponse()
        answer.read()
    except TimeoutError:
        return ERROR_TIMEOUT
    except (OSError, http.client.HTTPException):
        return ERROR_CONNECT
    finally:
        node.close()
    return "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"


def _replicas_caught_up(timeout: float = REPLICA_WAIT_SECONDS) -> bool:
    """Whether every PostgreSQL read replica has replayed everything written so far.

    Anonymous page views read from a replica: a purge sent before the replica has the write would
    let the next request fill the cache with the old verdict again, for hours. So a pass waits
    until each replica's replay position reaches the primary's present one (the purged writes
    committed before it), for at most ``timeout`` seconds.
    """
    replicas = [alias for alias in replica_aliases() if connections[alias].vendor == "postgresql"]
    if not replicas or connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        written = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        behind = []
        for alias in replicas:
            with connections[alias].cursor() as cursor:
                # NULL on a server that is not a standby (a test mirror of the primary).
                cursor.execute(
                    "SELECT pg_last_wal_replay_lsn() IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]
                )
                if not cursor.fetchone()[0]:
                    behind.append(alias)
        if not behind:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _claim_due(limit: int) -> list[Purge]:
    """Take the due purges for this worker: skip rows another worker is taking, lease them, commit."""
    now = timezone.now()
    # Looked for without a lock first: an idle worker polling every second takes none.
    if not Purge.objects.due(now).exists():
        return []
    with transaction.atomic():
        purges = list(Purge.objects.due(now).select_for_update(skip_locked=True)[:limit])
        if purges:
            Purge.objects.filter(pk__in=[purge.pk for purge in purges]).update(
                next_attempt_at=now + datetime.timedelta(seconds=lease_seconds())
            )
    return purges


def _send_everywhere(tags: list[str]) -> list[str]:
    """Purge the tags at every node; the errors, one per node that did not take them all."""
    errors = []
    if not _replicas_caught_up():
        return [ERROR_REPLICA]
    for url in settings.EDGE_CACHE_PURGE_URLS:
        for chunk in _chunks(tags):
            error = send_purge(url, chunk, timeout=settings.EDGE_CACHE_PURGE_TIMEOUT_SECONDS)
            if error:
                errors.append(f"{node_name(url)}: {error}")
                break
    return errors


def send_due(*, limit: int = SEND_BATCH, stop: threading.Event | None = None) -> int:
    """Send the due purges (up to ``limit``) to every node in one go. Returns how many were done.

    With no ``EDGE_CACHE_PURGE_URLS`` there is no cache to purge: they are marked done unsent. A
    purge is done when every node took it; otherwise every purge of the pass is tried again later
    (purging twice is harmless), and marked failed after EDGE_CACHE_PURGE_MAX_ATTEMPTS tries.
    """
    if stop is not None and stop.is_set():
        return 0
    purges = _claim_due(limit)
    if not purges:
        return 0
    tags = sorted({tag for purge in purges for tag in purge.tags.split()})
    errors = _send_everywhere(tags) if settings.EDGE_CACHE_PURGE_URLS else []
    finished = timezone.now()
    if not errors:
        Purge.objects.filter(pk__in=[purge.pk for purge in purges]).update(
            state=PurgeState.DONE, done_at=finished, last_error="", attempts=F("attempts") + 1
        )
        return len(purges)
    error = "; ".join(errors)[:500]
    for purge in purges:
        attempts = purge.attempts + 1
        failed = attempts >= settings.EDGE_CACHE_PURGE_MAX_ATTEMPTS
        Purge.objects.filter(pk=purge.pk, state=PurgeState.PENDING).update(
            state=PurgeState.FAILED if failed else PurgeState.PENDING,
            attempts=attempts,
            last_error=error,
            next_attempt_at=finished if failed else finished + backoff(attempts),
        )
    logger.warning("Cache purge of %d tags (%d purges) failed: %s", len(tags), len(purges), error)
    return 0


def retry(purge: Purge) -> bool:
    """Queue a failed purge again, from the admin. False when it was not failed."""
    return bool(
        Purge.objects.filter(pk=purge.pk, state=PurgeState.FAILED).update(
            state=PurgeState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
    )


def prune(now: datetime.datetime | None = None) -> int:
    """Delete purges done longer ago than DONE_KEPT. Returns how many went."""
    cutoff = (now or timezone.now()) - DONE_KEPT
    deleted, _ = Purge.objects.filter(state=PurgeState.DONE, done_at__lt=cutoff).delete()
    return deleted
