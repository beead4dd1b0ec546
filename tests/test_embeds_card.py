"""The embeddable status card: what it shows, that any site may frame it (and no other page),
that it is cacheable with validators, and that drafts and withdrawn claims have no card."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from claims.models import Visibility
from tests import factories
from tests.api_support import published_claim, record

pytestmark = pytest.mark.django_db


def card_url(claim) -> str:
    return f"/embed/claims/{claim.slug}/"


@pytest.fixture
def claim():
    mayor = factories.PersonFactory(name="Ada Mayor", role="Mayor of Springfield")
    claim = published_claim(claimant=mayor, summary="Build 10,000 affordable homes by 2027")
    record(claim, "in-the-works", days_after=3)
    claim.refresh_from_db()
    return claim


def test_the_card_shows_the_claim_its_claimant_status_and_last_update_and_links_back(client, claim):
    response = client.get(card_url(claim))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Build 10,000 affordable homes by 2027" in html
    assert "Ada Mayor, Mayor of Springfield" in html
    assert "In the works" in html
    assert f'datetime="{claim.status_changed_on:%Y-%m-%d}"' in html
    assert (
        f'<a href="http://testserver/claims/{claim.slug}/" target="_blank" rel="noopener">Evidence and full timeline'
        in html
    )
    assert "<script" not in html
    assert '<html lang="en">' in html


def test_a_claim_with_no_status_update_says_so(client):
    claim = published_claim(summary="Plant a million trees")

    html = client.get(card_url(claim)).content.decode()

    assert "Not yet rated" in html
    assert "no status update yet" in html


def test_any_site_may_frame_the_card(client, claim):
    response = client.get(card_url(claim))

    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "'none'" not in response.headers["Content-Security-Policy"].split("frame-ancestors")[1].split(";")[0]
    assert "X-Frame-Options" not in response.headers
    # The rest of the policy still applies inside the frame.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/", "/claims/", "/claims/{slug}/", "/oembed?url=x", "/admin/login/", "/api/v1/claims", "/methodology/"],
)
def test_no_other_page_may_be_framed(client, claim, path):
    response = client.get(path.format(slug=claim.slug))

    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_card_is_cacheable_and_answers_304_to_a_current_copy(client, claim):
    first = client.get(card_url(claim))

    assert "public" in first.headers["Cache-Control"]
    assert "max-age=300" in first.headers["Cache-Control"]
    assert first.headers["ETag"].startswith('"card-')
    assert first.headers["Last-Modified"]

    again = client.get(card_url(claim), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]
    since = client.get(card_url(claim), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_a_new_status_update_changes_the_validators(client, claim):
    etag = client.get(card_url(claim)).headers["ETag"]
    record(claim, "kept", days_after=10)

    response = client.get(card_url(claim), headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "Kept" in response.content.decode()


def test_the_card_and_the_claim_page_have_different_etags(client, claim):
    assert client.get(card_url(claim)).headers["ETag"] != client.get(f"/claims/{claim.slug}/").headers["ETag"]


def test_a_draft_or_unknown_claim_has_no_card_and_a_withdrawn_one_says_so(client):
    draft = factories.DraftClaimFactory(summary="Secret draft")
    withdrawn = factories.ClaimFactory(
        visibility=Visibility.WITHDRAWN,
        summary="Taken down",
        withdrawn_at=timezone.now(),
        withdrawal_reason="The quote was misattributed to the mayor.",
    )

    draft_response = client.get(card_url(draft))
    assert draft_response.status_code == 404
    assert "Secret draft" not in draft_response.content.decode()
    assert client.get("/embed/claims/no-such-claim/").status_code == 404
    withdrawn_response = client.get(card_url(withdrawn))
    assert withdrawn_response.status_code == 410
    assert "Taken down" not in withdrawn_response.content.decode()
    assert "withdrew" in withdrawn_response.content.decode()
    assert "The quote was misattributed to the mayor." in withdrawn_response.content.decode()


def test_the_card_escapes_what_editors_typed(client):
    claimant = factories.PersonFactory(name="<script>alert(1)</script>")
    claim = factories.ClaimFactory(claimant=claimant, summary='"><img src=x onerror=alert(1)>')

    html = client.get(card_url(claim)).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_the_card_takes_four_queries(client, claim, django_assert_num_queries):
    # 1 the data version, 2 the claim's freshness, 3 the status scales (ETag), 4 the claim with
    # claimant and status.
    with django_assert_num_queries(4):
        response = client.get(card_url(claim))
        assert response.status_code == 200


def test_only_get_and_head_are_answered(client, claim):
    assert client.post(card_url(claim)).status_code == 405
    assert client.head(card_url(claim)).status_code == 200


def test_the_last_update_date_is_the_status_date_not_today(client):
    claim = published_claim(made_on=timezone.localdate() - datetime.timedelta(days=400))
    record(claim, "stalled", days_after=5)
    claim.refresh_from_db()

    html = client.get(card_url(claim)).content.decode()

    assert f"{claim.status_changed_on:%-d %B %Y}" in html


def wording_claim(**fields):
    defaults = {"summary": "Rebuild the bridge", "quote": "We will rebuild the bridge by spring."}
    return published_claim(**{**defaults, **fields})


def test_a_paraphrase_is_never_in_quotation_marks_and_says_who_reported_it(client):
    herald = factories.SourceFactory(publisher="Exampleton Herald")
    claim = wording_claim(wording="paraphrase", wording_source=herald)

    html = client.get(card_url(claim)).content.decode()

    assert "We will rebuild the bridge by spring." in html
    assert "“We will rebuild" not in html
    assert "<blockquote" not in html
    assert "as reported by Exampleton Herald" in html


def test_a_verbatim_quote_is_in_quotation_marks_and_names_its_source(client):
    source = factories.SourceFactory(title="Mayor speaks", publisher="City Radio")
    claim = wording_claim(wording="verbatim", wording_source=source)

    html = client.get(card_url(claim)).content.decode()

    assert "“We will rebuild the bridge by spring.”" in html
    assert "in Mayor speaks (City Radio)" in html


def test_a_translation_is_labelled_with_its_language(client):
    claim = wording_claim(wording="translation", wording_source=factories.SourceFactory(), original_language="uk")

    html = client.get(card_url(claim)).content.decode()

    assert "“We will rebuild the bridge by spring.”" in html
    assert "Translated from Ukrainian (uk)" in html


def test_the_card_dates_the_claim_no_more_precisely_than_known(client):
    claim = wording_claim(made_on=datetime.date(2024, 9, 1), made_on_precision="month")

    html = client.get(card_url(claim)).content.decode()

    assert "made in September 2024" in html
    assert "1 September 2024" not in html


def test_a_verdict_awaiting_approval_puts_nothing_on_the_card(client, settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    claim = wording_claim()
    record(claim, "broken", evidence=1)

    html = client.get(card_url(claim)).content.decode()

    assert "Broken" not in html
    assert "Rated broken on the evidence." not in html
    assert "Not yet rated" in html


def test_the_oembed_description_words_a_paraphrase_honestly(client):
    herald = factories.SourceFactory(publisher="Exampleton Herald")
    claim = wording_claim(
        wording="paraphrase", wording_source=herald, made_on=datetime.date(2024, 1, 1), made_on_precision="year"
    )

    body = client.get("/oembed", {"url": f"http://testserver/claims/{claim.slug}/"}).json()

    assert "as reported by Exampleton Herald: We will rebuild the bridge by spring." in body["description"]
    assert "“" not in body["description"]
    assert "made in 2024" in body["description"]
