import fnmatch
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from accounts import roles
from tests import factories
from tests.api_support import Received, Receiver, partner_client
from tests.browser.data import World, build_world

# The one list of what the fast lane (`make test-fast`: -m "not slow and not browser") leaves out:
# real browsers, concurrent processes, backups and database moves, the full-size import, the tests
# that need a second server, a standby or Redis, and the generated client and the fuzzer.
SLOW_TEST_FILES = (
    "test_*_browser.py",
    "test_concurrent_editors.py",
    "test_backup_*.py",
    "test_move_to_postgresql.py",
    "test_imports_large.py",
    "test_two_servers.py",
    "test_replica.py",
    "test_redis_cache.py",
    "test_api_generated_client.py",
    "test_api_fuzz.py",
    "test_readers_email_workers.py",
    "test_edge_cache_varnish.py",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(fnmatch.fnmatch(item.path.name, pattern) for pattern in SLOW_TEST_FILES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    # Hashing with the real algorithm makes each login cost a fraction of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A local-memory cache keeps its entries from one test to the next (they live in the process):
    # rendered pages, API answers, the API's rate-limit counts. Each test starts without any.
    cache.clear()


@pytest.fixture(autouse=True)
def _api_contract(request, monkeypatch):
    """Every request an API test (tests/test_api_*.py) sends must keep to the OpenAPI schema."""
    module = getattr(request.node, "module", None)
    if module is None or not module.__name__.startswith("tests.test_api_"):
        return
    from django.test import Client

    from tests.openapi_contract import check_exchange

    original = Client.request

    def checked(self, **kwargs):
        response = original(self, **kwargs)
        check_exchange(response)
        return response

    monkeypatch.setattr(Client, "request", checked)


# Shared personas, built from tests/factories.py. A test asks for the people it needs by name.


@pytest.fixture
def editor(db):
    """A member of the Editors group: writes claims and records statuses."""
    return factories.EditorFactory()


@pytest.fixture
def viewer(db):
    """A member of the Viewers group: reads everything, changes nothing."""
    return factories.ViewerFactory()


@pytest.fixture
def admin_user(db):
    """A member of the Admins group, not a superuser: the newsroom's day-to-day administrator.

    This replaces pytest-django's ``admin_user`` (a superuser), and so its ``admin_client`` logs this
    user in; a test that needs every permission asks for ``superuser``.
    """
    user = factories.UserFactory(username="chief")
    user.groups.add(Group.objects.get(name=roles.ADMINS))
    return user


@pytest.fixture
def superuser(db):
    return factories.SuperuserFactory()


@pytest.fixture
def partner(db) -> Client:
    """An API client sending a partner (viewer's) key."""
    return partner_client()


@pytest.fixture
def editor_client(editor) -> Client:
    """A Client logged in to the admin as ``editor``."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def world() -> World:
    """The small published world of tests/browser/data.py: the pages', feeds' and browser tests' data.

    A module that needs more (or another world) defines its own ``world``."""
    return build_world()


@pytest.fixture
def partner_example_resolves(monkeypatch):
    """partner.example answers a public address, without asking a real DNS server (addresses and
    localhost resolve as usual): webhook endpoints there pass the SSRF check in tests."""
    real = socket.getaddrinfo
    monkeypatch.setattr(
        "webhooks.addresses.resolve",
        lambda host, port: (
            [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]
            if host == "partner.example"
            else real(host, port, type=socket.SOCK_STREAM)
        ),
    )


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    """A partner's webhook endpoint on 127.0.0.1 (so the development allowance is on): it records each
    POST's headers and raw body, and answers with ``receiver.answers`` in turn, then 204."""
    settings.WEBHOOKS_ALLOW_INSECURE_LOCALHOST = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(Received(headers=dict(self.headers), body=body))
            time.sleep(state.delay)
            code = state.answers.pop(0) if state.answers else 204
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/claims"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
