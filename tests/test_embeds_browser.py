"""The status card in a real browser: framed by another site it shows and passes axe-core;
the claim page itself refuses to be framed."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories
from tests.api_support import published_claim, record
from tests.browser import helpers

# live_server needs committed data; serialized_rollback brings back the statuses and groups.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def claim():
    claimant = factories.PersonFactory(name="Ada Mayor", role="Mayor")
    claim = published_claim(claimant=claimant, summary="Build 10,000 affordable homes by 2027", slug="homes")
    record(claim, "in-the-works")
    published_claim(summary="Not yet rated pledge", slug="fresh")
    return claim


@pytest.fixture
def browser(claim, live_server):
    # After the database fixtures: they must run outside Playwright's event loop.
    yield from helpers.browser_or_skip()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 520, "height": 320}, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("slug", ["homes", "fresh", "no-such-claim"])
def test_the_card_has_no_accessibility_violations(page, live_server, slug):
    page.goto(f"{live_server.url}/embed/claims/{slug}/")

    violations = helpers.axe_violations(page)

    assert violations == [], helpers.describe(violations)
    if slug == "homes":
        helpers.screenshot(page, "embed-card")


@pytest.fixture
def partner_site(live_server):
    """Another origin on this machine whose article frames our card and our claim page."""
    body = (
        '<!doctype html><html lang="en"><title>Partner</title><body>'
        f'<iframe id="card" title="card" src="{live_server.url}/embed/claims/homes/"></iframe>'
        f'<iframe id="page" title="page" src="{live_server.url}/claims/homes/"></iframe>'
        "</body></html>"
    ).encode()

    class Article(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_another_site_frames_the_card_but_not_the_claim_page(partner_site, browser, live_server):
    # A context without bypass_csp, so the browser enforces frame-ancestors and X-Frame-Options.
    context = browser.new_context(viewport=helpers.DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(partner_site)
        card = page.frame_locator("#card")
        assert card.get_by_role("heading", level=1).text_content() == "Build 10,000 affordable homes by 2027"
        link = card.get_by_role("link", name="Evidence and full timeline (opens in a new tab)")
        assert link.get_attribute("target") == "_blank"

        page.wait_for_load_state("load")
        framed = page.locator("#page").element_handle().content_frame()
        assert framed is not None
        # Chromium replaces a refused frame with its own error page.
        assert framed.url.startswith("chrome-error:"), "the claim page must refuse to be framed"
        assert "Build 10,000" not in framed.content()
    finally:
        context.close()


@pytest.mark.parametrize(
    "path", ["/embed/people/ada-mayor/scorecard/", "/uk/embed/people/ada-mayor/scorecard/", "/embed/terms/0/"]
)
def test_the_scorecard_card_has_no_accessibility_violations_and_fits_its_frame(page, live_server, claim, path):
    claim.claimant.slug = "ada-mayor"
    claim.claimant.save(update_fields=["slug"])
    page.goto(f"{live_server.url}{path}")

    violations = helpers.axe_violations(page)

    assert violations == [], helpers.describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if path.startswith("/embed/people/"):
        helpers.screenshot(page, "embed-scorecard-card")
