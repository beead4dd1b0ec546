"""The scorecard pages in a real browser on the demo data: the progress chart is drawn with JavaScript
off, axe-core finds nothing on the tracker's, a person's and a term's scorecards and on a comparison
(in English and in Ukrainian), and nothing spills sideways at phone, tablet or desktop width, the
chart staying inside its box. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from people.models import Term
from tests.browser import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PERSON = "/people/donald-trump/scorecard/"

# Whether anything sticks out past the right edge, and whether each chart stays inside its figure
# and the figure inside the page's main column.
MEASURE = """
() => {
    const main = document.querySelector("main").getBoundingClientRect();
    const charts = [...document.querySelectorAll(".progress-chart")].map((figure) => {
        const box = figure.getBoundingClientRect();
        const svg = figure.querySelector("svg").getBoundingClientRect();
        return {
            inFigure: svg.left >= box.left - 0.5 && svg.right <= box.right + 0.5,
            inMain: box.left >= main.left - 0.5 && box.right <= main.right + 0.5,
            drawn: svg.width > 200 && svg.height > 80,
        };
    });
    return {overflows: document.documentElement.scrollWidth > window.innerWidth + 1, charts};
}
"""


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.fixture
def browser(demo, live_server):
    yield from helpers.browser_or_skip()


def pages() -> dict[str, str]:
    term = Term.objects.select_related("person").get(person__slug="donald-trump")
    return {
        "tracker": "/scorecards/",
        "person": PERSON,
        "term": term.get_absolute_url(),
        "compare": f"/compare/?a=person:donald-trump&b=term:{term.pk}",
    }


def test_the_chart_is_drawn_without_javascript(browser, live_server):
    context = browser.new_context(viewport=helpers.DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{pages()['term']}")

    chart = page.get_by_role("img", name="Donald Trump, President of the United States: pledges at each status")
    assert chart.count() == 1
    assert chart.bounding_box()["height"] > 150
    assert page.locator(".progress-chart__bars path").count() >= 1
    assert page.get_by_role("table", name="The chart’s figures").count() == 1
    helpers.screenshot(page, "scorecard-term-no-javascript")
    context.close()


@pytest.mark.parametrize("language", ["", "uk/"])
def test_axe_finds_nothing_on_the_scorecard_pages(browser, live_server, language):
    context = browser.new_context(viewport=helpers.DESKTOP, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, path in pages().items():
        response = page.goto(f"{live_server.url}/{language}{path.lstrip('/')}")
        assert response.status == 200, (name, language)
        violations = helpers.axe_violations(page)
        if violations:
            problems[name] = helpers.describe(violations)
        helpers.screenshot(page, f"scorecard-{language.strip('/') or 'en'}-{name}")
    context.close()
    assert problems == {}


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_nothing_overflows_and_the_chart_fits_its_box_at_every_width(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in pages().items():
        page.goto(f"{live_server.url}{path}")
        measured = page.evaluate(MEASURE)
        assert measured["overflows"] is False, (name, width)
        assert all(chart == {"inFigure": True, "inMain": True, "drawn": True} for chart in measured["charts"]), (
            name,
            width,
            measured,
        )
        helpers.screenshot(page, f"scorecard-{name}-{width}")
    context.close()
