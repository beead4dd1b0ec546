"""Readers take part, in a real browser: with JavaScript off a reader sends a correction from a claim
page and subscribes to alerts about it (confirming, managing and cancelling them from the signed
links), and a claim suggestion sent with no message comes back with its errors and what was typed.
axe-core finds nothing on any readers' page (English, and the forms in Ukrainian), and at phone,
tablet and desktop width the forms neither spill sideways nor show the honeypot, nor let a label
cover its field. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from claims.models import Claim
from people.models import Person
from readers import tokens
from readers.models import AlertFrequency, AlertScope, EmailPurpose, OutgoingEmail, Subscription, Tip, TipKind
from tests.browser import helpers
from tests.factories import SubscriptionFactory, UnconfirmedSubscriptionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SLUG = "trump-end-ukraine-war-quickly"
CLAIM = f"/claims/{SLUG}/"
CORRECTION_FORM = f"{CLAIM}suggest-a-correction/"
SUBSCRIBE = f"/alerts/?claim={SLUG}"

# Whether anything spills sideways, where the honeypot and the submit buttons are, and which labels
# cover the field they name (the honeypot's own label is left out: it is meant to be out of sight).
MEASURE_FORM = """
() => {
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const width = window.innerWidth;
    const trap = document.querySelector(".trap input");
    let honeypotSeen = null;
    if (trap) {
        const box = trap.getBoundingClientRect();
        const offScreen = box.right <= 0 || box.left >= width || box.bottom <= 0;
        const speck = box.width <= 1 && box.height <= 1;
        honeypotSeen = !(offScreen || speck);
    }
    const labels = [...document.querySelectorAll("main label[for]")].filter((label) => !label.closest(".trap"));
    const covering = labels.filter((label) => {
        const field = document.getElementById(label.htmlFor);
        return !field || overlaps(label.getBoundingClientRect(), field.getBoundingClientRect());
    }).map((label) => label.htmlFor);
    const buttons = [...document.querySelectorAll("main button[type=submit]")];
    const buttonsOutside = buttons.filter((button) => {
        const box = button.getBoundingClientRect();
        return box.left < -0.5 || box.right > width + 0.5;
    }).map((button) => button.textContent.trim());
    return {
        overflows: document.documentElement.scrollWidth > width + 1,
        honeypotSeen,
        labelsMeasured: labels.length,
        covering,
        buttons: buttons.length,
        buttonsOutside,
    };
}
"""

# The texts a field's aria-describedby points at, as a screen reader would find them.
DESCRIPTION = """
(field) => (field.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean).map((id) => {
    const element = document.getElementById(id);
    return element ? element.textContent.trim() : `no element #${id}`;
})
"""


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.fixture
def browser(demo, live_server):
    yield from helpers.browser_or_skip()


@pytest.fixture
def no_minimum_time(settings):
    # The live server runs in this process, so the setting reaches it: a browser fills forms faster than people.
    settings.READERS_FORM_MIN_SECONDS = 0


def in_language(language: str, text: str) -> str:
    """What the interface says in ``language`` (English where the desk has not translated it yet)."""
    with translation.override(language):
        return gettext(text)


def without_javascript(browser):
    return browser.new_context(viewport=helpers.DESKTOP, java_script_enabled=False, bypass_csp=True)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_reader_without_javascript_sends_a_correction_from_a_claim_page_and_it_waits_in_the_queue(
    browser, live_server, no_minimum_time, language
):
    prefix = "" if language == "en" else f"/{language}"
    context = without_javascript(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}{CLAIM}")
    page.get_by_role("link", name=in_language(language, "Suggest a correction or send evidence")).click()
    assert page.url == f"{live_server.url}{prefix}{CORRECTION_FORM}"
    page.get_by_label(in_language(language, "Your message")).fill("The plan was never published; see the interview.")
    page.get_by_label(in_language(language, "Link to evidence (optional)")).fill("https://news.example/interview")
    page.get_by_label(in_language(language, "Your name (optional)")).fill("Olena Reader")
    page.get_by_label(in_language(language, "Your email (optional)")).fill("olena@example.org")
    page.get_by_role("button", name=in_language(language, "Send to the editors")).click()

    assert page.url == f"{live_server.url}{prefix}/suggestions/sent/?claim={SLUG}"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == in_language(language, "Thank you: your message reached our editors")
    assert page.get_by_role("link", name=in_language(language, "Back to the claim")).get_attribute("href") == (
        f"{prefix}{CLAIM}"
    )
    context.close()

    tip = Tip.objects.select_related("claim").get()
    assert (tip.kind, tip.claim.slug, tip.language, tip.state) == (TipKind.CORRECTION, SLUG, language, Tip.State.NEW)
    assert (tip.message, tip.evidence_url, tip.name, tip.email) == (
        "The plan was never published; see the interview.",
        "https://news.example/interview",
        "Olena Reader",
        "olena@example.org",
    )


def test_a_reader_without_javascript_subscribes_to_a_claim_confirms_manages_and_unsubscribes(
    browser, live_server, no_minimum_time
):
    context = without_javascript(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}{CLAIM}")
    page.get_by_role("link", name="Get email alerts about this claim").click()
    assert page.url == f"{live_server.url}{SUBSCRIBE}"
    claim = Claim.objects.get(slug=SLUG)
    # The claim the reader came from is offered first, and chosen.
    assert page.get_by_label(f"This claim: {claim.summary}").is_checked()
    page.get_by_label("Your email").fill("Reader@Example.org")
    page.get_by_label("Daily digest").check()
    page.get_by_role("button", name="Subscribe").click()

    assert page.url == f"{live_server.url}/alerts/check-your-inbox/"
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.scope, subscription.claim_id, subscription.frequency) == (
        "reader@example.org",
        AlertScope.CLAIM,
        claim.pk,
        AlertFrequency.DAILY,
    )
    assert subscription.confirmed_at is None
    email = OutgoingEmail.objects.get()
    assert (email.to, email.purpose, email.subscription_id, email.state) == (
        "reader@example.org",
        EmailPurpose.CONFIRMATION,
        subscription.pk,
        OutgoingEmail.State.PENDING,
    )
    # The link in the email confirms this very subscription.
    emailed = re.search(r"/alerts/confirm/([^/\s]+)/", email.text)
    assert emailed is not None
    assert tokens.subscription_to_confirm(emailed.group(1)) == subscription

    page.goto(live_server.url + reverse("readers:confirm", args=[tokens.confirmation_token(subscription)]))
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email alerts"
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # Opening the link confirms nothing: a mail scanner opens links too.
    page.get_by_role("button", name="Confirm my alerts").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your alerts are on"
    assert claim.summary in page.locator("main").inner_text()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    page.get_by_role("link", name="Manage your alerts").click()
    manage_url = page.url
    assert manage_url.startswith(f"{live_server.url}/alerts/manage/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your email alerts"
    assert page.get_by_role("heading", level=2, name=claim.summary).is_visible()
    assert page.get_by_label("How often").input_value() == AlertFrequency.DAILY
    page.get_by_role("button", name="Unsubscribe").click()

    assert page.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
    assert not Subscription.objects.exists()
    # The manage link now opens nothing, and says so.
    page.goto(manage_url)
    assert page.url == f"{live_server.url}/alerts/manage/?expired=1"
    assert (
        page.get_by_role("status").inner_text() == "That link no longer opens any subscription. Ask for a new one here."
    )
    context.close()


def test_a_claim_suggestion_sent_without_a_message_comes_back_with_its_errors_and_what_was_typed(
    browser, live_server, no_minimum_time
):
    context = without_javascript(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Suggest a claim to track").click()
    assert page.url == f"{live_server.url}/suggest-a-claim/"
    assert page.get_by_role("heading", level=1).inner_text() == "Suggest a claim to track"
    page.get_by_label("Link to evidence (optional)").fill("https://news.example/speech")
    page.get_by_label("Your name (optional)").fill("Taras")
    page.get_by_label("Your email (optional)").fill("taras@example.org")
    with page.expect_response(f"{live_server.url}/suggest-a-claim/") as sent:
        page.get_by_role("button", name="Send to the editors").click()

    assert sent.value.status == 400
    summary = page.get_by_role("alert")
    assert [line for line in summary.inner_text().split("\n") if line] == [
        "Nothing was sent yet. Please check:",
        "Your message: This field is required.",
    ]
    assert summary.get_by_role("link", name="Your message").get_attribute("href") == "#id_message"
    assert page.locator(".field--message .field__error").inner_text() == "This field is required."
    assert page.get_by_label("Your message").input_value() == ""
    assert page.get_by_label("Link to evidence (optional)").input_value() == "https://news.example/speech"
    assert page.get_by_label("Your name (optional)").input_value() == "Taras"
    assert page.get_by_label("Your email (optional)").input_value() == "taras@example.org"
    assert not Tip.objects.exists()
    context.close()


def test_a_field_s_help_and_its_error_are_read_out_with_the_field(browser, live_server, no_minimum_time):
    """A screen reader announces what aria-describedby names: the help under each label and the error."""
    context = without_javascript(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}{CORRECTION_FORM}")
    page.get_by_label("Link to evidence (optional)").fill("ftp://files.example/report.pdf")
    page.get_by_role("button", name="Send to the editors").click()
    assert page.get_by_role("alert").is_visible()
    described = {
        label: page.get_by_label(label).evaluate(DESCRIPTION)
        for label in ("Your message", "Link to evidence (optional)", "Your email (optional)")
    }
    context.close()
    assert described == {
        "Your message": [
            "What should we check or correct, and why? Up to 5,000 characters.",
            "This field is required.",
        ],
        "Link to evidence (optional)": [
            "A web address starting with https:// or http://.",
            "Enter a web address starting with https:// or http://.",
        ],
        "Your email (optional)": ["Only if you want to hear what we did with your message. We never publish it."],
    }


def test_every_readers_page_passes_axe_in_english_and_the_forms_in_ukrainian(browser, live_server, no_minimum_time):
    claim = Claim.objects.get(slug=SLUG)
    to_confirm = UnconfirmedSubscriptionFactory(
        email="new@example.org", scope=AlertScope.CLAIM, claim=claim, frequency=AlertFrequency.WEEKLY
    )
    to_manage = [
        SubscriptionFactory(email="old@example.org", scope=AlertScope.CLAIM, claim=claim),
        SubscriptionFactory(
            email="old@example.org", scope=AlertScope.PERSON, person=claim.claimant, frequency=AlertFrequency.DAILY
        ),
    ]
    to_end = SubscriptionFactory(email="leaving@example.org")
    context = browser.new_context(viewport=helpers.DESKTOP, bypass_csp=True)
    page = context.new_page()
    problems: dict[str, str] = {}
    checked: list[str] = []

    def check(name: str, heading: str) -> None:
        assert page.get_by_role("heading", level=1).inner_text() == heading, name
        violations = helpers.axe_violations(page)
        if violations:
            problems[name] = helpers.describe(violations)
        helpers.screenshot(page, f"readers-axe-{name}")
        checked.append(name)

    def visit(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response is not None, path
        assert response.status == 200, path

    visit(CORRECTION_FORM)
    check("correction-form", "Suggest a correction or send evidence")
    page.get_by_role("button", name="Send to the editors").click()
    assert page.get_by_role("alert").is_visible()
    check("correction-form-errors", "Suggest a correction or send evidence")
    visit("/suggest-a-claim/")
    check("claim-form", "Suggest a claim to track")
    visit(f"/suggestions/sent/?claim={SLUG}")
    check("tip-sent", "Thank you: your message reached our editors")
    visit(SUBSCRIBE)
    check("subscribe", "Email alerts")
    visit("/alerts/check-your-inbox/")
    check("subscribe-sent", "Check your inbox")
    visit(reverse("readers:confirm", args=[tokens.confirmation_token(to_confirm)]))
    check("confirm", "Confirm your email alerts")
    page.get_by_role("button", name="Confirm my alerts").click()
    check("confirmed", "Your alerts are on")
    visit(reverse("readers:manage", args=[tokens.manage_token(to_manage)]))
    check("manage", "Your email alerts")
    visit("/alerts/manage/")
    check("manage-link", "Manage your email alerts")
    visit(reverse("readers:unsubscribe", args=[tokens.unsubscribe_token([to_end])]))
    check("unsubscribe", "Unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    check("unsubscribed", "You are unsubscribed")
    visit("/privacy/")
    check("privacy", "Privacy: what we keep about readers")
    for name, path, heading in [
        ("uk-subscribe", f"/uk{SUBSCRIBE}", "Email alerts"),
        ("uk-correction-form", f"/uk{CORRECTION_FORM}", "Suggest a correction or send evidence"),
    ]:
        visit(path)
        assert page.evaluate("document.documentElement.lang") == "uk"
        check(name, in_language("uk", heading))
    context.close()

    # The clicks did what they say, so the pages after them were the right ones.
    to_confirm.refresh_from_db()
    assert to_confirm.confirmed_at is not None
    assert not Subscription.objects.filter(pk=to_end.pk).exists()
    assert len(checked) == 15
    assert problems == {}


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_the_readers_forms_fit_every_width_with_the_honeypot_out_of_sight(browser, live_server, width):
    claim = Claim.objects.get(slug=SLUG)
    person = Person.objects.get(slug="donald-trump")
    subscriptions = [
        SubscriptionFactory(email="reader@example.org", scope=AlertScope.CLAIM, claim=claim),
        SubscriptionFactory(
            email="reader@example.org", scope=AlertScope.PERSON, person=person, frequency=AlertFrequency.WEEKLY
        ),
    ]
    pages = {
        "tip-form": CORRECTION_FORM,
        "subscribe": SUBSCRIBE,
        "manage": reverse("readers:manage", args=[tokens.manage_token(subscriptions)]),
    }
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    measured = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        found = page.evaluate(MEASURE_FORM)
        assert found["labelsMeasured"] >= 2, (name, found)
        assert found["buttons"] >= 1, (name, found)
        measured[name] = {
            "overflows": found["overflows"],
            "honeypotSeen": found["honeypotSeen"],
            "covering": found["covering"],
            "buttonsOutside": found["buttonsOutside"],
        }
        helpers.screenshot(page, f"readers-{name}-{width}")
    context.close()
    expected = {"overflows": False, "covering": [], "buttonsOutside": []}
    assert measured == {
        "tip-form": {**expected, "honeypotSeen": False},
        "subscribe": {**expected, "honeypotSeen": False},
        # No honeypot there: the page opens only from a signed link.
        "manage": {**expected, "honeypotSeen": None},
    }
