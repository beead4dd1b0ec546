"""A reader in a real browser: filters the list, opens a claim, reads its timeline; every page
type passes axe-core with zero violations; screenshots at phone and desktop widths."""

import pytest

from tests.browser import helpers
from tests.browser.data import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module")
def browser():
    yield from helpers.browser_or_skip()


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=helpers.DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def test_a_reader_filters_the_list_opens_a_claim_and_reads_its_timeline(page, live_server, world):
    page.goto(f"{live_server.url}/claims/")
    page.get_by_label("Claimant").select_option(label="Ada Mayor")
    page.get_by_label("Kind").select_option(label="Pledge")
    page.get_by_role("button", name="Show claims").click()

    assert "claimant=ada-mayor" in page.url
    assert page.get_by_role("heading", name="1 claim matches your filters").is_visible()
    page.get_by_role("link", name="Build 10,000 affordable homes by 2027").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Build 10,000 affordable homes by 2027"
    entries = page.locator(".timeline__entry")
    assert entries.count() == 3
    assert "Stalled" in entries.nth(0).text_content()
    assert "Correction" in entries.nth(0).text_content()
    page.get_by_role("link", name=f"the update of {world.mistaken_update.effective_on:%-d %B %Y}").click()
    assert page.url.endswith(f"#update-{world.mistaken_update.pk}")
    assert "Corrected" in page.locator(f"#update-{world.mistaken_update.pk}").text_content()


PAGES = {
    "home": "/",
    "list": "/claims/",
    "list-empty": "/claims/?q=nothing-matches-this",
    "claim": "/claims/build-10000-homes/",
    "plan": "/claims/roads-plan/",
    "person": "/people/ada-mayor/",
    "methodology": "/methodology/",
    "not-found": "/claims/secret-draft/",
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_has_no_accessibility_violations(page, live_server, world, name):
    response = page.goto(f"{live_server.url}{PAGES[name]}")
    assert response is not None

    violations = helpers.axe_violations(page)

    assert violations == [], helpers.describe(violations)


@pytest.mark.parametrize("name", ["home", "list", "claim", "person", "methodology"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_screenshots_of_the_main_pages_at_phone_and_desktop_widths(browser, live_server, world, name, width):
    viewport = helpers.PHONE if width == "phone" else helpers.DESKTOP
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}{PAGES[name]}")

    path = helpers.screenshot(page, f"{name}-{width}")
    no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()

    assert path.stat().st_size > 0
    assert no_sideways_scroll
