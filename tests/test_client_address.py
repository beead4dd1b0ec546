"""Throttles and login lockouts take the client's address from our own proxies, never from a header any client sets."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from claimtracker.client_address import client_address

pytestmark = pytest.mark.django_db


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


def test_behind_one_proxy_the_entry_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "1.2.3.4" itself; our proxy appended the address it saw.
    assert client_address(request_from("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_outer_ones_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


def test_a_garbled_forwarded_entry_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"


@pytest.fixture
def three_a_minute(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/minute", "api_key": "6/minute"},
    }


def test_spoofed_forwarded_headers_do_not_buy_a_fresh_api_allowance(settings, three_a_minute):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    statuses = [
        client.get("/api/v1/statuses", HTTP_X_FORWARDED_FOR=f"203.0.113.{index}").status_code for index in range(6)
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_behind_a_proxy_each_real_client_has_its_own_allowance(settings, three_a_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")
    first = [client.get("/api/v1/statuses", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(4)]
    spoofing_first = client.get("/api/v1/statuses", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.1").status_code
    second = client.get("/api/v1/statuses", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code
    assert first == [200, 200, 200, 429]
    assert spoofing_first == 429
    assert second == 200


def test_spoofed_forwarded_headers_do_not_escape_a_login_lockout(client, settings):
    from django.urls import reverse

    from tests import factories

    settings.TRUSTED_PROXY_COUNT = 0
    editor = factories.EditorFactory()
    statuses = [
        client.post(
            reverse("admin:login"),
            {"username": editor.username, "password": "wrong", "next": "/admin/"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        ).status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT + 2)
    ]
    assert statuses[-2:] == [429, 429]
