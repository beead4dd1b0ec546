"""Deliveries follow Standard Webhooks: webhook-id / webhook-timestamp / webhook-signature headers,
whsec_ secrets, checked by the `standardwebhooks` library partners use; an admin rotates a secret
(shown once) and for an overlap window both secrets sign, then only the new one."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from api.keys import api_key_create
from tests import factories
from tests.api_support import verify
from webhooks.models import Delivery, WebhookEndpoint
from webhooks.services import endpoint_rotate_secret, endpoint_save, endpoint_send_test
from webhooks.signing import SECRET_FORMAT

# partner.example: see tests/conftest.py
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_example_resolves")]


def an_endpoint(url: str) -> tuple[WebhookEndpoint, str]:
    key, _ = api_key_create(name="Daily Planet", owner=factories.ViewerFactory())
    endpoint = WebhookEndpoint(api_key=key, url=url)
    return endpoint, endpoint_save(endpoint=endpoint, saved_by=None)


def ping(endpoint: WebhookEndpoint) -> None:
    endpoint_send_test(endpoint=endpoint)
    call_command("deliver_webhooks", "--once", verbosity=0)


def test_the_headers_and_secret_follow_the_standard(receiver):
    endpoint, secret = an_endpoint(receiver.url)

    ping(endpoint)

    request = receiver.received[0]
    headers, body = request.headers, request.body
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
    assert verify(secret=secret, request=request)
    assert "X-Claimtracker-Signature" not in headers


def test_rotating_a_secret_signs_with_both_until_the_window_ends_then_only_the_new(receiver, settings):
    settings.WEBHOOKS_SECRET_OVERLAP_HOURS = 24
    endpoint, old = an_endpoint(receiver.url)

    new = endpoint_rotate_secret(endpoint=endpoint)
    ping(endpoint)

    request = receiver.received[-1]
    assert new != old
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verify(secret=new, request=request)
    assert verify(secret=old, request=request)
    endpoint.refresh_from_db()
    assert endpoint.previous_secret_expires_at - timezone.now() > datetime.timedelta(hours=23)

    WebhookEndpoint.objects.update(previous_secret_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    ping(endpoint)

    request = receiver.received[-1]
    assert len(request.headers["webhook-signature"].split(" ")) == 1
    assert verify(secret=new, request=request)
    assert not verify(secret=old, request=request)
    endpoint.refresh_from_db()
    assert (endpoint.previous_secret, endpoint.previous_secret_expires_at) == ("", None)


def test_the_admin_rotates_a_secret_and_sees_the_new_one_once(client, receiver):
    endpoint, old = an_endpoint(receiver.url)
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
