"""The worker polls every few seconds: a pass with nothing to do only reads, so it never holds a
lock other writers wait for (SQLite's write lock, PostgreSQL's row lock on the cursor)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_support import published_claim, record
from tests.test_webhooks_backfill import an_endpoint
from webhooks.delivery import backfill, fan_out, send_due
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_sending(monkeypatch):
    monkeypatch.setattr("webhooks.delivery.post", lambda **_: (204, ""))
    monkeypatch.setattr("webhooks.addresses.resolve", lambda host, port: [])


def writes_and_locks(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")) or "FOR UPDATE" in query["sql"]
    ]


def worker_pass() -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        fan_out()
        backfill()
        send_due()
    return queries


def test_a_pass_with_nothing_new_takes_no_lock_and_writes_nothing():
    an_endpoint()
    record(published_claim(summary="Already sent"), "kept")
    worker_pass()
    worker_pass()  # The first pass's deliveries are sent; now there is nothing left.

    assert writes_and_locks(worker_pass()) == []


def test_a_pass_after_a_new_change_still_fans_it_out():
    an_endpoint()
    worker_pass()
    record(published_claim(summary="New since the last pass"), "kept")

    assert writes_and_locks(worker_pass()) != []
    assert Delivery.objects.filter(payload__claim__summary="New since the last pass").exists()
