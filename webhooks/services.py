"""Writes for webhook endpoints and deliveries; the admin calls these."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from webhooks.models import Delivery, DeliveryState, Event, WebhookEndpoint


@transaction.atomic
def endpoint_save(*, endpoint: WebhookEndpoint, saved_by: AbstractBaseUser | None) -> str | None:
    """Validate and store an endpoint. For a new one, returns its signing secret (shown once)."""
    secret = None
    if endpoint.pk is None:
        secret = secrets.token_hex(32)
        endpoint.secret = secret
        endpoint.created_by = saved_by if saved_by is not None and saved_by.is_authenticated else None
    endpoint.full_clean()
    endpoint.save()
    return secret


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
    """Send the same body again, soon, with a fresh retry budget (and a fresh signature)."""
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.delivered_at = None
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "delivered_at"])
    return delivery
