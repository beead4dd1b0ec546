"""Partner webhooks: where to send which public events, and every delivery with its attempts.

The worker (``manage.py deliver_webhooks``) reads the claim change log after a stored cursor,
turns public events into ``Delivery`` rows for the matching endpoints and sends them; editors'
saves never talk to a partner.
"""

from __future__ import annotations

import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import ClaimChange, Topic
from people.models import Person
from webhooks import addresses
from webhooks.signing import SECRET_FORMAT

# How long a rotated-out secret still signs deliveries, next to the new one, by default.


class Event(models.TextChoices):
    STATUS_RECORDED = "status_recorded", gettext_lazy("Status update recorded")
    CORRECTION_RECORDED = "correction_recorded", gettext_lazy("Correction recorded")
    CLAIM_PUBLISHED = "claim_published", gettext_lazy("Claim published")
    CLAIM_WITHDRAWN = "claim_withdrawn", gettext_lazy("Claim withdrawn")
    # A published update taken out of the record (legal or privacy grounds), with the public reason.
    STATUS_REMOVED = "status_removed", gettext_lazy("Status update removed")
    # Sent from the admin's "send test event" action only.
    PING = "ping", gettext_lazy("Test event")


# The endpoint flag that subscribes to each event.
EVENT_FLAGS: dict[str, str] = {
    Event.STATUS_RECORDED: "on_status_recorded",
    Event.CORRECTION_RECORDED: "on_correction_recorded",
    Event.CLAIM_PUBLISHED: "on_claim_published",
    Event.CLAIM_WITHDRAWN: "on_claim_withdrawn",
    Event.STATUS_REMOVED: "on_status_removed",
}


def validate_endpoint_url(url: str) -> None:
    """HTTPS to a public address only (see webhooks/addresses.py); plain HTTP, and this machine,
    only when WEBHOOKS_ALLOW_INSECURE_LOCALHOST is on (development and tests)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    if not (parts.scheme == "https" or (parts.scheme == "http" and addresses.is_plain_http_allowed(parts))):
        raise ValidationError(_("Webhook endpoints must use https://."), code="insecure_url")
    problem = addresses.check_url(url)
    if problem is not None:
        raise ValidationError(problem, code="internal_address")


def new_webhook_id() -> str:
    """The ``webhook-id`` of one delivery: random, so a restored database never reuses one."""
    return "msg_" + secrets.token_urlsafe(18)


def secret_overlap() -> datetime.timedelta:
    """How long a rotated-out secret keeps signing (the ``WEBHOOKS_SECRET_OVERLAP_HOURS`` setting)."""
    return datetime.timedelta(hours=settings.WEBHOOKS_SECRET_OVERLAP_HOURS)


class EndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def receiving(self) -> EndpointQuerySet:
        """Endpoints that are switched on and whose partner key is still valid."""
        return self.filter(is_active=True, api_key__revoked_at__isnull=True, api_key__owner__is_active=True)


class WebhookEndpoint(models.Model):
    """A partner's HTTPS address, the events it wants and, optionally, the people or topics."""

    # By label, not by import: webhooks needs only the relation (deliveries stop when the partner's
    # key is revoked), not the API's code, so the delivery apps stay independent of each other.
    api_key = models.ForeignKey(
        "api.ApiKey",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=gettext_lazy("partner key"),
        help_text=gettext_lazy("Deliveries stop when this key is revoked."),
    )
    url = models.URLField(gettext_lazy("URL"), max_length=500, validators=[validate_endpoint_url])
    description = models.CharField(verbose_name=gettext_lazy("description"), max_length=200, blank=True)
    is_active = models.BooleanField(gettext_lazy("active"), default=True)
    on_status_recorded = models.BooleanField(gettext_lazy("status updates"), default=True)
    on_correction_recorded = models.BooleanField(gettext_lazy("corrections"), default=True)
    on_claim_published = models.BooleanField(gettext_lazy("claims published"), default=True)
    on_claim_withdrawn = models.BooleanField(gettext_lazy("claims withdrawn"), default=True)
    on_status_removed = models.BooleanField(gettext_lazy("status updates removed"), default=True)
    people = models.ManyToManyField(
        Person,
        verbose_name=gettext_lazy("people"),
        blank=True,
        related_name="+",
        help_text=gettext_lazy("Only claims by these people. Empty: everyone."),
    )
    topics = models.ManyToManyField(
        Topic,
        verbose_name=gettext_lazy("topics"),
        blank=True,
        related_name="+",
        help_text=gettext_lazy("Only claims on at least one of these topics. Empty: all."),
    )
    # Needed in clear to sign each delivery; shown to the admin once, when made or rotated.
    secret = models.CharField(verbose_name=gettext_lazy("secret"), max_length=100, editable=False)
    # The secret before the last rotation: it signs too, next to the new one, until it expires.
    previous_secret = models.CharField(
        verbose_name=gettext_lazy("previous secret"), max_length=100, blank=True, editable=False
    )
    previous_secret_expires_at = models.DateTimeField(
        verbose_name=gettext_lazy("previous secret expires at"), null=True, blank=True, editable=False
    )
    secret_rotated_at = models.DateTimeField(
        verbose_name=gettext_lazy("secret rotated at"), null=True, blank=True, editable=False
    )
    # Changes recorded before this are not sent (a new endpoint starts from the present)…
    send_changes_from = models.DateTimeField(
        gettext_lazy("sends changes recorded from"),
        default=timezone.now,
        help_text=gettext_lazy("Earlier changes are not sent, unless a backfill was asked for."),
    )
    # …unless a backfill was asked for: the change id it has reached; null when none is running.
    backfill_after_change_id = models.BigIntegerField(
        verbose_name=gettext_lazy("backfill after change id"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name_plural = gettext_lazy("webhook endpoints")
        verbose_name = gettext_lazy("webhook endpoint")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret__regex=SECRET_FORMAT),
                name="webhookendpoint_secret_whsec",
            ),
            models.CheckConstraint(
                condition=(Q(previous_secret="") & Q(previous_secret_expires_at__isnull=True))  # nosec B106 - no secret
                | (Q(previous_secret__regex=SECRET_FORMAT) & Q(previous_secret_expires_at__isnull=False)),
                name="webhookendpoint_previous_secret_whsec",
            ),
            models.CheckConstraint(
                condition=Q(backfill_after_change_id__isnull=True) | Q(backfill_after_change_id__gte=0),
                name="webhookendpoint_backfill_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="webhookendpoint_url_http_or_https",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, event: str) -> bool:
        flag = EVENT_FLAGS.get(event)
        return flag is not None and getattr(self, flag)

    def signing_secrets(self, now: datetime.datetime | None = None) -> list[str]:
        """The current secret, then the previous one while its overlap window lasts."""
        now = now or timezone.now()
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > now:
            return [self.secret, self.previous_secret]
        return [self.secret]


class DeliveryState(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")
    DELIVERED = "delivered", gettext_lazy("Delivered")
    FAILED = "failed", gettext_lazy("Failed")


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def due(self, now=None) -> DeliveryQuerySet:
        """Pending deliveries whose next try has come, to endpoints still receiving."""
        return self.filter(
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now or timezone.now(),
            endpoint__in=WebhookEndpoint.objects.receiving(),
        ).order_by("next_attempt_at", "id")


class Delivery(models.Model):
    """One event for one endpoint: its JSON body, fixed at fan-out, and the outcome of its tries."""

    State = DeliveryState

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=gettext_lazy("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # Empty for test events, and if a superuser deletes the claim the change belonged to.
    change = models.ForeignKey(
        ClaimChange,
        verbose_name=gettext_lazy("change"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.CharField(verbose_name=gettext_lazy("event"), max_length=30, choices=Event.choices)
    payload = models.JSONField(verbose_name=gettext_lazy("payload"))
    # Sent as ``webhook-id``: the same on every try and replay, so a partner can skip repeats.
    webhook_id = models.CharField(
        verbose_name=gettext_lazy("webhook id"), max_length=40, unique=True, default=new_webhook_id, editable=False
    )
    state = models.CharField(
        verbose_name=gettext_lazy("state"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=gettext_lazy("attempts"), default=0)
    next_attempt_at = models.DateTimeField(verbose_name=gettext_lazy("next attempt at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(verbose_name=gettext_lazy("last attempt at"), null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(
        verbose_name=gettext_lazy("last response code"), null=True, blank=True
    )
    last_error = models.CharField(verbose_name=gettext_lazy("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(verbose_name=gettext_lazy("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("delivery")
        verbose_name_plural = gettext_lazy("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "change"],
                condition=Q(change__isnull=False),
                name="delivery_one_per_endpoint_and_change",
            ),
            models.CheckConstraint(condition=Q(event__in=Event.values), name="delivery_event_valid"),
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values), name="delivery_state_valid"),
        ]
        indexes = [
            # The worker's "what is due now" scan.
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.endpoint}"


class Cursor(models.Model):
    """How far the worker has read the claim change log. One row, named ``claim_changes``."""

    name = models.CharField(verbose_name=gettext_lazy("name"), max_length=40, unique=True)
    last_change_id = models.BigIntegerField(verbose_name=gettext_lazy("last change id"), default=0)
    updated_at = models.DateTimeField(verbose_name=gettext_lazy("updated at"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("cursor")
        verbose_name_plural = gettext_lazy("cursors")
        constraints = [models.CheckConstraint(condition=Q(last_change_id__gte=0), name="cursor_not_negative")]

    def __str__(self) -> str:
        return f"{self.name} at {self.last_change_id}"
