"""Email alerts: readers' subscriptions (double opt-in) and the worker's steps that turn the claim
change log into alert emails and digests.

Editors' saves only append to the change log; ``fan_out`` reads it after a stored cursor, in the
same way as the webhook worker, and the queued emails and the moved cursor commit together.
"""

from __future__ import annotations

import datetime
import enum
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import ChangeKind, Claim, ClaimChange, Topic, Visibility
from people.models import Person
from readers import emails, mail, tokens
from readers.models import (
    DIGEST_FREQUENCIES,
    AlertCursor,
    AlertFrequency,
    AlertScope,
    EmailPurpose,
    OutgoingEmail,
    PendingAlert,
    Subscription,
    address_digest,
)

CURSOR_NAME = "claim_changes"
FAN_OUT_BATCH = 200
# The changes readers hear of: a status recorded, or corrected, on a published claim.
ALERTED_KINDS = (ChangeKind.STATUS_RECORDED, ChangeKind.CORRECTION_RECORDED)


class RequestOutcome(enum.Enum):
    CONFIRMATION_SENT = "confirmation_sent"
    ALREADY_SUBSCRIBED = "already_subscribed"
    TOO_MANY_EMAILS = "too_many_emails"


def _emails_today(email: str) -> int:
    since = timezone.now() - datetime.timedelta(days=1)
    return (
        OutgoingEmail.objects.to_address(email)
        .filter(purpose__in=(EmailPurpose.CONFIRMATION, EmailPurpose.MANAGE_LINK), created_at__gte=since)
        .count()
    )


def _queue_confirmation(subscription: Subscription) -> None:
    language = subscription.language
    rendered = emails.render(
        "confirmation",
        {
            "subscription": subscription,
            "confirm_url": emails.link(language, "readers:confirm", tokens.confirmation_token(subscription)),
            "hours": settings.READERS_CONFIRMATION_HOURS,
        },
        language,
    )
    mail.queue(
        to=subscription.email,
        purpose=EmailPurpose.CONFIRMATION,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        dedupe_key=f"confirm:{subscription.pk}:{timezone.now().timestamp():.6f}",
        subscription=subscription,
    )


def queue_manage_link(email: str, language: str) -> bool:
    """Email the address a link to its subscriptions; False when it has none."""
    subscriptions = list(Subscription.objects.of_address(email).confirmed())
    if not subscriptions:
        return False
    rendered = emails.render(
        "manage_link",
        {"manage_url": emails.link(language, "readers:manage", tokens.manage_token(subscriptions))},
        language,
    )
    mail.queue(
        to=subscriptions[0].email,
        purpose=EmailPurpose.MANAGE_LINK,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        dedupe_key=f"manage:{address_digest(email)}:{timezone.now().timestamp():.6f}",
    )
    return True


@transaction.atomic
def manage_link_request(email: str, language: str) -> None:
    """A reader asks for a link to their subscriptions; nothing is sent to an address without any."""
    if _emails_today(email) < settings.READERS_EMAILS_PER_ADDRESS_PER_DAY:
        queue_manage_link(email, language)


@transaction.atomic
def subscription_request(
    *,
    email: str,
    scope: AlertScope,
    frequency: AlertFrequency,
    language: str,
    claim: Claim | None = None,
    person: Person | None = None,
    topic: Topic | None = None,
) -> RequestOutcome:
    """A reader asks for alerts: an unconfirmed subscription and a confirmation email to the address.

    Anyone can type any address, so a request never changes a confirmed subscription: the address
    gets a link to manage it instead. At most READERS_EMAILS_PER_ADDRESS_PER_DAY such emails a day.
    """
    email = email.strip().lower()
    if _emails_today(email) >= settings.READERS_EMAILS_PER_ADDRESS_PER_DAY:
        return RequestOutcome.TOO_MANY_EMAILS
    target = {"claim": claim, "person": person, "topic": topic}
    existing = Subscription.objects.select_for_update().filter(email=email, scope=scope, **target).first()
    if existing is not None and existing.is_confirmed:
        queue_manage_link(email, language)
        return RequestOutcome.ALREADY_SUBSCRIBED
    if existing is None:
        existing = Subscription.objects.create(
            email=email, scope=scope, frequency=frequency, language=language, **target
        )
    else:
        # Unconfirmed: the latest request's choices stand, and the clock of its link restarts.
        existing.frequency, existing.language, existing.created_at = frequency, language, timezone.now()
        existing.save(update_fields=["frequency", "language", "created_at"])
    _queue_confirmation(existing)
    return RequestOutcome.CONFIRMATION_SENT


@transaction.atomic
def subscription_confirm(subscription: Subscription) -> Subscription:
    """Idempotent: a second click on the link changes nothing. Alerts start with the next change."""
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    subscription.refresh_from_db(fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscriptions_end(subscriptions: Sequence[Subscription]) -> int:
    """Unsubscribe: the rows go, with the changes waiting for their digest. Returns how many went."""
    _, per_model = Subscription.objects.filter(pk__in=[subscription.pk for subscription in subscriptions]).delete()
    return per_model.get(Subscription._meta.label, 0)


@transaction.atomic
def subscription_set_frequency(subscription: Subscription, frequency: AlertFrequency) -> Subscription:
    """Changes already waiting for a digest go out with the next email of the new frequency."""
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    return subscription


def _is_alerted(change: ClaimChange) -> bool:
    update = change.status_update
    return (
        change.kind in ALERTED_KINDS
        and Visibility(change.visibility).is_public
        and change.claim.is_public
        and update is not None
        and update.published_at is not None
        and update.removed_at is None
    )


def _changes_after(cursor: int):
    return (
        ClaimChange.objects.after(cursor)
        .select_related("claim__claimant", "status_update__status")
        .prefetch_related("claim__topics", "status_update__evidence")
    )


def _alert_email(change: ClaimChange, address: str, matched: list[Subscription]) -> dict:
    language = matched[0].language
    news = emails.change_news(change, language)
    everything = Subscription.objects.of_address(address).confirmed()
    rendered = emails.render(
        "alert", {"news": news, **emails.subscription_links(matched, everything, language)}, language
    )
    return {
        "to": address,
        "purpose": EmailPurpose.ALERT,
        "subject": rendered.subject,
        "text": rendered.text,
        "html": rendered.html,
        "headers": emails.unsubscribe_headers(matched, language),
        "dedupe_key": f"alert:{change.pk}:{address_digest(address)}",
        "subscription": matched[0],
    }


def fan_out(*, batch: int = FAN_OUT_BATCH) -> int:
    """Read up to ``batch`` changes after the cursor: an email per address following an instant
    subscription, a waiting item per digest subscription. Returns how many changes were read.

    The emails, the items and the moved cursor commit together: a worker stopped half-way, or a
    second worker, never alerts a change twice (and ``dedupe_key`` would refuse it anyway).
    """
    cursor, _ = AlertCursor.objects.get_or_create(name=CURSOR_NAME)
    # Read without a transaction or a lock first: an idle worker polling every few seconds takes neither.
    if not ClaimChange.objects.after(cursor.last_change_id).exists():
        return 0
    return _fan_out_locked(batch)


@transaction.atomic
def _fan_out_locked(batch: int) -> int:
    cursor = AlertCursor.objects.select_for_update().get(name=CURSOR_NAME)
    changes = list(_changes_after(cursor.last_change_id)[:batch])
    if not changes:
        return 0
    pending: list[PendingAlert] = []
    for change in changes:
        if not _is_alerted(change):
            continue
        instant: dict[str, list[Subscription]] = defaultdict(list)
        for subscription in Subscription.objects.following(change).order_by("pk"):
            if subscription.frequency == AlertFrequency.INSTANT:
                instant[subscription.email].append(subscription)
            else:
                pending.append(PendingAlert(subscription=subscription, change=change))
        for address, matched in instant.items():
            mail.queue(**_alert_email(change, address, matched))
    PendingAlert.objects.bulk_create(pending, ignore_conflicts=True)
    cursor.last_change_id = changes[-1].pk
    cursor.save(update_fields=["last_change_id", "updated_at"])
    return len(changes)


def digest_due(frequency: str, now: datetime.datetime | None = None) -> tuple[str, datetime.datetime] | None:
    """The period a digest due now covers ("daily:2026-11-30", "weekly:2026-W49") and the moment it fell
    due (READERS_DIGEST_HOUR that day, or that week's Monday), or None before it. A digest takes what was
    waiting at that moment: a change that arrives later waits for the next period, even when nothing was
    waiting then, so a weekly digest goes on Monday (later only if the worker missed Monday)."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(settings.CLAIMTRACKER_NEWSROOM_TIME_ZONE)
    local = timezone.localtime(now, zone)
    if frequency == AlertFrequency.INSTANT:
        # Left from before a switch to instant alerts: sent at once, as a digest.
        return f"instant:{local:%Y-%m-%dT%H:%M}", now
    day = local.date() if frequency == AlertFrequency.DAILY else local.date() - datetime.timedelta(days=local.weekday())
    due_at = datetime.datetime.combine(day, datetime.time(settings.READERS_DIGEST_HOUR), tzinfo=zone)
    if local < due_at:
        return None
    if frequency == AlertFrequency.DAILY:
        return f"daily:{day.isoformat()}", due_at
    year, week, _ = day.isocalendar()
    return f"weekly:{year}-W{week:02d}", due_at


def digest_period(frequency: str, now: datetime.datetime | None = None) -> str | None:
    """The period a digest due now covers, or None when digests of that frequency are not due yet."""
    due = digest_due(frequency, now)
    return due[0] if due else None


def _digest_for(address: str, frequency: str, period: str, due_at: datetime.datetime) -> int:
    """One digest of everything waiting for one address's subscriptions of one frequency."""
    with transaction.atomic():
        waiting = list(
            PendingAlert.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                subscription__email=address,
                subscription__frequency=frequency,
                subscription__confirmed_at__isnull=False,
                created_at__lte=due_at,
            )
            .select_related("subscription", "change__claim__claimant", "change__status_update__status")
            .prefetch_related("change__status_update__evidence")
            .order_by("change_id")
        )
        if not waiting:
            return 0
        dedupe_key = f"digest:{period}:{address_digest(address)}"
        if OutgoingEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return 0  # This period's digest went; these wait for the next one.
        subscriptions = sorted({item.subscription for item in waiting}, key=lambda subscription: subscription.pk)
        language = subscriptions[0].language
        seen: set[int] = set()
        news = []
        for item in waiting:
            if item.change_id not in seen and _is_alerted(item.change):
                seen.add(item.change_id)
                news.append(emails.change_news(item.change, language))
        if news:
            everything = Subscription.objects.of_address(address).confirmed()
            rendered = emails.render(
                "digest",
                {
                    "news_items": news,
                    "frequency": frequency,
                    **emails.subscription_links(subscriptions, everything, language),
                },
                language,
            )
            mail.queue(
                to=address,
                purpose=EmailPurpose.DIGEST,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                headers=emails.unsubscribe_headers(subscriptions, language),
                dedupe_key=dedupe_key,
                subscription=subscriptions[0],
            )
        PendingAlert.objects.filter(pk__in=[item.pk for item in waiting]).delete()
        return 1 if news else 0


def send_digests(now: datetime.datetime | None = None) -> int:
    """Queue the digests that are due: one per address and frequency, at most one per period."""
    queued = 0
    for frequency in (*DIGEST_FREQUENCIES, AlertFrequency.INSTANT):
        due = digest_due(frequency, now)
        if due is None:
            continue
        period, due_at = due
        addresses = (
            PendingAlert.objects.filter(
                subscription__frequency=frequency, subscription__confirmed_at__isnull=False, created_at__lte=due_at
            )
            .values_list("subscription__email", flat=True)
            .distinct()
        )
        for address in list(addresses):
            queued += _digest_for(address, frequency, period, due_at)
    return queued
