"""A new endpoint starts from the present: the worker's first run does not send it the tracker's
whole history. An admin may ask for a backfill from a chosen day, which the worker queues in the
background, once per change, alongside the live events."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.keys import api_key_create
from claims.models import ClaimChange
from tests import factories
from tests.api_support import published_claim, record
from webhooks.delivery import backfill, fan_out
from webhooks.models import Delivery, WebhookEndpoint
from webhooks.services import endpoint_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_sending(settings, monkeypatch):
    # Only what is queued matters here; nothing leaves the machine.
    monkeypatch.setattr("webhooks.delivery.post", lambda **_: (204, ""))
    monkeypatch.setattr("webhooks.addresses.resolve", lambda host, port: [])


def an_endpoint(*, backfill_from: datetime.date | None = None) -> WebhookEndpoint:
    key, _ = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())
    endpoint = WebhookEndpoint(api_key=key, url="https://partner.example/hooks")
    endpoint_save(endpoint=endpoint, saved_by=None, backfill_from=backfill_from)
    return endpoint


def days_ago(change_claims, days: int) -> None:
    ClaimChange.objects.filter(claim__in=change_claims).update(
        recorded_at=timezone.now() - datetime.timedelta(days=days)
    )


def run_worker() -> None:
    call_command("deliver_webhooks", "--once", verbosity=0)


def sent_summaries() -> list[str]:
    return sorted(Delivery.objects.values_list("payload__claim__summary", flat=True))


def test_a_new_endpoint_does_not_receive_the_history_on_the_workers_first_run():
    old = published_claim(summary="Old claim")
    record(old, "kept")
    an_endpoint()

    run_worker()
    assert Delivery.objects.count() == 0

    published_claim(summary="New claim")
    run_worker()
    assert sent_summaries() == ["New claim"]


def test_a_backfill_sends_the_changes_since_the_chosen_day_once_even_past_the_cursor():
    ancient, recent = published_claim(summary="Ancient"), published_claim(summary="Recent")
    days_ago([ancient], 30)
    days_ago([recent], 3)
    run_worker()  # the cursor has passed both before the endpoint exists

    endpoint = an_endpoint(backfill_from=timezone.localdate() - datetime.timedelta(days=7))
    published_claim(summary="Live")
    run_worker()
    run_worker()

    assert sent_summaries() == ["Live", "Recent"]
    endpoint.refresh_from_db()
    assert endpoint.backfill_after_change_id is None


def test_a_long_backfill_goes_in_batches_and_never_twice():
    claims = [published_claim(summary=f"Claim {n}") for n in range(5)]
    days_ago(claims, 2)
    fan_out()
    endpoint = an_endpoint(backfill_from=timezone.localdate() - datetime.timedelta(days=10))

    assert backfill(batch=2) == 2
    endpoint.refresh_from_db()
    assert endpoint.backfill_after_change_id is not None
    assert backfill(batch=2) == 2
    assert backfill(batch=2) == 1
    endpoint.refresh_from_db()
    assert endpoint.backfill_after_change_id is None
    assert backfill(batch=2) == 0

    # Asked again, it queues nothing twice.
    endpoint_save(endpoint=endpoint, saved_by=None, backfill_from=timezone.localdate() - datetime.timedelta(days=10))
    backfill()
    assert Delivery.objects.count() == 5


def test_the_admin_chooses_a_backfill_day_but_not_one_in_the_future(client):
    published_claim(summary="Last week")
    days_ago(ClaimChange.objects.values("claim"), 5)
    run_worker()
    admin = factories.UserFactory(username="chief")
    admin.groups.add(Group.objects.get(name="Admins"))
    client.force_login(admin)
    key, _ = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())
    form = {"api_key": key.pk, "url": "https://partner.example/hooks", "is_active": "on", "on_claim_published": "on"}
    add = reverse("admin:webhooks_webhookendpoint_add")

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(add, {**form, "backfill_from": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "today or a day in the past" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()

    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    client.post(add, {**form, "backfill_from": week_ago.isoformat()})
    run_worker()

    assert sent_summaries() == ["Last week"]


def test_the_endpoint_list_costs_the_same_queries_for_many_endpoints(client, django_assert_num_queries):
    admin = factories.SuperuserFactory()
    client.force_login(admin)
    for _ in range(3):
        an_endpoint()
    url = reverse("admin:webhooks_webhookendpoint_changelist")
    client.get(url)

    with django_assert_num_queries(7):
        client.get(url)
    for _ in range(5):
        an_endpoint()
    with django_assert_num_queries(7):
        client.get(url)
