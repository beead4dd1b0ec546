"""Redis as the cache and throttle store every app server shares, against the real server.

Runs when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0). Each test uses its own key
prefix and deletes its keys afterwards, so it never touches a live site's keys.
"""

from __future__ import annotations

import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from claimtracker.health import CACHE_INSTANCE_KEY
from tests.deploy_support import redis_url_or_skip

pytestmark = pytest.mark.redis


@pytest.fixture
def shared_redis(settings):
    """The site's cache pointed at Redis, plus a way to open another process's view of it."""
    url = redis_url_or_skip()
    prefix = f"claimtracker-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }

    def another_server() -> RedisCache:
        # A new backend has its own connection pool, as a cache in another process would.
        return RedisCache(url, {"KEY_PREFIX": prefix})

    yield another_server
    raw = redis.Redis.from_url(url)
    keys = list(raw.scan_iter(f"{prefix}:*"))
    if keys:
        raw.delete(*keys)


def test_a_value_cached_by_one_server_is_read_by_another(shared_redis):
    from django.core.cache import cache

    cache.set("claim:42:rendered", "<p>Kept</p>", timeout=60)
    assert shared_redis().get("claim:42:rendered") == "<p>Kept</p>"
    shared_redis().delete("claim:42:rendered")
    assert cache.get("claim:42:rendered") is None


class TwoPerMinute(AnonRateThrottle):
    rate = "2/minute"


def test_a_throttle_counts_requests_across_servers(shared_redis):
    """A client cannot double its allowance by landing on a different app server."""
    server_a, server_b = TwoPerMinute(), TwoPerMinute()
    server_a.cache, server_b.cache = shared_redis(), shared_redis()

    def allowed(throttle: AnonRateThrottle) -> bool:
        request = Request(RequestFactory().get("/api/claims/", REMOTE_ADDR="203.0.113.7"))
        return throttle.allow_request(request, view=None)

    assert allowed(server_a)
    assert allowed(server_b)
    assert not allowed(server_a)
    assert not allowed(server_b)


@pytest.mark.django_db
def test_readyz_reports_the_cache_instance_kept_in_redis(shared_redis, client):
    body = client.get("/readyz").json()
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["cache"]["instance"] == shared_redis().get(CACHE_INSTANCE_KEY)
