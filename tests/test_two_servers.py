"""Two app servers behind one load balancer: one PostgreSQL database, one Redis, no other link.

Starts two real gunicorn servers with production settings through ``scripts/serve.sh`` on
127.0.0.1, then shows that what happens through one is seen through the other. Needs
DATABASE_URL on PostgreSQL and REDIS_URL; the servers use the test database.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from claims import services
from claimtracker.health import CACHE_INSTANCE_KEY
from tests.deploy_support import TEST_SECRET_KEY, Server, redis_url_or_skip, unavailable
from tests.factories import ClaimFactory, SuperuserFactory

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.twoservers,
    pytest.mark.skipif(
        not (ON_POSTGRESQL and os.environ.get("REDIS_URL")) and os.environ.get("CLAIMTRACKER_REQUIRE_SERVICES") != "1",
        reason="set DATABASE_URL to PostgreSQL and REDIS_URL to run the two-server tests",
    ),
    # The servers are other processes: they only see committed rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Browser:
    """Just enough of a browser for the admin: keeps cookies, does not follow redirects."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, form: dict[str, str] | None = None) -> tuple[int, dict, str]:
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            conn.close()

    def get(self, url: str) -> tuple[int, dict, str]:
        return self.request("GET", url)

    def post_form(self, url: str, form: dict[str, str], *, page_url: str | None = None) -> tuple[int, dict, str]:
        """GET the page with the form for its CSRF token, then POST the form with it."""
        _, _, page = self.get(page_url or url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", url, {"csrfmiddlewaretoken": token, **form})


@pytest.fixture(scope="module")
def servers(tmp_path_factory, django_db_setup):
    """Servers A and B, started once for this module, on the test database."""
    if not ON_POSTGRESQL:
        unavailable("set DATABASE_URL to PostgreSQL to run the two-server tests")
    redis_url = redis_url_or_skip()
    db = connection.settings_dict
    prefix = f"claimtracker-test-{uuid.uuid4().hex[:12]}"
    env = {
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings.production",
        "SECRET_KEY": TEST_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://claims.example/",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_REPLICA_URLS": "",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "WEB_CONCURRENCY": "2",
    }
    logs = tmp_path_factory.mktemp("servers")
    # The test database is migrated already, and a migrate run's post_migrate rows would clash
    # with the data the tests restore. They start one after the other as both collect static files.
    started = []
    try:
        for name in ("a", "b"):
            server = Server({**env, "SERVE_MIGRATE": "0"}, logs / f"server-{name}.log")
            started.append(server)
            server.wait_until_up()
        yield started[0], started[1], RedisCache(redis_url, {"KEY_PREFIX": prefix})
    finally:
        for server in started:
            server.stop()
        raw = redis.Redis.from_url(redis_url)
        keys = list(raw.scan_iter(f"{prefix}:*"))
        if keys:
            raw.delete(*keys)


def test_a_sign_in_through_one_server_is_honoured_by_the_other(servers, settings):
    server_a, server_b, _ = servers
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    editor = SuperuserFactory(username="night-editor", first_name="Nightdesk", password=PASSWORD)

    browser = Browser()
    status, headers, _ = browser.post_form(
        f"{server_a.url}/admin/login/?next=/admin/", {"username": "night-editor", "password": PASSWORD}
    )
    assert (status, headers["Location"]) == (302, "/admin/")

    # Server A wrote the session and the last login; server B reads both from PostgreSQL.
    status, _, page = browser.get(f"{server_b.url}/admin/")
    assert status == 200
    assert re.search(r"Welcome,\s*<strong>Nightdesk</strong>", page)
    editor.refresh_from_db()
    assert editor.last_login is not None

    # Signing out through B ends the session for A too.
    status, _, _ = browser.post_form(f"{server_b.url}/admin/logout/", {}, page_url=f"{server_b.url}/admin/")
    assert status == 200
    status, headers, _ = browser.get(f"{server_a.url}/admin/")
    assert status == 302
    assert headers["Location"].startswith("/admin/login/")


def test_an_edit_is_published_through_both_servers(servers):
    server_a, server_b, _ = servers
    claim = ClaimFactory(summary="The bridge will open by spring")
    for server in (server_a, server_b):
        status, _, page = Browser().get(f"{server.url}{claim.get_absolute_url()}")
        assert status == 200
        assert "The bridge will open by spring" in page

    # Through the same service the admin and the API use (it moves the claim's version and
    # updated_at, which the page caches are keyed on).
    claim.summary = "The bridge will open by summer"
    services.claim_save(claim=claim, saved_by=None)
    status, _, page = Browser().get(f"{server_b.url}{claim.get_absolute_url()}")
    assert "The bridge will open by summer" in page


def test_both_servers_share_one_cache(servers):
    server_a, server_b, redis_cache = servers
    reports = [json.loads(Browser().get(f"{server.url}/readyz")[2]) for server in (server_a, server_b)]
    for report in reports:
        assert report["status"] == "ok", report
    instance_a, instance_b = (report["checks"]["cache"]["instance"] for report in reports)
    assert instance_a == instance_b == redis_cache.get(CACHE_INSTANCE_KEY)


def test_servers_log_each_request_as_json(servers):
    server_a, _, _ = servers
    Browser().get(f"{server_a.url}/healthz?probe=json-log")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "json-log" not in server_a.output():
        time.sleep(0.1)
    # Migrate's progress lines come first; everything gunicorn and Django log is JSON.
    entries = [json.loads(line) for line in server_a.output().splitlines() if line.startswith("{")]
    access = [
        entry for entry in entries if entry["logger"] == "gunicorn.access" and entry.get("query") == "probe=json-log"
    ]
    assert access, server_a.output()
    assert {"method": "GET", "path": "/healthz", "status": 200}.items() <= access[0].items()
    assert any(entry["logger"] == "gunicorn.error" and "Booting worker" in entry["message"] for entry in entries)
