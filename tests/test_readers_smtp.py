"""Readers' email over real SMTP: Django's SMTP backend sends the outbox to an SMTP server on
127.0.0.1 (tests/smtp_sink.py) and the test reads back what the server accepted.

A reader subscribes through the page, confirms from the link in the received confirmation, gets the
alert of the next status change and unsubscribes with the one-click POST its List-Unsubscribe header
names (RFC 8058). A recipient the server refuses for good (5xx) fails the email at once; a refusal
for now (4xx) or a server that is not there leaves it pending for a later try; an editor's retry
puts a failed email back in the queue.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Iterator
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytest.importorskip("aiosmtpd", reason="aiosmtpd (requirements-dev.txt) is the SMTP server these tests send to")

from readers import alerts, guards, mail
from readers.models import EmailPurpose, EmailState, OutgoingEmail, Subscription
from tests import factories
from tests.smtp_sink import SmtpSink, free_port, running_sink

pytestmark = pytest.mark.django_db

SITE = "https://claims.example/"
SENDER = "Claim Tracker <alerts@claims.example>"


@pytest.fixture
def sink(settings) -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1, and Django's real SMTP backend pointed at it."""
    with running_sink() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 2
        settings.DEFAULT_FROM_EMAIL = SENDER
        settings.CLAIMTRACKER_SITE_URL = SITE
        yield server


def subscribe_to_everything(address: str) -> None:
    response = Client().post(
        reverse("readers:subscribe"),
        {
            "email": address,
            "follow": "everything",
            "frequency": "instant",
            "website": "",
            "started": guards.form_stamp(now=time.time() - 10),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("readers:subscribe-sent")


def header(message: EmailMessage, name: str) -> str:
    """A header's value as a mail program reads it: a long one is folded onto a second line (RFC 5322),
    and the parser keeps the folding's leading space."""
    return str(message[name]).strip()


def plain_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def a_queued_email(to: str) -> OutgoingEmail:
    email = mail.queue(
        to=to,
        purpose=EmailPurpose.MANAGE_LINK,
        subject="Your alerts",
        text="Manage your alerts: https://claims.example/alerts/manage/x/",
        html="<p>Manage your alerts</p>",
        dedupe_key=f"test:{to}",
    )
    assert email is not None
    return email


def test_the_confirmation_arrives_over_smtp_as_text_and_html_under_the_message_id_it_was_queued_with(sink):
    subscribe_to_everything("Reader@Example.org")

    assert mail.send_due() == 1

    queued = OutgoingEmail.objects.get()
    [received] = sink.received
    message = received.message
    assert received.rcpt_tos == ["reader@example.org"]
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["To"] == "reader@example.org"
    assert message["From"] == SENDER
    assert message["Subject"] == queued.subject
    assert "Confirm your email alerts" in message["Subject"]
    assert header(message, "Message-ID") == queued.message_id
    assert queued.message_id.endswith("@claims.example>")
    confirm_url = re.search(r"https://claims\.example/alerts/confirm/\S+/", queued.text)[0]
    assert confirm_url in plain_text(message)
    assert f'href="{confirm_url}"' in html(message)
    queued.refresh_from_db()
    assert (queued.state, queued.attempts, queued.last_error) == (EmailState.SENT, 1, "")


def test_a_reader_confirms_from_the_received_link_gets_the_alert_and_leaves_with_the_one_click_header(sink, editor):
    claim = factories.ClaimFactory(summary="Ten new bridges by 2026")
    subscribe_to_everything("reader@example.org")
    mail.send_due()
    [confirmation] = sink.received

    # The reader opens the link from the email as it arrived, and presses the button (a POST).
    confirm_url = re.search(r"https://claims\.example/\S*/confirm/\S+", plain_text(confirmation.message))[0]
    response = Client().post(urlsplit(confirm_url).path)
    assert response.status_code == 200
    assert "Your alerts are on" in response.content.decode()
    assert Subscription.objects.get(email="reader@example.org").is_confirmed

    rationale = "The last of the ten bridges opened to traffic on 3 March."
    update = factories.rate(claim, "kept", timezone.localdate() - datetime.timedelta(days=1), rationale, by=editor)
    alerts.fan_out()
    assert mail.send_due() == 1

    alert = sink.received[-1].message
    queued = OutgoingEmail.objects.get(purpose=EmailPurpose.ALERT)
    assert len(sink.received) == 2
    assert header(alert, "Message-ID") == queued.message_id
    assert alert["To"] == "reader@example.org"
    assert alert["Subject"] == f"Now rated {update.status.label}: Ten new bridges by 2026"
    assert header(alert, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(
        r"<(https://claims\.example/alerts/unsubscribe/\S+/)>", header(alert, "List-Unsubscribe")
    )
    assert unsubscribe is not None, header(alert, "List-Unsubscribe")
    body = plain_text(alert)
    assert f"New status: {update.status.label}" in body
    assert rationale in body
    assert rationale in html(alert)

    # The reader's mail program sends the RFC 8058 POST: no CSRF token, no cookie, just the body.
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(unsubscribe[1]).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscription.objects.filter(email="reader@example.org").exists()


def test_a_recipient_the_server_refuses_with_550_fails_at_once_with_the_servers_answer(sink):
    sink.refuse["nobody@example.org"] = "550 5.1.1 No such user here"
    email = a_queued_email("nobody@example.org")

    assert mail.send_due() == 0

    email.refresh_from_db()
    assert email.state == EmailState.FAILED
    assert email.attempts == 1
    assert email.last_error == "550 5.1.1 No such user here"
    assert sink.received == []
    # Not tried again: a failed email waits for an editor.
    assert mail.send_due() == 0
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.FAILED, 1)


def test_a_recipient_the_server_defers_with_451_stays_pending_for_a_later_try(sink):
    sink.refuse["busy@example.org"] = "451 4.3.0 Mailbox busy, try again later"
    email = a_queued_email("busy@example.org")
    before = timezone.now()

    assert mail.send_due() == 0

    email.refresh_from_db()
    assert email.state == EmailState.PENDING
    assert email.attempts == 1
    assert email.last_error == "451 4.3.0 Mailbox busy, try again later"
    assert email.next_attempt_at >= before + mail.backoff(1)
    assert sink.received == []
    # Not due yet, so the next pass leaves it alone.
    assert mail.send_due() == 0
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_mail_server_that_is_not_listening_leaves_the_email_pending_for_a_later_try(sink, settings):
    settings.EMAIL_PORT = free_port()
    email = a_queued_email("reader@example.org")
    before = timezone.now()

    assert mail.send_due() == 0

    email.refresh_from_db()
    assert email.state == EmailState.PENDING
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    assert email.next_attempt_at >= before + mail.backoff(1)


def test_a_failed_email_retried_is_sent_on_the_next_pass_under_the_same_message_id(sink):
    sink.refuse["moved@example.org"] = "550 5.1.1 No such user here"
    email = a_queued_email("moved@example.org")
    mail.send_due()
    email.refresh_from_db()
    assert email.state == EmailState.FAILED
    sink.refuse.clear()  # the reader's mailbox is back

    assert mail.retry(email) is True

    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (EmailState.PENDING, 0, "")
    assert email.next_attempt_at <= timezone.now()
    assert mail.send_due() == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 1)
    assert sink.message_ids() == [email.message_id]
    # Only a failed email can be retried.
    assert mail.retry(email) is False
