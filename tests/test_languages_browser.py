"""A reader switches language in a real browser, with JavaScript off: the home, list, claim and
methodology pages come in Ukrainian and Russian with no English interface text left (texts the desk
has not translated show in English, marked as such), axe-core finds nothing, and nothing spills
sideways at phone, tablet or desktop width. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser import helpers
from tests.test_interface_in_every_language import english_sentences, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLAIM = "/claims/trump-end-ukraine-war-quickly/"
NAVIGATION = {"uk": ("Заяви", "Методологія"), "ru": ("Заявления", "Методология")}
SWITCHER_NAMES = {"uk": "Українська", "ru": "Русский"}

# Whether anything sticks out past the right edge, and whether the header's pieces overlap.
MEASURE_HEADER = """
() => {
    const box = (element) => element.getBoundingClientRect();
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const pieces = [".brand", ".site-nav", ".language-switcher"].map((selector) => box(document.querySelector(selector)));
    return {
        overflows: document.documentElement.scrollWidth > window.innerWidth + 1,
        overlapping: pieces.some((a, i) => pieces.some((b, j) => i < j && overlaps(a, b))),
        switcherInside: pieces[2].right <= window.innerWidth + 0.5 && pieces[2].left >= -0.5,
    };
}
"""


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.fixture
def browser(demo, live_server):
    yield from helpers.browser_or_skip()


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_reader_switches_language_without_javascript_and_finds_no_english_interface_left(
    browser, live_server, language
):
    context = browser.new_context(viewport=helpers.DESKTOP, bypass_csp=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name=SWITCHER_NAMES[language]).click()
    assert page.url == f"{live_server.url}/{language}/"
    claims, methodology = NAVIGATION[language]
    visited = {"home": page.url}
    page.get_by_role("navigation").get_by_role("link", name=claims, exact=True).first.click()
    visited["list"] = page.url
    page.goto(f"{live_server.url}/{language}{CLAIM}")
    visited["claim"] = page.url
    page.get_by_role("link", name=methodology, exact=True).first.click()
    visited["methodology"] = page.url
    context.close()

    english = english_sentences(language)
    # axe needs scripts: a second context, with JavaScript, reads the same addresses.
    checking = browser.new_context(viewport=helpers.DESKTOP, bypass_csp=True)
    page = checking.new_page()
    problems = {}
    for name, url in visited.items():
        assert f"/{language}/" in url, (name, url)
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == language
        left = sorted(sentence for sentence in english if sentence in visible_text(page.content().encode()))
        violations = helpers.axe_violations(page)
        if left or violations:
            problems[name] = (left[:5], helpers.describe(violations))
        helpers.screenshot(page, f"language-{language}-{name}")
    checking.close()
    assert problems == {}


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_the_header_with_its_language_switcher_fits_every_width(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    for language in ("", "uk/", "ru/"):
        page.goto(f"{live_server.url}/{language}claims/")
        measured = page.evaluate(MEASURE_HEADER)
        assert measured == {"overflows": False, "overlapping": False, "switcherInside": True}, (language, width)
        helpers.screenshot(page, f"language-header-{language.strip('/') or 'en'}-{width}")
    context.close()
