"""The worker's two steps: fan new claim changes out into deliveries, then send what is due.

Only ``manage.py deliver_webhooks`` calls these, outside any request: an editor's save only
appends to the change log, in its own transaction, and never waits on a partner.
"""

from __future__ import annotations

import datetime
import functools
import http.client
import json
import logging
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from api.representations import ClaimRepresenter
from api.selectors import claim_rows
from claims.models import ChangeKind, Claim, ClaimChange, StatusUpdate, Visibility
from webhooks import addresses
from webhooks.models import Cursor, Delivery, DeliveryState, Event, WebhookEndpoint
from webhooks.services import endpoint_drop_expired_secrets
from webhooks.signing import ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_header

logger = logging.getLogger(__name__)

CURSOR_NAME = "claim_changes"
FAN_OUT_BATCH = 500
SEND_BATCH = 100
USER_AGENT = "Claimtracker-Webhooks/1"
# What admins see of a failed try: a status code, or one of these, never the socket's own
# words (refused, reset, unreachable…), which would make the worker a port scanner.
ERROR_BLOCKED = "address not allowed"
ERROR_CONNECT = "could not connect"
ERROR_TIMEOUT = "timed out"
ERROR_TLS = "TLS handshake failed"
ERROR_RESOLVE = "could not resolve host name"


def event_for(change: ClaimChange, *, was_public: bool = False) -> str | None:
    """The public event a change stands for, or None (drafts, edits, returns to draft)."""
    if change.kind == ChangeKind.WITHDRAWN:
        return Event.CLAIM_WITHDRAWN if was_public else None
    if change.visibility != Visibility.PUBLISHED:
        return None
    if change.kind == ChangeKind.STATUS_RECORDED:
        return Event.STATUS_RECORDED
    if change.kind == ChangeKind.CORRECTION_RECORDED:
        return Event.CORRECTION_RECORDED
    if change.kind == ChangeKind.STATUS_REMOVED:
        return Event.STATUS_REMOVED
    if change.kind in (ChangeKind.PUBLISHED, ChangeKind.CREATED):
        # A claim created as published is a publication too.
        return Event.CLAIM_PUBLISHED
    return None


class _SiteAddresses:
    """Absolute addresses on the public site, as a request would build them: the worker has none."""

    @staticmethod
    def build_absolute_uri(path: str) -> str:
        return urljoin(settings.CLAIMTRACKER_SITE_URL, path)


def claim_representations(claim_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The API's representation of each claim, by id: the claim a payload carries (7 queries in all)."""
    if not claim_ids:
        return {}
    rows = list(claim_rows(Claim.objects.filter(pk__in=claim_ids)))
    representer = ClaimRepresenter(request=_SiteAddresses(), include_unpublished=False)
    return {row["id"]: claim for row, claim in zip(rows, representer.claims_from_rows(rows), strict=True)}


def build_payload(change: ClaimChange, event: str, representation: dict[str, Any] | None) -> dict[str, Any]:
    """The envelope of an event; the claim inside is the API's representation (``representation``).

    A withdrawn claim is sent as a tombstone that says why, as its page and the change feed do.
    """
    if event == Event.CLAIM_WITHDRAWN:
        claim = change.claim
        claim_json: dict[str, Any] = {
            "id": claim.pk,
            "slug": claim.slug,
            "url": urljoin(settings.CLAIMTRACKER_SITE_URL, claim.get_absolute_url()),
            "withdrawn": True,
            "reason": change.note or None,
        }
    else:
        claim_json = representation or {}
    update = None
    if event in STATUS_EVENTS and change.status_update_id is not None:
        # The update as the claim's timeline shows it, and when it was published.
        entry = next(
            (entry for entry in claim_json.get("timeline", ()) if entry["id"] == change.status_update_id), None
        )
        if entry is not None:
            # status_update_id is set, so the update is there.
            published_at = cast(StatusUpdate, change.status_update).published_at
            update = {**entry, "published_at": published_at.isoformat() if published_at else None}
    return {
        "event": event,
        "change_id": change.pk,
        "occurred_at": change.recorded_at.isoformat(),
        "claim": claim_json,
        "status_update": update,
    }


STATUS_EVENTS = (Event.STATUS_RECORDED, Event.CORRECTION_RECORDED, Event.STATUS_REMOVED)


@dataclass(frozen=True)
class _Subscriber:
    endpoint: WebhookEndpoint
    people: frozenset[int]
    topics: frozenset[int]

    def matches(self, event: str, change: ClaimChange) -> bool:
        claim = change.claim
        if not self.endpoint.wants(event) or change.recorded_at < self.endpoint.send_changes_from:
            return False
        if self.people and claim.claimant_id not in self.people:
            return False
        return not self.topics or not self.topics.isdisjoint(topic.pk for topic in claim.topics.all())


def _subscribers(endpoints: Any = None) -> list[_Subscriber]:
    # The filters of every endpoint, read once per batch.
    if endpoints is None:
        endpoints = WebhookEndpoint.objects.receiving()
    endpoints = endpoints.prefetch_related("people", "topics")
    return [
        _Subscriber(
            endpoint=endpoint,
            people=frozenset(person.pk for person in endpoint.people.all()),
            topics=frozenset(topic.pk for topic in endpoint.topics.all()),
        )
        for endpoint in endpoints
    ]


def _changes_after(cursor: int) -> Any:
    return (
        ClaimChange.objects.after(cursor)
        # Events read the claim's visibility and the update's publication (the payload's claim is
        # read as rows, a batch at a time); filters read the claimant and the topics.
        .select_related("claim", "status_update")
        .prefetch_related(Prefetch("claim__topics"))
    )


def _deliveries_for(changes: list[ClaimChange], subscribers: list[_Subscriber]) -> list[Delivery]:
    wanted: list[tuple[ClaimChange, str, list[WebhookEndpoint]]] = []
    for change in changes:
        was_public = (
            change.kind == ChangeKind.WITHDRAWN
            and ClaimChange.objects.filter(
                claim_id=change.claim_id, pk__lt=change.pk, visibility=Visibility.PUBLISHED
            ).exists()
        )
        event = event_for(change, was_public=was_public)
        # Nothing about a claim that is not public now, except the news that it was withdrawn.
        if event is None or (event != Event.CLAIM_WITHDRAWN and change.claim.visibility != Visibility.PUBLISHED):
            continue
        matching = [subscriber.endpoint for subscriber in subscribers if subscriber.matches(event, change)]
        if matching:
            wanted.append((change, event, matching))
    representations = claim_representations(
        {change.claim_id for change, event, _ in wanted if event != Event.CLAIM_WITHDRAWN}
    )
    deliveries: list[Delivery] = []
    for change, event, matching in wanted:
        payload = build_payload(change, event, representations.get(change.claim_id))
        deliveries += [
            Delivery(endpoint=endpoint, change=change, event=event, payload=payload, next_attempt_at=timezone.now())
            for endpoint in matching
        ]
    return deliveries


def _has_changes_after_cursor() -> bool:
    """Whether a pass has anything to fan out: read without the cursor's lock, so an idle worker
    polling every few seconds takes no lock and writes nothing."""
    cursor, _ = Cursor.objects.get_or_create(name=CURSOR_NAME)
    return ClaimChange.objects.after(cursor.last_change_id).exists()


@transaction.atomic
def fan_out(*, batch: int = FAN_OUT_BATCH) -> int:
    """Read up to ``batch`` changes after the cursor; store one delivery per matching endpoint.

    The deliveries and the moved cursor commit together, so each change fans out exactly once
    even if the worker stops half-way or two workers run. Returns how many changes were read.
    An endpoint gets only changes recorded from its ``send_changes_from`` (its creation, or
    the backfill date): a new endpoint does not receive the whole history.
    """
    if not _has_changes_after_cursor():
        return 0
    cursor = Cursor.objects.select_for_update().get(name=CURSOR_NAME)
    changes = list(_changes_after(cursor.last_change_id)[:batch])
    if not changes:
        return 0
    Delivery.objects.bulk_create(_deliveries_for(changes, _subscribers()))
    cursor.last_change_id = changes[-1].pk
    cursor.save(update_fields=["last_change_id", "updated_at"])
    return len(changes)


@transaction.atomic
def backfill(*, batch: int = FAN_OUT_BATCH) -> int:
    """Queue past changes for endpoints whose admin asked for a backfill, a batch per endpoint.

    Only changes the live cursor has already passed (the later ones reach the endpoint through
    ``fan_out``); the cursor row's lock keeps the two apart. Returns how many changes were read.
    """
    pending = list(WebhookEndpoint.objects.receiving().filter(backfill_after_change_id__isnull=False))
    if not pending:
        return 0
    Cursor.objects.get_or_create(name=CURSOR_NAME)
    live = Cursor.objects.select_for_update().get(name=CURSOR_NAME).last_change_id
    read = 0
    for endpoint in pending:
        changes = list(
            # The query above keeps only endpoints with a backfill position.
            _changes_after(cast(int, endpoint.backfill_after_change_id)).filter(
                pk__lte=live, recorded_at__gte=endpoint.send_changes_from
            )[:batch]
        )
        subscribers = _subscribers(WebhookEndpoint.objects.filter(pk=endpoint.pk))
        Delivery.objects.bulk_create(_deliveries_for(changes, subscribers), ignore_conflicts=True)
        read += len(changes)
        done = len(changes) < batch
        # Only if no admin restarted the backfill meanwhile; the next pass picks a restart up.
        WebhookEndpoint.objects.filter(
            pk=endpoint.pk, backfill_after_change_id=endpoint.backfill_after_change_id
        ).update(backfill_after_change_id=None if done else changes[-1].pk)
    return read


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before try ``attempts + 1``: base × 2^(attempts − 1), capped, plus up to 20% jitter."""
    delay = min(
        settings.WEBHOOKS_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0),
        settings.WEBHOOKS_BACKOFF_MAX_SECONDS,
    )
    # Jitter spreads the retries of many deliveries that failed together (a partner's outage).
    jitter_ms = secrets.randbelow(int(delay * 200) + 1)
    return datetime.timedelta(seconds=delay, milliseconds=jitter_ms)


class _GuardedHTTPConnection(http.client.HTTPConnection):
    """Connects only to a checked public address (webhooks/addresses.py), whatever DNS says later."""

    def connect(self) -> None:
        self.sock = addresses.connect(self.host, self.port, self.timeout)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    """The same, then TLS with the endpoint's name for SNI and the certificate check."""

    def connect(self) -> None:
        sock = addresses.connect(self.host, self.port, self.timeout)
        try:
            # The TLS context HTTPSConnection.__init__ built; typeshed leaves the private name out.
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]
        except BaseException:
            sock.close()
            raise


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the system's CA bundle costs milliseconds; one context serves every connection.
    return ssl.create_default_context()


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    # The port always explicit: http.client would read the end of a bare IPv6 address as one.
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        return _GuardedHTTPSConnection(host, port, timeout=timeout, context=_tls_context()), target
    if parts.scheme == "http" and addresses.is_plain_http_allowed(parts):
        return _GuardedHTTPConnection(host, port, timeout=timeout), target
    raise addresses.BlockedAddressError(host)


def post(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """POST and return (status code or None, error text or ""). Redirects are not followed:
    a partner's 3xx is a failed try, and the signed body goes only to the registered address."""
    try:
        connection, target = _connection(url, timeout)
    except (addresses.BlockedAddressError, ValueError):
        return None, ERROR_BLOCKED
    try:
        connection.request("POST", target, body=body, headers=headers)
        status = connection.getresponse().status
    except addresses.BlockedAddressError:
        return None, ERROR_BLOCKED
    except TimeoutError:
        return None, ERROR_TIMEOUT
    except (ssl.SSLError, ssl.CertificateError):
        return None, ERROR_TLS
    except socket.gaierror:
        return None, ERROR_RESOLVE
    except (OSError, http.client.HTTPException, ValueError):
        return None, ERROR_CONNECT
    finally:
        connection.close()
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def attempt(delivery_id: int) -> Delivery | None:
    """Try one delivery now, unless another worker holds it; record the outcome."""
    now = timezone.now()
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    # Lease the row for longer than a try can take: a second worker skips it, and a worker that
    # dies mid-try leaves it to be retried when the lease runs out.
    lease = now + datetime.timedelta(seconds=timeout * 2 + 30)
    taken = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=lease
    )
    if not taken:
        return None
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Claimtracker-Event": delivery.event,
        "X-Claimtracker-Delivery": str(delivery.pk),
        ID_HEADER: delivery.webhook_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature_header(
            secrets_in_use=delivery.endpoint.signing_secrets(),
            webhook_id=delivery.webhook_id,
            timestamp=timestamp,
            body=body,
        ),
    }
    code, error = post(url=delivery.endpoint.url, body=body, headers=headers, timeout=timeout)
    finished = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = finished
    delivery.last_response_code = code
    if code is not None and 200 <= code < 300:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = finished
        delivery.last_error = ""
    else:
        delivery.last_error = error or f"HTTP {code}"
        if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
            delivery.state = DeliveryState.FAILED
        else:
            delivery.next_attempt_at = finished + backoff(delivery.attempts)
        logger.warning("Webhook delivery %s to %s failed: %s", delivery.pk, delivery.endpoint.url, delivery.last_error)
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_response_code",
            "last_error",
            "state",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery


def send_due(*, limit: int = SEND_BATCH, stop: threading.Event | None = None) -> int:
    """Try every due delivery (up to ``limit``), oldest first. Returns how many were tried."""
    endpoint_drop_expired_secrets()
    tried = 0
    for delivery_id in list(Delivery.objects.due().values_list("pk", flat=True)[:limit]):
        if stop is not None and stop.is_set():
            break
        if attempt(delivery_id) is not None:
            tried += 1
    return tried
