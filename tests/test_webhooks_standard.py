"""Deliveries follow Standard Webhooks: webhook-id / webhook-timestamp / webhook-signature headers,
whsec_ secrets, checked by the `standardwebhooks` library partners use; an admin rotates a secret
(shown once) and for an overlap window both secrets sign, then only the new one."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.keys import api_key_create
from tests import factories
from webhooks.models import Delivery, WebhookEndpoint
from webhooks.services import endpoint_rotate_secret, endpoint_save, endpoint_send_test
from webhooks.signing import SECRET_FORMAT

# partner.example: see tests/conftest.py
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_example_resolves")]


@pytest.fixture
def received(settings) -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A partner's receiver on 127.0.0.1 that records each POST's headers and raw body."""
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    requests: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            requests.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def an_endpoint(url: str) -> tuple[WebhookEndpoint, str]:
    key, _ = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())
    endpoint = WebhookEndpoint(api_key=key, url=url)
    return endpoint, endpoint_save(endpoint=endpoint, saved_by=None)


def accepts(secret: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except WebhookVerificationError:
        return False
    return True


def ping(endpoint: WebhookEndpoint) -> None:
    endpoint_send_test(endpoint=endpoint)
    call_command("deliver_webhooks", "--once", verbosity=0)


def test_the_headers_and_secret_follow_the_standard(received):
    url, requests = received
    endpoint, secret = an_endpoint(url)

    ping(endpoint)

    headers, body = requests[0]
    assert re.fullmatch(SECRET_FORMAT, secret)
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert headers["webhook-id"] == Delivery.objects.get().webhook_id
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    signature = headers["webhook-signature"]
    assert re.fullmatch(r"v1,[A-Za-z0-9+/]+={0,2}", signature)
    # The signed content, spelled out as the standard does: "<id>.<timestamp>.<body>".
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert signature == f"v1,{expected}"
    assert accepts(secret, headers, body)
    assert "X-Claimtracker-Signature" not in headers


def test_rotating_a_secret_signs_with_both_until_the_window_ends_then_only_the_new(received, settings):
    settings.WEBHOOKS_SECRET_OVERLAP_HOURS = 24
    url, requests = received
    endpoint, old = an_endpoint(url)

    new = endpoint_rotate_secret(endpoint=endpoint)
    ping(endpoint)

    headers, body = requests[-1]
    assert new != old
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert accepts(new, headers, body)
    assert accepts(old, headers, body)
    endpoint.refresh_from_db()
    assert endpoint.previous_secret_expires_at - timezone.now() > datetime.timedelta(hours=23)

    WebhookEndpoint.objects.update(previous_secret_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    ping(endpoint)

    headers, body = requests[-1]
    assert len(headers["webhook-signature"].split(" ")) == 1
    assert accepts(new, headers, body)
    assert not accepts(old, headers, body)
    endpoint.refresh_from_db()
    assert (endpoint.previous_secret, endpoint.previous_secret_expires_at) == ("", None)


def test_the_admin_rotates_a_secret_and_sees_the_new_one_once(client, received):
    url, _ = received
    endpoint, old = an_endpoint(url)
    admin = factories.UserFactory(username="chief")
    admin.groups.add(Group.objects.get(name="Admins"))
    client.force_login(admin)

    response = client.post(
        reverse("admin:webhooks_webhookendpoint_changelist"),
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )

    endpoint.refresh_from_db()
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request)) + response.content.decode()
    assert endpoint.secret != old
    assert endpoint.previous_secret == old
    assert endpoint.secret in shown
    page = client.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in page
    assert old not in page
    assert "previous secret also signs until" in page


def test_every_try_of_one_delivery_carries_the_same_id_and_deliveries_differ():
    key, _ = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())
    endpoint = WebhookEndpoint(api_key=key, url="https://partner.example/hooks")
    endpoint_save(endpoint=endpoint, saved_by=None)

    ids = {endpoint_send_test(endpoint=endpoint).webhook_id for _ in range(3)}

    assert len(ids) == 3
    assert all(webhook_id.startswith("msg_") for webhook_id in ids)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_secret_keeps_its_key_in_the_standard_form_and_old_errors_are_tidied():
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0003_status_removed_event")])
    apps = executor.loader.project_state([("webhooks", "0003_status_removed_event")]).apps
    ApiKey = apps.get_model("api", "ApiKey")
    Endpoint = apps.get_model("webhooks", "WebhookEndpoint")
    OldDelivery = apps.get_model("webhooks", "Delivery")
    key = ApiKey.objects.create(
        name="Old partner", owner_id=factories.ViewerFactory().pk, prefix="oldpartn", hashed_key="a" * 64
    )
    hex_secret = "ab" * 32
    old = Endpoint.objects.create(api_key=key, url="https://partner.example/hooks", secret=hex_secret)
    for error in ["[Errno 111] Connection refused", "HTTP 500"]:
        OldDelivery.objects.create(endpoint=old, event="ping", payload={}, last_error=error)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    endpoint = WebhookEndpoint.objects.get(pk=old.pk)
    assert endpoint.secret == "whsec_" + base64.b64encode(hex_secret.encode()).decode()
    assert base64.b64decode(endpoint.secret.removeprefix("whsec_")) == hex_secret.encode()
    assert endpoint.send_changes_from == endpoint.created_at
    assert len(set(Delivery.objects.values_list("webhook_id", flat=True))) == 2
    # A stored socket error said which ports answered: it becomes the one plain phrase.
    assert sorted(Delivery.objects.values_list("last_error", flat=True)) == ["HTTP 500", "could not connect"]
