"""The public tip forms (suggest a correction about a claim, suggest a claim to track): every way a
submission is refused (honeypot, timing stamp, per-address limit, message, evidence link, email),
each with its status code, a message the reader can act on and nothing stored; the happy path into
the moderation queue in the page's language; the 404 for a claim that is not published; the pages'
query counts; the form working as a plain POST with no JavaScript; and nothing a reader sends ever
appearing on a public page."""

from __future__ import annotations

import html
import re
import time
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from readers import guards
from readers.models import Tip, TipKind, TipState
from tests import factories

pytestmark = pytest.mark.django_db

MESSAGE = "The minister said 12,000 homes, not 10,000: see the council minutes of 3 March."
EVIDENCE = "https://council.example/minutes/2024-03-03"


def stamp(seconds_ago: float = 60, now: float | None = None) -> str:
    """The signed moment the form was served, ``seconds_ago`` before ``now``."""
    return guards.form_stamp(now=(now if now is not None else time.time()) - seconds_ago)


def tip_data(**overrides: str) -> dict[str, str]:
    data = {
        "message": MESSAGE,
        "evidence_url": EVIDENCE,
        "name": "Olena Reader",
        "email": "olena@example.org",
        "website": "",
        "started": stamp(),
    }
    data.update(overrides)
    return data


def altered(signed: str, at: int = -1) -> str:
    """``signed`` with one character changed."""
    position = at % len(signed)
    replacement = "A" if signed[position] != "A" else "B"
    return signed[:position] + replacement + signed[position + 1 :]


def page_text(response) -> str:
    """What a reader reads on the page: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()).replace(" :", ":")


def assert_refused(response, status: int, message: str) -> None:
    assert response.status_code == status
    assert message in page_text(response)
    assert not Tip.objects.exists()


@pytest.fixture(autouse=True)
def _defaults(settings):
    settings.READERS_FORM_MIN_SECONDS = 3
    settings.READERS_TIPS_PER_HOUR = 5
    settings.TRUSTED_PROXY_COUNT = 0


@pytest.fixture
def claim():
    return factories.ClaimFactory(summary="Build 10,000 homes by 2027", slug="build-homes")


@pytest.fixture(params=["suggest-correction", "suggest-claim"])
def form_url(request, claim) -> str:
    """Each public tip form: a correction about a published claim, and a claim to track."""
    if request.param == "suggest-correction":
        return reverse("readers:suggest-correction", args=[claim.slug])
    return reverse("readers:suggest-claim")


@pytest.fixture
def correction_url(claim) -> str:
    return reverse("readers:suggest-correction", args=[claim.slug])


@pytest.fixture
def frozen_now(monkeypatch) -> float:
    """The guards' clock stopped half-way through the current hour's window, so a test of the hourly
    limit never straddles two windows."""
    now = float((int(time.time()) // guards.WINDOW_SECONDS) * guards.WINDOW_SECONDS + 1800)
    monkeypatch.setattr(guards, "time", SimpleNamespace(time=lambda: now))
    return now


# The honeypot and the timing stamp.


def test_a_tip_with_the_honeypot_field_filled_is_refused_with_a_message(client, form_url):
    response = client.post(form_url, tip_data(website="https://spam.example/"))

    assert_refused(
        response,
        400,
        "The field “Leave this empty” was filled in, as automated programs do, so nothing was sent.",
    )


def test_a_tip_sent_faster_than_the_minimum_time_is_refused_with_a_message(client, form_url, settings):
    settings.READERS_FORM_MIN_SECONDS = 30

    response = client.post(form_url, tip_data(started=stamp(seconds_ago=10)))

    assert_refused(
        response,
        400,
        "The form was sent 10 seconds after it was opened, faster than a person can fill it in. "
        "Please check it and send it again.",
    )


def test_a_tip_sent_just_after_the_minimum_time_is_accepted(client, correction_url, settings):
    settings.READERS_FORM_MIN_SECONDS = 30

    response = client.post(correction_url, tip_data(started=stamp(seconds_ago=31)))

    assert response.status_code == 302
    assert Tip.objects.count() == 1


@pytest.mark.parametrize(
    "started",
    [
        pytest.param(lambda: altered(stamp()), id="signature-altered"),
        pytest.param(lambda: altered(stamp(), at=0), id="value-altered"),
        pytest.param(
            lambda: signing.dumps(int(time.time()) - 3600, salt="some.other.form"), id="signed-for-another-purpose"
        ),
        pytest.param(lambda: "1700000000", id="a-bare-timestamp"),
        pytest.param(lambda: "", id="missing"),
    ],
)
def test_a_tip_whose_stamp_was_altered_or_is_missing_is_refused_with_a_message(client, form_url, started):
    response = client.post(form_url, tip_data(started=started()))

    assert_refused(
        response,
        400,
        "This form could not be checked (it may have been altered). Please send it again from this page.",
    )


def test_a_tip_without_the_stamp_field_at_all_is_refused_with_a_message(client, form_url):
    data = tip_data()
    del data["started"]

    response = client.post(form_url, data)

    assert_refused(response, 400, "This form could not be checked (it may have been altered).")


def test_a_tip_from_a_form_opened_more_than_a_day_ago_is_refused_with_a_message(client, form_url):
    two_days_ago = time.time() - 2 * 24 * 3600
    # The signature's own timestamp is what ages: sign the stamp as if it were two days ago.
    with mock.patch("django.core.signing.time", SimpleNamespace(time=lambda: two_days_ago)):
        old_stamp = guards.form_stamp(now=two_days_ago)

    response = client.post(form_url, tip_data(started=old_stamp))

    assert_refused(
        response,
        400,
        "This form was opened more than a day ago. We have loaded it again: please send it once more.",
    )


def test_a_refused_form_comes_back_with_the_message_kept_and_a_fresh_valid_stamp(client, correction_url):
    sent_stamp = "altered"

    response = client.post(correction_url, tip_data(started=sent_stamp))

    assert response.status_code == 400
    page = page_text(response)
    assert MESSAGE in page  # the reader does not type it again
    fresh = re.search(r'name="started" value="([^"]+)"', response.content.decode())
    assert fresh is not None
    assert fresh.group(1) != sent_stamp
    assert guards.stamp_problem(fresh.group(1), now=time.time() + 60) is None


# The limit per address and hour.


def test_tips_past_the_hourly_limit_from_one_address_are_refused_with_retry_after(
    client, form_url, settings, frozen_now
):
    settings.READERS_TIPS_PER_HOUR = 2
    for number in range(2):
        response = client.post(form_url, tip_data(message=f"Tip {number}", started=stamp(now=frozen_now)))
        assert response.status_code == 302

    response = client.post(form_url, tip_data(message="One tip too many", started=stamp(now=frozen_now)))

    assert response.status_code == 429
    # The window ends 1800 seconds after the frozen moment; one more second to be past it.
    assert response["Retry-After"] == "1801"
    assert (
        "You have sent 2 forms from this address in the last hour, our limit. Please try again in 31 minutes."
        in page_text(response)
    )
    assert sorted(Tip.objects.values_list("message", flat=True)) == ["Tip 0", "Tip 1"]


def test_the_hourly_limit_counts_per_address_so_another_address_is_not_throttled(
    client, correction_url, settings, frozen_now
):
    settings.READERS_TIPS_PER_HOUR = 1
    assert client.post(correction_url, tip_data(started=stamp(now=frozen_now))).status_code == 302
    assert client.post(correction_url, tip_data(started=stamp(now=frozen_now))).status_code == 429

    response = client.post(
        correction_url, tip_data(message="From elsewhere", started=stamp(now=frozen_now)), REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 302
    assert Tip.objects.filter(message="From elsewhere").exists()
    assert Tip.objects.count() == 2


def test_the_hourly_count_lives_in_the_shared_cache_so_two_clients_from_one_address_share_it(
    correction_url, settings, frozen_now
):
    settings.READERS_TIPS_PER_HOUR = 2
    first, second = Client(REMOTE_ADDR="198.51.100.4"), Client(REMOTE_ADDR="198.51.100.4")
    assert first.post(correction_url, tip_data(started=stamp(now=frozen_now))).status_code == 302
    assert second.post(correction_url, tip_data(started=stamp(now=frozen_now))).status_code == 302

    response = first.post(correction_url, tip_data(message="Third", started=stamp(now=frozen_now)))

    assert response.status_code == 429
    assert response.has_header("Retry-After")
    assert "You have sent 2 forms from this address in the last hour" in page_text(response)
    assert Tip.objects.count() == 2


def test_the_hourly_limit_starts_again_in_the_next_window(client, correction_url, settings, monkeypatch):
    settings.READERS_TIPS_PER_HOUR = 1
    start = float((int(time.time()) // 3600) * 3600 + 1800)
    clock = SimpleNamespace(time=lambda: start)
    monkeypatch.setattr(guards, "time", clock)
    assert client.post(correction_url, tip_data(started=stamp(now=start))).status_code == 302
    assert client.post(correction_url, tip_data(started=stamp(now=start))).status_code == 429

    clock.time = lambda: start + 3600

    assert client.post(correction_url, tip_data(started=stamp(now=start + 3600))).status_code == 302
    assert Tip.objects.count() == 2


# What the reader typed.


def test_a_message_longer_than_5000_characters_is_refused_with_a_message(client, form_url):
    response = client.post(form_url, tip_data(message="x" * 5001))

    assert_refused(response, 400, "Ensure this value has at most 5000 characters (it has 5001).")


def test_a_message_of_exactly_5000_characters_is_accepted(client, correction_url):
    response = client.post(correction_url, tip_data(message="x" * 5000))

    assert response.status_code == 302
    assert len(Tip.objects.get().message) == 5000


@pytest.mark.parametrize("message", ["", "   \n  "])
def test_an_empty_message_is_refused_with_a_message(client, form_url, message):
    response = client.post(form_url, tip_data(message=message))

    assert_refused(response, 400, "Your message: This field is required.")


NOT_WEB_ADDRESSES = [
    "ftp://files.example/minutes.pdf",
    "javascript:alert(document.cookie)",
    "file:///etc/passwd",
    "not a web address",
]


@pytest.mark.parametrize("url", NOT_WEB_ADDRESSES)
def test_an_evidence_link_that_is_not_an_http_or_https_address_is_refused_at_that_field(client, form_url, url):
    response = client.post(form_url, tip_data(evidence_url=url))

    assert response.status_code == 400
    assert not Tip.objects.exists()
    assert "evidence_url" in response.context["form"].errors
    assert re.search(r'<p class="field__error" id="id_evidence_url[-_]error">', response.content.decode())
    assert "Link to evidence (optional):" in page_text(response)


def test_the_refusal_of_an_evidence_link_says_what_a_web_address_must_start_with(client, correction_url):
    """The form's own message, not Django's generic "Enter a valid URL." (which says nothing of ftp: or
    javascript: being refused)."""
    for url in NOT_WEB_ADDRESSES:
        response = client.post(correction_url, tip_data(evidence_url=url))

        assert_refused(
            response, 400, "Link to evidence (optional): Enter a web address starting with https:// or http://."
        )


def test_an_evidence_link_longer_than_500_characters_is_refused_with_a_message(client, form_url):
    url = "https://council.example/" + "a" * 480
    assert len(url) == 504

    response = client.post(form_url, tip_data(evidence_url=url))

    assert_refused(response, 400, "Ensure this value has at most 500 characters (it has 504).")


@pytest.mark.parametrize("email", ["olena", "olena@", "olena at example.org", "<olena@example.org>"])
def test_an_invalid_email_address_is_refused_with_a_message(client, form_url, email):
    response = client.post(form_url, tip_data(email=email))

    assert_refused(response, 400, "Your email (optional): Enter a valid email address.")


def test_the_refusal_message_links_to_the_field_at_fault(client, correction_url):
    response = client.post(correction_url, tip_data(email="olena"))

    assert response.status_code == 400
    assert '<a href="#id_email">Your email (optional)</a>' in response.content.decode()
    assert re.search(
        r'<p class="field__error" id="id_email[-_]error">Enter a valid email address.</p>', response.content.decode()
    )


# Accepted tips.


def test_a_valid_correction_is_stored_as_new_and_redirects_to_the_thank_you_page(client, claim, correction_url):
    response = client.post(correction_url, tip_data(message=f"  {MESSAGE}  "))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('readers:tip-sent')}?claim={claim.slug}"
    tip = Tip.objects.get()
    assert tip.kind == TipKind.CORRECTION
    assert tip.claim == claim
    assert tip.state == TipState.NEW
    assert tip.message == MESSAGE
    assert tip.evidence_url == EVIDENCE
    assert (tip.name, tip.email) == ("Olena Reader", "olena@example.org")
    assert tip.language == "en"
    assert tip.resolved_at is None

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you: your message reached our editors" in page_text(thanks)
    assert f'href="{claim.get_absolute_url()}"' in thanks.content.decode()


def test_a_valid_suggestion_of_a_claim_to_track_is_stored_with_no_claim(client):
    response = client.post(reverse("readers:suggest-claim"), tip_data(evidence_url=""))

    assert response.status_code == 302
    assert response["Location"] == reverse("readers:tip-sent")
    tip = Tip.objects.get()
    assert tip.kind == TipKind.NEW_CLAIM
    assert tip.claim is None
    assert tip.state == TipState.NEW
    assert tip.evidence_url == ""


def test_name_and_email_are_optional(client, form_url):
    response = client.post(form_url, tip_data(name="", email=""))

    assert response.status_code == 302
    tip = Tip.objects.get()
    assert (tip.name, tip.email) == ("", "")
    assert not tip.can_be_answered


def test_an_evidence_link_without_a_scheme_is_stored_as_https(client, correction_url):
    response = client.post(correction_url, tip_data(evidence_url="council.example/minutes"))

    assert response.status_code == 302
    assert Tip.objects.get().evidence_url == "https://council.example/minutes"


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_tip_sent_from_a_page_in_another_language_is_stored_in_that_language(client, claim, language):
    with translation.override(language):
        url = reverse("readers:suggest-correction", args=[claim.slug])
        sent = reverse("readers:tip-sent")
    assert url.startswith(f"/{language}/")

    response = client.post(url, tip_data())

    assert response.status_code == 302
    assert response["Location"] == f"{sent}?claim={claim.slug}"
    assert Tip.objects.get().language == language


# Claims that are not published.


def test_a_correction_about_a_draft_claim_is_a_404_and_stores_nothing(client):
    draft = factories.DraftClaimFactory(slug="secret-draft")
    url = reverse("readers:suggest-correction", args=[draft.slug])

    for response in (client.get(url), client.post(url, tip_data())):
        assert response.status_code == 404
        assert "There is no published claim at this address." in page_text(response)
        assert draft.summary not in page_text(response)
    assert not Tip.objects.exists()


def test_a_correction_about_an_unknown_claim_is_a_404_and_stores_nothing(client, claim):
    url = reverse("readers:suggest-correction", args=["no-such-claim"])

    for response in (client.get(url), client.post(url, tip_data())):
        assert response.status_code == 404
        assert "Claim not found" in page_text(response)
    assert not Tip.objects.exists()


# The pages themselves.


def test_the_correction_form_page_runs_a_fixed_number_of_queries(client, claim, django_assert_num_queries):
    # The published claim joined to its claimant; the rest of the page reads nothing.
    with django_assert_num_queries(1):
        response = client.get(reverse("readers:suggest-correction", args=[claim.slug]))
    assert response.status_code == 200
    page = page_text(response)
    assert "Suggest a correction or send evidence" in page
    assert claim.summary in page
    assert claim.claimant.name in page


def test_the_suggest_a_claim_page_runs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("readers:suggest-claim"))
    assert response.status_code == 200
    assert "Suggest a claim to track" in page_text(response)


def test_the_form_pages_are_never_cached_nor_indexed(client, form_url):
    response = client.get(form_url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_the_form_is_a_plain_post_with_a_csrf_token_and_a_hidden_honeypot(client, form_url):
    page = client.get(form_url).content.decode()

    form = re.search(r"<form[^>]*>.*?</form>", page, re.S)
    assert form is not None
    assert 'method="post"' in form.group(0)
    assert "action=" not in form.group(0).split(">", 1)[0]  # posts back to the page itself
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert re.search(r'<input type="hidden" name="started" value="[^"]+"', form.group(0))
    trap = re.search(r'<div class="trap" aria-hidden="true">(.*?)</div>', form.group(0), re.S)
    assert trap is not None
    assert 'name="website"' in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)
    assert 'autocomplete="off"' in trap.group(1)


def test_the_form_works_without_javascript_by_sending_back_what_the_page_served(claim, settings, monkeypatch):
    """A browser with no JavaScript: the CSRF cookie and token and the stamp the page served, sent back as is."""
    settings.READERS_FORM_MIN_SECONDS = 3
    browser = Client(enforce_csrf_checks=True)
    url = reverse("readers:suggest-correction", args=[claim.slug])
    page = browser.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    # The reader takes a minute to write.
    later = time.time() + 60
    monkeypatch.setattr(guards, "time", SimpleNamespace(time=lambda: later))

    response = browser.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "message": MESSAGE,
            "evidence_url": "",
            "name": "",
            "email": "",
            "website": "",
            "started": started,
        },
    )

    assert response.status_code == 302
    assert Tip.objects.get().message == MESSAGE


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(claim):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("readers:suggest-correction", args=[claim.slug]), tip_data())

    assert response.status_code == 403
    assert not Tip.objects.exists()


# Nothing a reader sends is public.


def test_nothing_a_reader_sends_appears_on_the_public_claim_page_or_the_claim_list(client, claim, correction_url):
    secret = "Unverified rumour 7f3a: the contractor is the minister's cousin."
    response = client.post(
        correction_url,
        tip_data(message=secret, name="Olena Reader", email="olena@example.org", evidence_url=EVIDENCE),
    )
    assert response.status_code == 302
    assert Tip.objects.filter(message=secret).exists()

    for url in (claim.get_absolute_url(), reverse("public:claim-list")):
        page = client.get(url)
        assert page.status_code == 200, url
        text = page_text(page)
        assert claim.summary in text, url  # the page is about the claim...
        for private in (secret, "7f3a", "Olena Reader", "olena@example.org", EVIDENCE):
            assert private not in text, (url, private)  # ...and says nothing of the tip
    thanks = page_text(client.get(response["Location"]))
    assert secret not in thanks
    assert "olena@example.org" not in thanks
