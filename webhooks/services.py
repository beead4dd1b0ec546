"""Writes for webhook endpoints and deliveries; the admin and the worker call these."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from webhooks.models import Delivery, DeliveryState, Event, WebhookEndpoint, secret_overlap
from webhooks.signing import new_secret


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def endpoint_save(
    *, endpoint: WebhookEndpoint, saved_by: AbstractBaseUser | None, backfill_from: datetime.date | None = None
) -> str | None:
    """Validate and store an endpoint. For a new one, returns its signing secret (shown once).

    A new endpoint receives changes from now on; ``backfill_from`` also queues the public
    changes recorded since that day, which the worker sends in the background.
    """
    secret = None
    if endpoint.pk is None:
        secret = new_secret()
        endpoint.secret = secret
        endpoint.created_by = saved_by if saved_by is not None and saved_by.is_authenticated else None
        endpoint.send_changes_from = timezone.now()
    if backfill_from is not None:
        endpoint.send_changes_from = start_of(backfill_from)
        endpoint.backfill_after_change_id = 0
    endpoint.full_clean()
    endpoint.save()
    return secret


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """Give the endpoint a new secret (returned, to be shown once); the current one keeps
    signing next to it for ``WEBHOOKS_SECRET_OVERLAP_HOURS``, so the partner can switch over.
    Rotating again within that window drops the oldest secret at once."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    secret = new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + secret_overlap()
    endpoint.secret = secret
    endpoint.secret_rotated_at = now
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "secret_rotated_at"])
    return secret


def endpoint_drop_expired_secrets(*, now: datetime.datetime | None = None) -> int:
    """Forget rotated-out secrets whose overlap window is over. Returns how many were dropped."""
    expired = WebhookEndpoint.objects.filter(previous_secret_expires_at__lte=now or timezone.now())
    # Read first: the worker calls this every pass, and an UPDATE takes the write lock even when it matches nothing.
    if not expired.exists():
        return 0
    return expired.update(previous_secret="", previous_secret_expires_at=None)  # nosec B106 - erasing, not setting one


def endpoint_send_test(*, endpoint: WebhookEndpoint) -> Delivery:
    """Queue a ``ping`` for the worker to send, so a partner can check its signature code."""
    now = timezone.now()
    return Delivery.objects.create(
        endpoint=endpoint,
        event=Event.PING,
        payload={
            "event": Event.PING.value,
            "change_id": None,
            "occurred_at": now.isoformat(),
            "claim": None,
            "status_update": None,
        },
        next_attempt_at=now,
    )


def delivery_replay(*, delivery: Delivery) -> Delivery:
    """Send the same body again, soon, with a fresh retry budget, a fresh signature and the
    same ``webhook-id`` (it is the same message)."""
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.delivered_at = None
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "delivered_at"])
    return delivery
