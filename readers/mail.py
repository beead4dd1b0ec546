"""The outbox: every email to a reader is queued as a row here and sent by the worker.

Queuing happens in the transaction of whatever caused the email (a subscription, a tip's
resolution, the worker's fan-out of a change), so an email exists exactly when its cause was
committed. Sending claims one row at a time under a lease (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so any number of workers share the queue), sends it, and marks it sent.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import secrets
import smtplib
import threading
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from readers.models import EmailPurpose, EmailState, OutgoingEmail, Subscription, Tip

logger = logging.getLogger(__name__)

SEND_BATCH = 200
BACKOFF_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600


def new_message_id() -> str:
    """A Message-ID under the site's own domain, fixed when the email is queued."""
    domain = urlsplit(settings.CLAIMTRACKER_SITE_URL).hostname or "localhost"
    return make_msgid(idstring=secrets.token_hex(8), domain=domain)


def queue(
    *,
    to: str,
    purpose: EmailPurpose,
    subject: str,
    text: str,
    html: str,
    dedupe_key: str,
    headers: dict[str, str] | None = None,
    subscription: Subscription | None = None,
    tip: Tip | None = None,
) -> OutgoingEmail | None:
    """Queue one email; None if one with the same ``dedupe_key`` was queued before (it is not queued twice)."""
    email = OutgoingEmail(
        to=to,
        purpose=purpose,
        subject=subject[:300],
        text=text,
        html=html,
        headers=headers or {},
        message_id=new_message_id(),
        dedupe_key=dedupe_key,
        subscription=subscription,
        tip=tip,
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        if OutgoingEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    return email


def lease_seconds() -> int:
    """Longer than one try can take: a worker that dies mid-send leaves the email for another after it."""
    return settings.EMAIL_TIMEOUT * 3 + 30


def claim_next(now: datetime.datetime | None = None) -> OutgoingEmail | None:
    """Take the oldest due email for this worker: skip rows another worker is taking, lease it, commit."""
    now = now or timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.due(now).select_for_update(skip_locked=True).first()
        if email is None:
            return None
        email.attempts += 1
        email.next_attempt_at = now + datetime.timedelta(seconds=lease_seconds())
        email.save(update_fields=["attempts", "next_attempt_at"])
    return email


def as_message(email: OutgoingEmail, connection: Any = None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={**email.headers, "Message-ID": email.message_id},
        connection=connection,
    )
    message.attach_alternative(email.html, "text/html")
    return message


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message or address: trying again would get the same answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values())[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace') if isinstance(error.smtp_error, bytes) else error.smtp_error}"[
            :500
        ]
    return f"{type(error).__name__}: {error}"[:500]


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def deliver(email: OutgoingEmail, connection: Any) -> bool:
    """Send one claimed email and record the outcome. True when the mail server accepted it."""
    try:
        # Opened once and kept for the batch (a no-op when already open); a refused connection is a failed try.
        connection.open()
        as_message(email, connection).send(fail_silently=False)
    except Exception as error:  # any failure of the backend is a failed try, recorded
        now = timezone.now()
        failed = _is_permanent(error) or email.attempts >= settings.READERS_EMAIL_MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.PENDING).update(
            state=EmailState.FAILED if failed else EmailState.PENDING,
            last_error=_describe(error),
            next_attempt_at=now if failed else now + backoff(email.attempts),
        )
        logger.warning("Email %s (%s) not sent: %s", email.pk, email.purpose, _describe(error))
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connection.close()
        return False
    # Marked sent the moment the server accepted it; only a crash in between repeats it (same Message-ID).
    OutgoingEmail.objects.filter(pk=email.pk).update(state=EmailState.SENT, sent_at=timezone.now(), last_error="")
    return True


def send_due(*, limit: int = SEND_BATCH, stop: threading.Event | None = None) -> int:
    """Send due emails, oldest first, until none is due or ``limit`` were tried. Returns how many were sent."""
    sent = tried = 0
    connection = None
    try:
        while tried < limit and not (stop is not None and stop.is_set()):
            email = claim_next()
            if email is None:
                break
            if connection is None:
                connection = get_connection(fail_silently=False)
            tried += 1
            sent += deliver(email, connection)
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):  # the server may already have gone
                connection.close()
    return sent


def retry(email: OutgoingEmail) -> bool:
    """Queue a failed email again, from the admin. False when it was not failed."""
    return bool(
        OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.FAILED).update(
            state=EmailState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
    )
