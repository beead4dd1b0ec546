"""The editors' admin in a real browser: a form error is found from the note at the top of the page,
and the reason pages render. Screenshots go to /tmp/shots/."""

import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.browser import helpers
from tests.factories import record_status, status_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# /tmp/shots on this machine: where reviewers look for the screenshots.
SHOTS = Path(tempfile.gettempdir()) / "shots"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def claim(live_server):
    return factories.ClaimFactory(summary="Build 10,000 affordable homes by 2027")


@pytest.fixture
def published_update(claim):
    return record_status(
        claim=claim,
        status=status_on("promise", "in-the-works"),
        effective_on=claim.made_on,
        rationale="The council approved a budget.",
        recorded_by=factories.EditorFactory(),
    )


@pytest.fixture
def superuser_session(live_server) -> str:
    session = Client()
    session.force_login(factories.SuperuserFactory())
    return session.cookies["sessionid"].value


@pytest.fixture
def browser(claim, published_update, superuser_session, live_server):
    # After the database fixtures: they must run outside Playwright's event loop.
    yield from helpers.browser_or_skip()


@pytest.fixture
def page(browser, live_server, superuser_session):
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies([{"name": "sessionid", "value": superuser_session, "url": live_server.url}])
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_error_note_links_to_the_field_in_error(page, live_server, claim):
    page.goto(f"{live_server.url}{reverse('admin:claims_claim_change', args=[claim.pk])}")
    page.locator("select[id$='-0-status']").select_option(label="Kept")
    page.locator("textarea[id$='-0-rationale_en']").fill("The homes were built.")
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".errornote")

    summary = page.locator(".error-summary")
    assert "needs at least one evidence source" in summary.text_content()
    # The error is also shown at the field itself.
    assert "needs at least one evidence source" in page.locator(".errors.field-evidence").text_content()
    shoot(page, "admin-error-summary")
    summary.get_by_role("link").first.click()

    in_view = page.evaluate(
        """() => {
            const row = document.querySelector(".errors.field-evidence").getBoundingClientRect();
            return row.top >= 0 && row.top < window.innerHeight;
        }"""
    )
    assert page.url.endswith("-0-evidence")
    shoot(page, "admin-error-at-field")
    assert in_view


def test_the_removal_page_asks_for_a_reason(page, live_server, published_update):
    page.goto(f"{live_server.url}{reverse('admin:claims_statusupdate_change', args=[published_update.pk])}")
    shoot(page, "admin-published-update")
    assert page.locator("a.deletelink").count() == 0
    page.get_by_role("link", name="Remove from the public record…").click()
    page.get_by_role("button", name="Remove from the public record").click()
    assert "Give a reason" in page.content()
    page.get_by_label("Reason (published)").fill("Court order.")
    shoot(page, "admin-removal-form")
    page.get_by_role("button", name="Remove from the public record").click()
    assert "removed from the public record" in page.locator(".messagelist").text_content()
    shoot(page, "admin-removed-update")


def test_the_admin_index_names_apps_in_words(page, live_server):
    page.goto(f"{live_server.url}{reverse('admin:index')}")
    shoot(page, "admin-index")
    captions = [text.strip() for text in page.locator(".module caption").all_text_contents()]
    assert not [caption for caption in captions if "_" in caption or caption.upper() == "AXES"], captions
