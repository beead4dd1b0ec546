"""Partners' webhooks, sent by the worker to a real HTTP receiver on 127.0.0.1: bodies signed as
Standard Webhooks (checked with the `standardwebhooks` library partners use), retries with backoff,
giving up, replay, filters by person and topic, and nothing for drafts."""

from __future__ import annotations

import datetime
import os
import signal
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.keys import api_key_create, api_key_revoke
from claims import services
from claims.models import Status
from tests import factories
from tests.api_support import Received, published_claim, record, verify
from tests.factories import record_status
from webhooks.delivery import backoff, fan_out
from webhooks.models import Delivery, WebhookEndpoint
from webhooks.services import delivery_replay, endpoint_save, endpoint_send_test
from webhooks.signing import new_secret, sign

# partner.example: see tests/conftest.py
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_example_resolves")]


@pytest.fixture(autouse=True)
def _local_endpoints_allowed(settings):
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    settings.WEBHOOKS_BACKOFF_SECONDS = 30
    settings.WEBHOOKS_BACKOFF_MAX_SECONDS = 3600
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example/"


def a_partner_endpoint(url: str, *, people=(), topics=(), **flags) -> tuple[WebhookEndpoint, str]:
    key, _ = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())
    endpoint = WebhookEndpoint(api_key=key, url=url, **flags)
    secret = endpoint_save(endpoint=endpoint, saved_by=factories.SuperuserFactory())
    endpoint.people.set(people)
    endpoint.topics.set(topics)
    return endpoint, secret


def run_worker() -> None:
    call_command("deliver_webhooks", "--once", verbosity=0)


def make_due(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def test_a_published_status_update_reaches_the_partner_signed_with_its_secret(receiver):
    endpoint, secret = a_partner_endpoint(receiver.url)
    claim = published_claim(summary="Ten new bridges")
    update = record(claim, "in-the-works")

    run_worker()

    assert receiver.events() == ["claim_published", "status_recorded"]
    request = receiver.received[1]
    assert secret.startswith("whsec_")
    assert verify(secret=secret, request=request)
    assert not verify(secret=new_secret(), request=request)
    assert not verify(secret=secret, request=Received(headers=request.headers, body=request.body + b" "))
    assert request.headers["webhook-id"] == Delivery.objects.get(change=update.changes.get()).webhook_id
    assert request.headers["X-Claimtracker-Event"] == "status_recorded"
    body = request.json
    assert body["change_id"] == update.changes.get().pk
    assert body["claim"]["id"] == claim.pk
    assert body["claim"]["slug"] == claim.slug
    assert body["claim"]["public_url"] == f"https://claims.example/claims/{claim.slug}/"
    assert body["claim"]["current_status"]["slug"] == "in-the-works"
    assert body["status_update"]["id"] == update.pk
    assert body["status_update"]["status"]["slug"] == "in-the-works"
    assert body["occurred_at"]
    assert set(Delivery.objects.filter(endpoint=endpoint).values_list("state", flat=True)) == {"delivered"}


def test_an_old_or_garbled_signature_is_refused_by_the_partners_library():
    secret = new_secret()
    old = int(time.time()) - 3600
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(old)}

    signed_long_ago = {
        **headers,
        "webhook-signature": sign(secret=secret, webhook_id="msg_1", timestamp=old, body=b"{}"),
    }
    assert not verify(secret=secret, request=Received(headers=signed_long_ago, body=b"{}"))
    now = {"webhook-id": "msg_1", "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,Z2FyYmFnZQ=="}
    assert not verify(secret=secret, request=Received(headers=now, body=b"{}"))


def test_a_correction_is_its_own_event(receiver):
    a_partner_endpoint(receiver.url, on_claim_published=False)
    claim = published_claim()
    mistaken = record(claim, "kept")
    record(claim, "stalled", corrects=mistaken)

    run_worker()

    assert receiver.events() == ["status_recorded", "correction_recorded"]
    assert receiver.received[1].json["status_update"]["corrects"] == mistaken.pk


def test_after_a_500_the_delivery_waits_with_backoff_then_succeeds(receiver):
    a_partner_endpoint(receiver.url, on_claim_published=False)
    record(published_claim(), "kept")
    receiver.answers = [500]

    before = timezone.now()
    run_worker()
    delivery = Delivery.objects.get()

    assert delivery.state == "pending"
    assert delivery.attempts == 1
    assert delivery.last_response_code == 500
    assert delivery.last_error == "HTTP 500"
    # First retry: 30 s, plus at most 20% jitter.
    assert before + datetime.timedelta(seconds=30) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=36)

    run_worker()
    assert len(receiver.received) == 1, "not due yet: nothing is sent"

    make_due(delivery)
    run_worker()
    delivery.refresh_from_db()

    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body
    # The same message id on every try, so the partner can skip one it has already handled.
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
    assert receiver.received[1].headers["webhook-id"] == delivery.webhook_id
    assert delivery.state == "delivered"
    assert delivery.attempts == 2
    assert delivery.last_response_code == 204
    assert delivery.delivered_at is not None


def test_backoff_doubles_each_time_and_is_capped(settings):
    settings.WEBHOOKS_BACKOFF_SECONDS = 10
    settings.WEBHOOKS_BACKOFF_MAX_SECONDS = 100

    for attempts, base in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        wait = backoff(attempts).total_seconds()
        assert base <= wait <= base * 1.2, (attempts, wait)


def test_the_worker_gives_up_after_the_maximum_attempts(receiver):
    a_partner_endpoint(receiver.url, on_claim_published=False)
    record(published_claim(), "kept")
    receiver.answers = [500, 502, 503]

    for _ in range(3):
        Delivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
        run_worker()
    delivery = Delivery.objects.get()

    assert delivery.state == "failed"
    assert delivery.attempts == 3
    assert delivery.last_response_code == 503
    assert len(receiver.received) == 3


def test_a_partner_that_does_not_answer_in_time_is_a_failed_try(receiver, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 1
    receiver.delay = 1.5
    a_partner_endpoint(receiver.url, on_claim_published=False)
    record(published_claim(), "kept")

    started = time.monotonic()
    run_worker()

    assert time.monotonic() - started < 5
    delivery = Delivery.objects.get()
    assert delivery.state == "pending"
    assert delivery.last_response_code is None
    assert "timed out" in delivery.last_error


def test_a_replayed_delivery_is_sent_again_with_the_same_body(receiver):
    _, secret = a_partner_endpoint(receiver.url, on_claim_published=False)
    record(published_claim(), "kept")
    run_worker()
    delivery = Delivery.objects.get()

    delivery_replay(delivery=delivery)
    run_worker()
    delivery.refresh_from_db()

    assert receiver.events() == ["status_recorded", "status_recorded"]
    assert receiver.received[0].body == receiver.received[1].body
    assert verify(secret=secret, request=receiver.received[1])
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
    assert delivery.state == "delivered"
    assert delivery.attempts == 1
    assert Delivery.objects.count() == 1


def test_an_endpoint_for_certain_people_or_topics_gets_only_their_claims(receiver):
    ada, bob = factories.PersonFactory(name="Ada"), factories.PersonFactory(name="Bob")
    housing, roads = factories.TopicFactory(name="Housing"), factories.TopicFactory(name="Roads")
    a_partner_endpoint(receiver.url, people=[ada], on_status_recorded=False)
    a_partner_endpoint(receiver.url, topics=[roads], on_status_recorded=False)
    a_partner_endpoint(receiver.url, people=[bob], topics=[housing], on_status_recorded=False)

    published_claim(claimant=ada, summary="Ada on housing", topics=[housing])
    published_claim(claimant=bob, summary="Bob on roads", topics=[roads])
    published_claim(claimant=bob, summary="Bob on nothing")
    run_worker()

    received = sorted(request.json["claim"]["summary"] for request in receiver.received)
    # Ada's endpoint: Ada's claim. Roads: Bob's roads claim. Bob + housing: nothing matches both.
    assert received == ["Ada on housing", "Bob on roads"]


def test_nothing_is_sent_for_drafts(receiver):
    editor = factories.EditorFactory()
    a_partner_endpoint(receiver.url)
    draft = published_claim(visibility="draft", summary="Still a draft")
    record(draft, "kept")
    record_status(
        claim=published_claim(summary="Public claim"),
        status=Status.objects.get(scale="promise", slug="broken"),
        effective_on=timezone.localdate(),
        rationale="Draft verdict, not yet public.",
        recorded_by=editor,
        publish=False,
    )
    services.claim_set_visibility(claim=draft, visibility="withdrawn", changed_by=editor, reason="Never confirmed.")

    run_worker()

    assert receiver.events() == ["claim_published"]
    assert receiver.received[0].json["claim"]["summary"] == "Public claim"


def test_publishing_a_draft_and_withdrawing_it_are_sent_the_withdrawal_without_its_content(receiver):
    editor = factories.EditorFactory()
    a_partner_endpoint(receiver.url)
    claim = published_claim(visibility="draft")
    services.claim_set_visibility(claim=claim, visibility="published", changed_by=editor)
    services.claim_set_visibility(
        claim=claim, visibility="withdrawn", changed_by=editor, reason="The interview was misattributed."
    )

    run_worker()

    assert receiver.events() == ["claim_withdrawn"]
    assert receiver.received[0].json["claim"] == {
        "id": claim.pk,
        "slug": claim.slug,
        "url": f"https://claims.example/claims/{claim.slug}/",
        "withdrawn": True,
        "reason": "The interview was misattributed.",
    }


def test_an_editors_save_only_logs_the_change_and_the_worker_sends_it(receiver):
    a_partner_endpoint(receiver.url)
    published_claim()

    assert Delivery.objects.count() == 0
    assert receiver.received == []

    run_worker()
    assert len(receiver.received) == 1


def test_each_change_fans_out_once(receiver):
    a_partner_endpoint(receiver.url)
    published_claim()

    assert fan_out() == 1
    assert fan_out() == 0
    assert Delivery.objects.count() == 1


def test_a_revoked_key_or_an_inactive_endpoint_receives_nothing(receiver):
    revoked, _ = a_partner_endpoint(receiver.url)
    api_key_revoke(key=revoked.api_key)
    a_partner_endpoint(receiver.url, is_active=False)
    published_claim()

    run_worker()

    assert receiver.received == []


def test_a_test_event_is_signed_like_the_others(receiver):
    endpoint, secret = a_partner_endpoint(receiver.url)
    endpoint_send_test(endpoint=endpoint)

    run_worker()

    assert receiver.events() == ["ping"]
    assert verify(secret=secret, request=receiver.received[0])


def test_a_redirect_is_not_followed(receiver):
    a_partner_endpoint(receiver.url)
    receiver.answers = [302]
    published_claim()

    run_worker()

    delivery = Delivery.objects.get()
    assert delivery.state == "pending"
    assert delivery.last_response_code == 302


def test_endpoints_must_use_https_unless_local_http_is_allowed(settings):
    key, _ = api_key_create(name="Partner", owner=factories.ViewerFactory())
    with pytest.raises(ValidationError):
        endpoint_save(endpoint=WebhookEndpoint(api_key=key, url="http://partner.example/hook"), saved_by=None)

    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = False
    with pytest.raises(ValidationError):
        endpoint_save(endpoint=WebhookEndpoint(api_key=key, url="http://127.0.0.1:9/hook"), saved_by=None)

    endpoint_save(endpoint=WebhookEndpoint(api_key=key, url="https://partner.example/hook"), saved_by=None)


def test_the_worker_loop_stops_cleanly_on_sigterm(receiver):
    a_partner_endpoint(receiver.url)
    published_claim()
    previous = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    started = time.monotonic()
    try:
        call_command("deliver_webhooks", "--sleep", "0.1", verbosity=0)
    finally:
        timer.cancel()

    assert time.monotonic() - started < 5
    assert len(receiver.received) == 1
    assert signal.getsignal(signal.SIGTERM) == previous


def test_a_removed_status_update_is_sent_with_its_reason_but_not_its_content(receiver):
    a_partner_endpoint(receiver.url)
    claim = published_claim(summary="Ten new bridges")
    update = record(claim, "kept")
    run_worker()
    receiver.received.clear()

    services.status_update_remove(update=update, removed_by=factories.SuperuserFactory(), reason="Court order.")
    run_worker()

    assert receiver.events() == ["status_removed"]
    body = receiver.received[0].json
    assert body["claim"]["current_status"]["slug"] == "not-yet-rated"
    removed = body["status_update"]
    assert (removed["id"], removed["effective_on"]) == (update.pk, update.effective_on.isoformat())
    assert (removed["status"], removed["rationale"], removed["removal_reason"]) == (None, None, "Court order.")
    assert removed["removed_at"]


def test_an_endpoint_can_leave_out_removals(receiver):
    a_partner_endpoint(receiver.url, on_status_removed=False)
    update = record(published_claim(), "kept")
    services.status_update_remove(update=update, removed_by=factories.SuperuserFactory(), reason="Privacy.")

    run_worker()

    assert receiver.events() == ["claim_published", "status_recorded"]


def test_a_verdict_awaiting_approval_is_sent_only_once_approved(receiver, settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    a_partner_endpoint(receiver.url)
    update = record(published_claim(), "kept")
    run_worker()
    assert receiver.events() == ["claim_published"]

    services.status_update_approve(update=update, approved_by=factories.EditorFactory())
    run_worker()

    assert receiver.events() == ["claim_published", "status_recorded"]
    assert receiver.received[1].json["status_update"]["approved_at"]


def test_the_claim_in_a_payload_carries_its_wording_and_date_as_the_api_does(receiver):
    a_partner_endpoint(receiver.url)
    claim = published_claim(
        kind="statement",
        wording="translation",
        wording_source=factories.SourceFactory(),
        original_language="uk",
        original_text="Ми збудуємо мости.",
        made_on=datetime.date(2025, 9, 1),
        made_on_precision="month",
    )

    run_worker()

    sent = receiver.received[0].json["claim"]
    api = Client().get(f"/api/v1/claims/{claim.pk}").json()
    fields = ("wording", "wording_source", "original_language", "original_text", "made_on")
    fields += ("made_on_precision", "made_until", "made_on_period")
    assert {name: sent[name] for name in fields} == {name: api[name] for name in fields}
    assert sent["made_on_period"] == "2025-09"
