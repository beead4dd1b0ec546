"""Measured layout: a long status badge never covers a claim's title, and the admin claim list fits
a 1280 px screen without scrolling sideways. Screenshots go to /tmp/shots/."""

import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser import helpers
from tests.browser.data import build_world, days_ago
from tests.factories import ClaimFactory, EditorFactory, record_status, status_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# /tmp/shots on this machine: where reviewers look for the screenshots.
SHOTS = Path(tempfile.gettempdir()) / "shots"
WIDTHS = [768, 1024, 1280, 1440]
PAGES = {
    "home": "/",
    "list": "/claims/",
    "search": "/claims/?q=ISW",
    "person": "/people/ada-mayor/",
}
UNCLEAR = "Unclear / cannot be rated"

# Every claim card's badge box and title box, and which pairs intersect.
MEASURE_CARDS = """
() => {
    const box = (element) => {
        const rect = element.getBoundingClientRect();
        return {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
    };
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    return [...document.querySelectorAll(".claim-card")].flatMap((card) => {
        const title = card.querySelector(".claim-card__title");
        const titleText = title ? title.querySelector("a") || title : null;
        return [...card.querySelectorAll(".badge")].map((badge) => {
            const column = badge.parentElement;
            return {
                label: badge.textContent.trim(),
                title: title ? title.textContent.trim() : "",
                overlaps: titleText ? overlaps(box(badge), box(titleText)) : false,
                // Within its own column (fonts elsewhere may be wider than this browser's).
                inColumn: box(badge).right <= box(column).right + 0.5,
                badgeFits: badge.scrollWidth <= badge.clientWidth + 1,
            };
        });
    });
}
"""


@pytest.fixture
def world():
    world = build_world()
    editor = EditorFactory()
    for summary in ["ISW says the offensive has stalled", "ISW reports new positions near the river"]:
        claim = ClaimFactory(claimant=world.mayor, summary=summary, quote=summary + ".", made_on=days_ago(30))
        record_status(
            claim=claim,
            status=status_on("promise", "unclear"),
            effective_on=days_ago(20),
            rationale="The sources contradict each other.",
            recorded_by=editor,
        )
    return world


@pytest.fixture
def editor_session(world) -> str:
    session = Client()
    session.force_login(EditorFactory())
    return session.cookies["sessionid"].value


@pytest.fixture
def browser(world, editor_session, live_server):
    # After the database fixtures: they must run outside Playwright's event loop.
    yield from helpers.browser_or_skip()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_status_badge_covers_a_claim_title(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = {}
    unclear_seen = 0
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        cards = page.evaluate(MEASURE_CARDS)
        unclear_seen += sum(card["label"] == UNCLEAR for card in cards)
        bad = [card for card in cards if card["overlaps"] or not card["inColumn"] or not card["badgeFits"]]
        if bad:
            problems[name] = bad
        shoot(page, f"{name}-{width}")
    context.close()

    assert unclear_seen > 0, "The pages should show the long status label being measured."
    assert problems == {}, problems


def test_the_admin_claim_list_fits_a_1280_px_screen(browser, live_server, editor_session):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": editor_session, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('admin:claims_claim_changelist')}")
    shoot(page, "admin-claim-list-1280")

    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    headers = page.evaluate(
        """() => [...document.querySelectorAll("#result_list thead th")].map((th) => {
            const rect = th.getBoundingClientRect();
            return {text: th.textContent.trim(), visible: rect.width > 0 && rect.right <= window.innerWidth};
        })"""
    )
    badges_cut = page.evaluate(
        """() => [...document.querySelectorAll("#result_list .status-badge")].filter((badge) => {
            const rect = badge.getBoundingClientRect();
            const cell = badge.closest("td").getBoundingClientRect();
            return rect.right > cell.right + 1 || rect.right > window.innerWidth || badge.scrollWidth > badge.clientWidth + 1;
        }).length"""
    )
    context.close()

    assert fits, "The admin claim list scrolls sideways at 1280 px."
    visible = {header["text"].lower() for header in headers if header["visible"]}
    assert {"deadline", "visibility", "status"} <= visible, headers
    assert badges_cut == 0
