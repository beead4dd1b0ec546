"""The repository's Varnish (deploy/varnish/claimtracker.vcl, with xkey) in front of the app: pages
are kept, and the purge worker's pass after a write makes the very next request show it.

The fixture starts a real ``varnishd`` on a free port of 127.0.0.1, with the VCL pointed at
pytest-django's live server, and stops it afterwards; the tests skip, saying what to install,
where Varnish or its xkey module is missing. The worker's pass is ``edgecache.purge.fan_out`` and
``send_due``, run here in the test process, as ``manage.py purge_edge_cache`` runs them each second.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import Client

from claims import services
from claims.models import Claim
from edgecache import purge
from people.models import Person
from people.services import person_save
from tests import factories
from tests.api_support import published_claim
from tests.factories import rate

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REPO = Path(__file__).resolve().parent.parent
VCL = REPO / "deploy" / "varnish" / "claimtracker.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VMOD_DIRS = [*Path("/usr/lib").glob("*/varnish/vmods"), Path("/usr/lib/varnish/vmods")]
MISSING = "Varnish is not installed here: apt-get install varnish varnish-modules (varnishd and the xkey vmod)"


def render_vcl(host: str, port: int) -> str:
    """The VCL with its backend at ``host:port``, as `make varnish` renders it."""
    text = VCL.read_text()
    text = re.sub(r'^(\s*\.host = )"[^"]*";', rf'\1"{host}";', text, count=1, flags=re.MULTILINE)
    return re.sub(r'^(\s*\.port = )"[^"]*";', rf'\1"{port}";', text, count=1, flags=re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache", "")


@dataclass
class Varnish:
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode(errors="replace"))
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, {name.replace("_", "-"): value for name, value in headers.items()})


def varnish_or_skip() -> None:
    if not Path(VARNISHD).exists() or not any((folder / "libvmod_xkey.so").exists() for folder in VMOD_DIRS):
        pytest.skip(MISSING)


@contextlib.contextmanager
def running_varnish(backend_port: int) -> Iterator[Varnish]:
    """varnishd in the foreground on a free port, with the repository's VCL in front of ``backend_port``."""
    workdir = Path(tempfile.mkdtemp(prefix="claimtracker-varnish-"))
    vcl = workdir / "claimtracker.vcl"
    vcl.write_text(render_vcl("127.0.0.1", backend_port))
    port = free_port()
    # -j none: run as whoever runs the tests (as root, Varnish would switch to its own user,
    # which cannot read a temporary folder); -T none: no management port.
    arguments = ["-F", "-j", "none", "-T", "none", "-a", f"127.0.0.1:{port}", "-f", str(vcl)]
    process = subprocess.Popen(  # noqa: S603 - fixed program and arguments
        [VARNISHD, *arguments, "-n", str(workdir / "instance"), "-s", "malloc,64m"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"varnishd stopped at start-up:\n{process.stdout.read() if process.stdout else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("varnishd did not listen within 30 s")
                time.sleep(0.1)
        yield Varnish(port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def varnishd(live_server) -> Iterator[Varnish]:
    """One Varnish for the module, in front of pytest-django's live server."""
    varnish_or_skip()
    with running_varnish(int(live_server.url.rsplit(":", 1)[1])) as running:
        yield running


@pytest.fixture
def varnish(varnishd, settings) -> Varnish:
    settings.EDGE_CACHE_PURGE_URLS = [varnishd.url]
    # Kept for hours: only a purge can make the next request a miss.
    settings.EDGE_CACHE_MAX_AGE = 6 * 3600
    # Nothing kept by the last test: every page a test reads starts as a miss.
    varnishd.request("PURGE", "/", {"xkey-purge": "site"})
    return varnishd


def worker_pass() -> None:
    """What `manage.py purge_edge_cache` does each second."""
    while purge.fan_out() == purge.FAN_OUT_BATCH:
        pass
    purge.send_due()


def status_panel(answer: Answer) -> str:
    """The claim page's "Current status" panel."""
    found = re.search(r'<aside class="status-panel".*?</aside>', answer.body, flags=re.DOTALL)
    assert found is not None, answer.body[:500]
    return found.group(0)


def a_pledge(slug: str = "ten-bridges", **fields: object) -> Claim:
    claimant = fields.pop("claimant", None) or factories.PersonFactory(name="Ada Mayor", slug="ada-mayor")
    claim = published_claim(claimant=claimant, slug=slug, summary=f"Pledge {slug}", **fields)
    worker_pass()
    return claim


def test_a_page_is_kept_and_a_second_request_is_a_hit(varnish):
    a_pledge()

    first = varnish.get("/claims/ten-bridges/")
    second = varnish.get("/claims/ten-bridges/")

    assert (first.status, first.cache) == (200, "MISS")
    assert (second.status, second.cache) == (200, "HIT")
    assert second.body == first.body
    # The tags are for the cache, not for readers, unless asked for.
    assert second.headers.get("xkey") is None
    assert varnish.get("/claims/ten-bridges/", X_Show_Cache_Tags="1").headers["xkey"] == "claim:ten-bridges site"
    assert "s-maxage=21600" in second.headers["Cache-Control"]


def test_an_editors_status_update_shows_on_the_very_next_request(varnish):
    claim = a_pledge()
    editor = factories.EditorFactory()
    assert "Not yet rated" in status_panel(varnish.get("/claims/ten-bridges/"))
    api_path = f"/api/v1/claims/{claim.pk}"
    showing = ["/claims/ten-bridges/", api_path, "/", "/claims/", "/people/ada-mayor/", "/api/v1/claims"]
    for path in showing:
        varnish.get(path)
        assert varnish.get(path).cache == "HIT", path

    rate(claim, "kept", claim.made_on, "The bridges were built.", by=editor)
    worker_pass()

    after = varnish.get("/claims/ten-bridges/")
    assert after.cache == "MISS"
    assert "Kept" in status_panel(after)
    assert "The bridges were built." in after.body
    assert varnish.get("/claims/ten-bridges/").cache == "HIT"
    assert '"kept"' in varnish.get(api_path).body
    # Everything that showed the claim was purged with it: the API's copy, the lists, its claimant's page.
    assert {path: varnish.get(path).cache for path in showing[2:]} == dict.fromkeys(showing[2:], "MISS")


def test_a_plans_change_refreshes_its_components_pages(varnish):
    ministry = factories.PersonFactory(slug="ministry")
    plan = a_pledge("roads-plan", claimant=ministry, kind="plan")
    a_pledge("fix-bridges", claimant=ministry, parent=plan)
    assert "Pledge roads-plan" in varnish.get("/claims/fix-bridges/").body
    assert varnish.get("/claims/fix-bridges/").cache == "HIT"

    plan.summary = "The national roads plan"
    services.claim_save(claim=plan, saved_by=factories.EditorFactory())
    worker_pass()

    after = varnish.get("/claims/fix-bridges/")
    assert after.cache == "MISS"
    assert "The national roads plan" in after.body


def test_a_persons_rename_refreshes_their_claims_pages(varnish):
    a_pledge()
    assert "Ada Mayor" in varnish.get("/claims/ten-bridges/").body
    assert varnish.get("/people/ada-mayor/").status == 200
    assert varnish.get("/claims/ten-bridges/").cache == "HIT"

    mayor = Person.objects.get(slug="ada-mayor")
    mayor.name, mayor.slug = "Ada Lovelace", "ada-lovelace"
    person_save(person=mayor, saved_by=factories.EditorFactory())
    worker_pass()

    after = varnish.get("/claims/ten-bridges/")
    assert after.cache == "MISS"
    assert "Ada Lovelace" in after.body
    assert "Ada Mayor" not in after.body
    # The page under the old address is gone from the cache too.
    assert varnish.get("/people/ada-mayor/").status == 404


def test_a_withdrawn_claim_answers_410_through_the_cache_at_once(varnish):
    claim = a_pledge()
    varnish.get("/claims/ten-bridges/")
    assert varnish.get("/claims/ten-bridges/").cache == "HIT"

    services.claim_set_visibility(
        claim=claim, visibility="withdrawn", changed_by=factories.EditorFactory(), reason="Misattributed."
    )
    worker_pass()

    first, second = varnish.get("/claims/ten-bridges/"), varnish.get("/claims/ten-bridges/")
    assert (first.status, second.status) == (410, 410)
    assert "Misattributed." in second.body
    assert second.cache != "HIT"


def test_a_signed_in_editor_bypasses_the_cache_and_no_cookie_is_ever_kept(varnish):
    a_pledge()
    browser = Client()
    browser.force_login(factories.EditorFactory())
    session = browser.cookies["sessionid"].value

    editors = [varnish.get("/claims/ten-bridges/", Cookie=f"sessionid={session}") for _ in range(2)]
    assert [answer.cache for answer in editors] == ["PASS", "PASS"]
    # An answer that sets a cookie (the admin's login form sets its CSRF cookie) goes to its own
    # client only: each client gets its own.
    logins = [varnish.get("/admin/login/") for _ in range(2)]
    tokens = [answer.headers["Set-Cookie"] for answer in logins]
    assert all("csrftoken=" in token for token in tokens)
    assert tokens[0] != tokens[1]
    assert all(answer.cache == "PASS" for answer in logins)


def test_an_answer_never_carries_another_clients_cookies(varnish):
    a_pledge()

    first = varnish.get("/claims/ten-bridges/", Cookie="csrftoken=reader-one-secret; theme=dark")
    second = varnish.get("/claims/ten-bridges/", Cookie="csrftoken=reader-two-secret")
    third = varnish.get("/claims/ten-bridges/")

    assert [first.cache, second.cache, third.cache] == ["MISS", "HIT", "HIT"]
    for answer in (first, second, third):
        assert answer.headers.get("Set-Cookie") is None
        assert "reader-one-secret" not in answer.body
        assert "reader-two-secret" not in answer.body


def test_api_clients_with_a_key_go_straight_through(varnish):
    a_pledge()
    varnish.get("/api/v1/claims")

    assert varnish.get("/api/v1/claims").cache == "HIT"
    assert varnish.get("/api/v1/claims", X_API_Key="any").cache == "PASS"
    assert varnish.get("/api/v1/claims", Authorization="Api-Key any").cache == "PASS"


def test_only_the_purge_worker_purges(varnish):
    assert varnish.request("PURGE", "/", {"xkey-purge": "site"}).status == 200
    assert varnish.request("PURGE", "/").status == 400
    # A PURGE relayed by a proxy (nginx in front, on this machine) carries the client's address.
    relayed = varnish.request("PURGE", "/", {"xkey-purge": "site", "X-Forwarded-For": "203.0.113.9"})
    assert relayed.status == 403


WRITES = 100


def test_after_each_of_100_writes_the_next_read_shows_it(varnish, capsys):
    claim = a_pledge()
    editor = factories.EditorFactory()
    labels = {"kept": "Kept", "broken": "Broken"}
    stale, misses_then_hits = [], 0
    write_seconds = purge_seconds = read_seconds = 0.0
    for number in range(WRITES):
        slug = "kept" if number % 2 == 0 else "broken"
        started = time.perf_counter()
        rate(claim, slug, claim.made_on, f"Write number {number}.", by=editor)
        written = time.perf_counter()
        worker_pass()
        purged = time.perf_counter()
        answer = varnish.get("/claims/ten-bridges/")
        read_seconds += time.perf_counter() - purged
        write_seconds += written - started
        purge_seconds += purged - written
        panel = status_panel(answer)
        other = labels["broken" if slug == "kept" else "kept"]
        if labels[slug] not in panel or other in panel or f"Write number {number}." not in answer.body:
            stale.append(number)
        misses_then_hits += answer.cache == "MISS" and varnish.get("/claims/ten-bridges/").cache == "HIT"

    with capsys.disabled():
        print(
            f"\n{WRITES} writes through Varnish: {len(stale)} stale reads; per write "
            f"{1000 * write_seconds / WRITES:.1f} ms to record, {1000 * purge_seconds / WRITES:.1f} ms for the "
            f"worker's pass (fan-out and PURGE), {1000 * read_seconds / WRITES:.1f} ms for the next read (a miss)"
        )
    assert stale == []
    assert misses_then_hits == WRITES


def test_a_page_fetched_before_a_purge_and_stored_after_it_is_not_kept():
    """The race a purge alone would lose: a slow request reads the record before the write, the
    write's purge comes, then that request's page would be stored — with the old verdict, for
    hours. The VCL hands such a page to the clients waiting for it and keeps it not."""
    varnish_or_skip()
    versions = iter(range(1, 100))
    slow = threading.Event()
    slow.set()

    class Backend(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"version {next(versions)}".encode()
            if slow.is_set():
                slow.clear()
                time.sleep(1.0)
            self.send_response(200)
            self.send_header("Cache-Control", "public, max-age=300, s-maxage=21600")
            self.send_header("xkey", "claim:slow site")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    backend = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    backend.daemon_threads = True
    serving = threading.Thread(target=backend.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    serving.start()
    try:
        with running_varnish(backend.server_address[1]) as varnish:
            answers: list[Answer] = []
            reader = threading.Thread(target=lambda: answers.append(varnish.get("/claims/slow/")))
            reader.start()
            time.sleep(0.4)  # The slow request has read "version 1" and is still on its way.
            assert varnish.request("PURGE", "/", {"xkey-purge": "claim:slow"}).status == 200
            reader.join(timeout=10)

            after = [varnish.get("/claims/slow/") for _ in range(2)]
    finally:
        backend.shutdown()
        backend.server_close()

    assert (answers[0].body, answers[0].cache) == ("version 1", "MISS")
    assert [(answer.body, answer.cache) for answer in after] == [("version 2", "MISS"), ("version 2", "HIT")]
