"""Admins register endpoints (the secret is shown once), queue test events, filter and replay
deliveries; editors and viewers see none of it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from api.keys import api_key_create
from tests import factories
from webhooks.models import Delivery, DeliveryState, Event, WebhookEndpoint
from webhooks.services import endpoint_save

# partner.example: see tests/conftest.py
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_example_resolves")]


@pytest.fixture
def an_admin():
    user = factories.UserFactory(username="chief")
    user.groups.add(Group.objects.get(name="Admins"))
    return user


@pytest.fixture
def a_partner_key():
    return api_key_create(name="Daily Planet", owner=factories.ViewerFactory())[0]


def an_endpoint(key) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(api_key=key, url="https://partner.example/hooks")
    endpoint_save(endpoint=endpoint, saved_by=None)
    return endpoint


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(client, an_admin, a_partner_key):
    client.force_login(an_admin)
    response = client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {
            "api_key": a_partner_key.pk,
            "url": "https://partner.example/hooks",
            "description": "Daily Planet newsroom",
            "is_active": "on",
            "on_status_recorded": "on",
            "on_claim_withdrawn": "on",
        },
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get()
    shown = [str(message) for message in get_messages(response.wsgi_request)] + [response.content.decode()]
    assert any(endpoint.secret in text for text in shown)
    assert endpoint.created_by == an_admin
    assert (endpoint.on_status_recorded, endpoint.on_correction_recorded) == (True, False)

    page = client.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.secret not in page.content.decode()
    client.get(reverse("admin:webhooks_webhookendpoint_changelist"))
    listing = client.get(reverse("admin:webhooks_webhookendpoint_changelist"))
    assert endpoint.secret not in listing.content.decode()


def test_an_http_address_elsewhere_is_refused_in_the_form(client, an_admin, a_partner_key):
    client.force_login(an_admin)
    response = client.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"api_key": a_partner_key.pk, "url": "http://partner.example/hooks", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "must use https://" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_send_test_event_action_queues_a_ping(client, an_admin, a_partner_key):
    endpoint = an_endpoint(a_partner_key)
    client.force_login(an_admin)
    client.post(
        reverse("admin:webhooks_webhookendpoint_changelist"),
        {"action": "send_test_event", "_selected_action": [endpoint.pk]},
    )

    assert list(Delivery.objects.values_list("event", "state")) == [(Event.PING, DeliveryState.PENDING)]


def test_deliveries_filter_by_state_and_failed_ones_can_be_replayed(client, an_admin, a_partner_key):
    endpoint = an_endpoint(a_partner_key)
    failed = Delivery.objects.create(
        endpoint=endpoint, event=Event.PING, payload={}, state=DeliveryState.FAILED, attempts=8, last_response_code=500
    )
    delivered = Delivery.objects.create(endpoint=endpoint, event=Event.PING, payload={}, state=DeliveryState.DELIVERED)
    client.force_login(an_admin)
    changelist = reverse("admin:webhooks_delivery_changelist")

    listed = client.get(changelist, {"state__exact": "failed"}).context["cl"].result_list
    assert list(listed) == [failed]
    assert client.get(changelist, {"state__exact": "pending"}).context["cl"].result_count == 0

    client.post(changelist, {"action": "replay", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    delivered.refresh_from_db()
    assert (failed.state, failed.attempts) == (DeliveryState.PENDING, 0)
    assert delivered.state == DeliveryState.DELIVERED


def test_a_delivery_cannot_be_edited_in_the_admin(client, an_admin, a_partner_key):
    delivery = Delivery.objects.create(endpoint=an_endpoint(a_partner_key), event=Event.PING, payload={})
    client.force_login(an_admin)
    url = reverse("admin:webhooks_delivery_change", args=[delivery.pk])

    client.post(url, {"state": "delivered"})
    delivery.refresh_from_db()

    assert client.get(url).status_code == 200
    assert delivery.state == DeliveryState.PENDING
    assert client.get(reverse("admin:webhooks_delivery_add")).status_code == 403


@pytest.mark.parametrize("persona", [factories.EditorFactory, factories.ViewerFactory])
def test_editors_and_viewers_see_no_webhooks(client, persona):
    client.force_login(persona())

    assert client.get(reverse("admin:webhooks_webhookendpoint_changelist")).status_code == 403
    assert client.get(reverse("admin:webhooks_delivery_changelist")).status_code == 403
