"""What readers send the desk (tips and correction requests) and what the desk sends them (alerts).

Nothing here is public: a tip reaches readers only through an editor's own action (a correction,
a new claim), and an address is kept only for a reader who gave one (see the privacy page and
``readers.privacy``). Every email, whatever its purpose, goes through the ``OutgoingEmail`` outbox
and is sent by the worker (``manage.py send_reader_email``), never inside a request.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.models import Claim, ClaimChange, StatusUpdate, Topic
from people.models import Person

MESSAGE_MAX_LENGTH = 5000
REPLY_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 100
URL_MAX_LENGTH = 500
EMAIL_MAX_LENGTH = 254


def address_digest(email: str) -> str:
    """A short stand-in for an address in keys and logs, so neither spells the address out."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Resolved requests and sent emails older than this lose the reader's personal data."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.READERS_RETENTION_DAYS)


class TipKind(models.TextChoices):
    CORRECTION = "correction", _("Correction or evidence about a claim")
    NEW_CLAIM = "new_claim", _("Claim to track")


class TipState(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")


class TipQuerySet(models.QuerySet["Tip"]):
    def awaiting_triage(self) -> TipQuerySet:
        return self.filter(state=TipState.NEW)

    def resolved(self) -> TipQuerySet:
        return self.exclude(state=TipState.NEW)

    def from_address(self, email: str) -> TipQuerySet:
        return self.filter(email__iexact=email.strip())

    def holding_personal_data(self) -> TipQuerySet:
        return self.filter(~Q(name="") | ~Q(email=""))

    def past_retention(self, now: datetime.datetime | None = None) -> TipQuerySet:
        """Resolved longer ago than the retention period, still holding a name or an address."""
        return self.resolved().holding_personal_data().filter(resolved_at__lt=retention_cutoff(now))


class Tip(models.Model):
    """A reader's message to the desk: a correction or evidence about a claim, or a claim to track."""

    Kind = TipKind
    State = TipState

    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=TipKind.choices)
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tips",
        help_text=_("The claim the reader wrote about."),
    )
    message = models.TextField(verbose_name=_("message"))
    evidence_url = models.URLField(verbose_name=_("evidence URL"), max_length=URL_MAX_LENGTH, blank=True)
    # Personal data, optional: only what a reader gave for a reply. Emptied after the retention
    # period once the request is resolved, and on an erasure request (readers.privacy).
    name = models.CharField(verbose_name=_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    email = models.EmailField(verbose_name=_("email"), max_length=EMAIL_MAX_LENGTH, blank=True)
    # The language of the page it was sent from: the reader hears back in it.
    language = models.CharField(
        verbose_name=_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    received_at = models.DateTimeField(verbose_name=_("received at"), default=timezone.now, editable=False)
    state = models.CharField(verbose_name=_("state"), max_length=20, choices=TipState.choices, default=TipState.NEW)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    led_to_claim = models.ForeignKey(
        Claim,
        verbose_name=_("led to claim"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The claim this suggestion led the desk to track."),
    )
    led_to_update = models.ForeignKey(
        StatusUpdate,
        verbose_name=_("led to status update"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The correction or status update this request led to."),
    )
    reply = models.TextField(
        verbose_name=_("reply to the reader"),
        blank=True,
        help_text=_("Sent to the reader with the outcome, if they gave an email address. Never published."),
    )
    resolved_at = models.DateTimeField(verbose_name=_("resolved at"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    personal_data_erased_at = models.DateTimeField(
        verbose_name=_("personal data erased at"), null=True, blank=True, editable=False
    )

    objects = TipQuerySet.as_manager()
    # Editors' triage is kept like every other edit; the reader's name and address are not copied
    # into the history, so erasing them here erases them everywhere.
    history = HistoricalRecords(excluded_fields=["name", "email"])

    class Meta:
        verbose_name = _("reader's tip")
        verbose_name_plural = _("readers' tips")
        ordering = ["-received_at", "-id"]
        permissions = [("erase_reader_data", _("Can erase a reader's personal data everywhere"))]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TipKind.values), name="tip_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=TipState.values), name="tip_state_valid"),
            models.CheckConstraint(
                condition=Q(kind=TipKind.CORRECTION, claim__isnull=False)
                | Q(kind=TipKind.NEW_CLAIM, claim__isnull=True),
                name="tip_correction_names_its_claim",
            ),
            models.CheckConstraint(condition=Q(message__gt=""), name="tip_message_not_blank"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("message"), MESSAGE_MAX_LENGTH), name="tip_message_length"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reply"), REPLY_MAX_LENGTH), name="tip_reply_length"
            ),
            models.CheckConstraint(
                condition=Q(evidence_url="")
                | Q(evidence_url__startswith="https://")
                | Q(evidence_url__startswith="http://"),
                name="tip_evidence_url_http_or_https",
            ),
            models.CheckConstraint(
                condition=Q(state=TipState.DUPLICATE, duplicate_of__isnull=False)
                | (~Q(state=TipState.DUPLICATE) & Q(duplicate_of__isnull=True)),
                name="tip_duplicate_names_the_original",
                violation_error_message=_("A duplicate names the tip it repeats, and only a duplicate does."),
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="tip_not_its_own_duplicate"),
            models.CheckConstraint(
                condition=Q(state=TipState.NEW, resolved_at__isnull=True)
                | (~Q(state=TipState.NEW) & Q(resolved_at__isnull=False)),
                name="tip_resolution_is_dated",
            ),
            models.CheckConstraint(
                condition=Q(personal_data_erased_at__isnull=True) | Q(name="", email=""),
                name="tip_erased_holds_no_personal_data",
            ),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="tip_queue_idx")]

    def __str__(self) -> str:
        about = self.claim.summary if self.claim_id and self.claim else self.get_kind_display()
        return f"#{self.pk}: {about}"[:120]

    @property
    def can_be_answered(self) -> bool:
        return bool(self.email)


class AlertScope(models.TextChoices):
    EVERYTHING = "everything", _("Every status change")
    CLAIM = "claim", _("One claim")
    PERSON = "person", _("One person's claims")
    TOPIC = "topic", _("One topic")


class AlertFrequency(models.TextChoices):
    INSTANT = "instant", _("As it happens")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


DIGEST_FREQUENCIES = (AlertFrequency.DAILY, AlertFrequency.WEEKLY)


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=True)

    def of_address(self, email: str) -> SubscriptionQuerySet:
        return self.filter(email=email.strip().lower())

    def expired_unconfirmed(self, now: datetime.datetime | None = None) -> SubscriptionQuerySet:
        """Never confirmed, and the confirmation link has expired: nothing to keep them for."""
        expiry = datetime.timedelta(hours=settings.READERS_CONFIRMATION_HOURS)
        return self.unconfirmed().filter(created_at__lt=(now or timezone.now()) - expiry)

    def following(self, change: ClaimChange) -> SubscriptionQuerySet:
        """Subscriptions confirmed before ``change`` that follow its claim: the claim itself (or the plan
        it is part of), its claimant, one of its topics, or everything."""
        claim = change.claim
        claims = [claim.pk] + ([claim.parent_id] if claim.parent_id else [])
        topics = [topic.pk for topic in claim.topics.all()]
        # Only changes recorded after the reader confirmed: a new subscriber is not sent the history.
        return self.filter(confirmed_at__lte=change.recorded_at).filter(
            Q(scope=AlertScope.EVERYTHING)
            | Q(scope=AlertScope.CLAIM, claim_id__in=claims)
            | Q(scope=AlertScope.PERSON, person_id=claim.claimant_id)
            | Q(scope=AlertScope.TOPIC, topic_id__in=topics)
        )


class Subscription(models.Model):
    """A reader's wish to hear of status changes by email: what to follow and how often.

    Created unconfirmed; the reader confirms it from the link emailed to them (double opt-in), and
    nothing but that confirmation email is sent before. Unsubscribing deletes the row.
    """

    Scope = AlertScope
    Frequency = AlertFrequency

    email = models.EmailField(verbose_name=_("email"), max_length=EMAIL_MAX_LENGTH)
    scope = models.CharField(verbose_name=_("follows"), max_length=20, choices=AlertScope.choices)
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    frequency = models.CharField(
        verbose_name=_("frequency"), max_length=20, choices=AlertFrequency.choices, default=AlertFrequency.INSTANT
    )
    language = models.CharField(
        verbose_name=_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(verbose_name=_("confirmed at"), null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("email alert subscription")
        verbose_name_plural = _("email alert subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=AlertScope.values), name="subscription_scope_valid"),
            models.CheckConstraint(
                condition=Q(frequency__in=AlertFrequency.values), name="subscription_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope=AlertScope.EVERYTHING, claim__isnull=True, person__isnull=True, topic__isnull=True)
                | Q(scope=AlertScope.CLAIM, claim__isnull=False, person__isnull=True, topic__isnull=True)
                | Q(scope=AlertScope.PERSON, claim__isnull=True, person__isnull=False, topic__isnull=True)
                | Q(scope=AlertScope.TOPIC, claim__isnull=True, person__isnull=True, topic__isnull=False),
                name="subscription_names_what_it_follows",
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="subscription_email_lower_case"),
            models.UniqueConstraint(
                fields=["email"], condition=Q(scope=AlertScope.EVERYTHING), name="subscription_one_for_everything"
            ),
            models.UniqueConstraint(
                fields=["email", "claim"], condition=Q(scope=AlertScope.CLAIM), name="subscription_one_per_claim"
            ),
            models.UniqueConstraint(
                fields=["email", "person"], condition=Q(scope=AlertScope.PERSON), name="subscription_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["email", "topic"], condition=Q(scope=AlertScope.TOPIC), name="subscription_one_per_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.followed or ''} ({self.get_frequency_display()})"

    @property
    def followed(self) -> Claim | Person | Topic | None:
        return self.claim or self.person or self.topic

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class PendingAlert(models.Model):
    """A change waiting for the next digest of a daily or weekly subscription."""

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="pending"
    )
    change = models.ForeignKey(ClaimChange, verbose_name=_("change"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("pending alert")
        verbose_name_plural = _("pending alerts")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "change"], name="pendingalert_once_per_subscription"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} ← {self.change_id}"


class EmailPurpose(models.TextChoices):
    CONFIRMATION = "confirmation", _("Subscription confirmation")
    ALERT = "alert", _("Alert")
    DIGEST = "digest", _("Digest")
    TIP_OUTCOME = "tip_outcome", _("Reply to a tip")
    MANAGE_LINK = "manage_link", _("Link to manage subscriptions")


class EmailState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmailQuerySet(models.QuerySet["OutgoingEmail"]):
    def due(self, now: datetime.datetime | None = None) -> OutgoingEmailQuerySet:
        return self.filter(state=EmailState.PENDING, next_attempt_at__lte=now or timezone.now()).order_by(
            "next_attempt_at", "id"
        )

    def to_address(self, email: str) -> OutgoingEmailQuerySet:
        return self.filter(to__iexact=email.strip())

    def past_retention(self, now: datetime.datetime | None = None) -> OutgoingEmailQuerySet:
        """Sent or given up on longer ago than the retention period: only the address would be kept."""
        cutoff = retention_cutoff(now)
        return self.filter(
            Q(state=EmailState.SENT, sent_at__lt=cutoff) | Q(state=EmailState.FAILED, created_at__lt=cutoff)
        )


class OutgoingEmail(models.Model):
    """One email to one reader, written in full when queued, sent by the worker.

    ``dedupe_key`` makes queuing idempotent (one alert per reader and change, one digest per reader
    and period); ``message_id`` is the same on every try, so a reader's mail program can recognise
    a repeat in the one case a crash could cause one (docs/readers.md, "Exactly once").
    """

    Purpose = EmailPurpose
    State = EmailState

    to = models.EmailField(verbose_name=_("to"), max_length=EMAIL_MAX_LENGTH)
    purpose = models.CharField(verbose_name=_("purpose"), max_length=20, choices=EmailPurpose.choices)
    subject = models.CharField(verbose_name=_("subject"), max_length=300)
    text = models.TextField(verbose_name=_("plain text"))
    html = models.TextField(verbose_name=_("HTML"))
    headers = models.JSONField(verbose_name=_("headers"), default=dict, blank=True)
    message_id = models.CharField(verbose_name=_("Message-ID"), max_length=200, unique=True)
    dedupe_key = models.CharField(verbose_name=_("deduplication key"), max_length=120, unique=True)
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tip = models.ForeignKey(
        Tip, verbose_name=_("tip"), on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    state = models.CharField(
        verbose_name=_("state"), max_length=20, choices=EmailState.choices, default=EmailState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    # Also the lease: a worker sending the email moves it past the try's longest duration.
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"), default=timezone.now)
    last_error = models.CharField(verbose_name=_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=EmailPurpose.values), name="outgoingemail_purpose_valid"),
            models.CheckConstraint(condition=Q(state__in=EmailState.values), name="outgoingemail_state_valid"),
            models.CheckConstraint(
                condition=Q(state=EmailState.SENT, sent_at__isnull=False)
                | (~Q(state=EmailState.SENT) & Q(sent_at__isnull=True)),
                name="outgoingemail_sent_is_dated",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outgoingemail_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.subject}"


class AlertCursor(models.Model):
    """How far the alerts worker has read the claim change log. One row, named ``claim_changes``."""

    name = models.CharField(verbose_name=_("name"), max_length=40, unique=True)
    last_change_id = models.BigIntegerField(verbose_name=_("last change id"), default=0)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("alert cursor")
        verbose_name_plural = _("alert cursors")
        constraints = [models.CheckConstraint(condition=Q(last_change_id__gte=0), name="alertcursor_not_negative")]

    def __str__(self) -> str:
        return f"{self.name} at {self.last_change_id}"
