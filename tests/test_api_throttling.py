import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.settings import api_settings

from tests.api_support import error_of, partner_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _low_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/minute", "api_key": "6/minute"},
    }
    assert api_settings.DEFAULT_THROTTLE_RATES["anonymous"] == "3/minute"


def test_anonymous_clients_get_a_429_with_retry_after_past_the_modest_limit():
    anonymous = Client()
    statuses = [anonymous.get("/api/v1/statuses").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = anonymous.get("/api/v1/statuses")
    assert int(response["Retry-After"]) > 0
    assert error_of(response)["code"] == "throttled"


def test_a_partner_key_has_its_own_higher_limit():
    Client().get("/api/v1/statuses")
    partner = partner_client()

    statuses = [partner.get("/api/v1/statuses").status_code for _ in range(7)]

    assert statuses == [200] * 6 + [429]
    assert int(partner.get("/api/v1/statuses")["Retry-After"]) > 0


def test_each_key_is_counted_separately():
    first, second = partner_client(), partner_client()
    for _ in range(6):
        first.get("/api/v1/statuses")

    assert first.get("/api/v1/statuses").status_code == 429
    assert second.get("/api/v1/statuses").status_code == 200
