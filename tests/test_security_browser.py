"""The Content-Security-Policy breaks nothing: pages, the admin and the API docs run under it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.browser import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
});
"""


@pytest.fixture
def claim(live_server):
    return factories.ClaimFactory(summary="End the war quickly")


@pytest.fixture
def editor_session(live_server) -> str:
    session = Client()
    session.force_login(factories.EditorFactory())
    return session.cookies["sessionid"].value


@pytest.fixture
def browser(claim, editor_session, live_server):
    # Every database fixture runs before this one: ORM calls made while Playwright's event loop
    # runs would open a connection of their own that is never closed.
    yield from helpers.browser_or_skip()


def visit_and_collect_violations(context, url: str) -> tuple[object, list[str]]:
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, page.evaluate("window.__cspViolations")


def test_public_pages_run_under_the_policy(browser, live_server, claim):
    context = browser.new_context()
    for path in ["/", "/claims/", claim.get_absolute_url(), "/methodology/"]:
        _, violations = visit_and_collect_violations(context, f"{live_server.url}{path}")
        assert violations == [], path
    context.close()


def test_the_admin_runs_under_the_policy(browser, live_server, claim, editor_session):
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": editor_session, "url": live_server.url}])
    for path in [
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_claim_add"),
    ]:
        page, violations = visit_and_collect_violations(context, f"{live_server.url}{path}")
        assert violations == [], path
    # The admin's own scripts ran: the autocomplete widgets were turned into select2 boxes.
    page.goto(f"{live_server.url}{reverse('admin:claims_claim_change', args=[claim.pk])}")
    assert page.locator(".select2-container").count() > 0
    context.close()


def test_the_api_docs_run_under_the_policy(browser, live_server):
    context = browser.new_context()
    page, violations = visit_and_collect_violations(context, f"{live_server.url}/api/v1/docs/")
    assert violations == []
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    context.close()
