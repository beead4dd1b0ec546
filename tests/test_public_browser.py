"""A reader in a real browser: filters the list, opens a claim, reads its timeline; every page
type passes axe-core with zero violations; screenshots at phone and desktop widths."""

import pytest

from tests.browser import helpers

# live_server needs committed data; serialized_rollback brings back the statuses and groups the
# migrations create, which the flush after each transactional test removes.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = {
    "home": "/",
    "list": "/claims/",
    "list-filtered-empty": "/claims/?q=nothing-matches-this&status=kept",
    "list-bad-input": "/claims/?status=bogus&claimant=nobody",
    "claim": "/claims/build-10000-homes/",
    "plan": "/claims/roads-plan/",
    "component": "/claims/fix-bridges/",
    "statement": "/claims/crime-halved/",
    "person": "/people/ada-mayor/",
    "methodology": "/methodology/",
    "corrections": "/corrections/",
    "corrections-of-a-person": "/corrections/?person=ada-mayor",
    "claim-as-of-a-date": "/claims/build-10000-homes/?as_of=2020-01-01",
    "not-found": "/claims/secret-draft/",
    "withdrawn": "/claims/withdrawn-claim/",
}
SCREENSHOT_PAGES = ["home", "list", "claim", "plan", "person", "methodology"]


@pytest.fixture
def browser(world, live_server):
    # Function-scoped on purpose: the database fixtures of the next test must run outside
    # Playwright's event loop, or Django hands them a connection without the serialized data.
    yield from helpers.browser_or_skip()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=helpers.DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_a_reader_filters_the_list_opens_a_claim_and_reads_its_timeline(page, live_server, world):
    page.goto(f"{live_server.url}/claims/")
    page.get_by_label("Claimant").fill("Ada")
    page.get_by_label("Kind").select_option(label="Pledge")
    page.get_by_role("button", name="Show claims").click()

    assert "claimant=Ada" in page.url
    assert "kind=pledge" in page.url
    assert page.get_by_role("heading", name="1 claim matches your filters").is_visible()
    page.get_by_role("link", name="Build 10,000 affordable homes by 2027").click()

    assert page.get_by_role("heading", level=1).text_content() == "Build 10,000 affordable homes by 2027"
    entries = page.locator(".timeline__entry")
    assert entries.count() == 3
    assert "Stalled" in entries.nth(0).text_content()
    assert "Correction" in entries.nth(0).text_content()
    assert "Draft verdict" not in page.content()
    page.get_by_role("link", name=f"the update of {world.mistaken_update.effective_on:%-d %B %Y}").click()
    assert page.url.endswith(f"#update-{world.mistaken_update.pk}")
    assert "Corrected" in page.locator(f"#update-{world.mistaken_update.pk}").text_content()


def test_every_page_type_has_no_accessibility_violations(page, live_server):
    found = {}
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        violations = helpers.axe_violations(page)
        if violations:
            found[name] = helpers.describe(violations)

    assert found == {}, "\n".join(f"{name} ({PAGES[name]}):\n{text}" for name, text in found.items())


def test_the_pages_are_accessible_at_phone_width_too(browser, live_server):
    context = browser.new_context(viewport=helpers.PHONE, bypass_csp=True)
    page = context.new_page()
    found = {}
    for name in SCREENSHOT_PAGES:
        page.goto(f"{live_server.url}{PAGES[name]}")
        violations = helpers.axe_violations(page)
        if violations:
            found[name] = helpers.describe(violations)
    context.close()

    assert found == {}, "\n".join(f"{name}:\n{text}" for name, text in found.items())


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_screenshots_of_the_main_pages_fit_the_screen(browser, live_server, width):
    viewport = helpers.PHONE if width == "phone" else helpers.DESKTOP
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    overflowing = []
    for name in SCREENSHOT_PAGES:
        page.goto(f"{live_server.url}{PAGES[name]}")
        path = helpers.screenshot(page, f"{name}-{width}")
        assert path.stat().st_size > 0
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            overflowing.append(name)
    context.close()

    assert overflowing == [], f"These pages scroll sideways at {viewport['width']}px: {overflowing}"


def test_the_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(viewport=helpers.DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/claims/")
    page.get_by_label("Status").select_option(label="Stalled")
    page.get_by_role("button", name="Show claims").click()

    assert "status=stalled" in page.url
    assert page.get_by_role("link", name="Build 10,000 affordable homes by 2027").is_visible()
    context.close()
