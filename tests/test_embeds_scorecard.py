"""The embeddable scorecard cards (a person's, a term's): what they show, that any site may frame
them, that they are cacheable, and that oEmbed hands out their iframe for scorecard pages as it
does for claim pages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests import factories
from tests.api_support import published_claim, record
from tests.scorecard_support import TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mayor():
    """Six pledges: 1 kept, 2 broken, 1 in the works, 2 not yet rated; four of them in the current term."""
    mayor = factories.PersonFactory(name="Ada Mayor", role="Mayor of Springfield", slug="ada-mayor")
    term = TermFactory(
        person=mayor,
        office="Mayor of Springfield",
        starts_on=timezone.localdate() - datetime.timedelta(days=99),
        ends_on=None,
    )
    for index, status in enumerate(["kept", "broken", "broken", "in-the-works", None, None]):
        pledge = published_claim(claimant=mayor, summary=f"Pledge {index}", term=term if index >= 2 else None)
        if status:
            record(pledge, status, days_after=3)
    mayor.term = term
    return mayor


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_persons_card_shows_the_shares_of_the_verdicts_and_the_counts_and_links_to_the_scorecard(client, mayor):
    response = client.get("/embed/people/ada-mayor/scorecard/")
    html = response.content.decode()
    text = text_of(html)

    assert response.status_code == 200
    assert '<h1 class="card__summary">Ada Mayor</h1>' in html
    assert "Mayor of Springfield" in text
    assert "Of the 3 pledges with a verdict:" in text
    assert 'Kept</span> <span class="scorecard__share">33%' in html
    assert 'Broken</span> <span class="scorecard__share">67%' in html
    assert "6 pledges · 3 with a verdict · 3 still being tracked" in text
    assert "Not yet rated: 2" in text
    assert "In the works: 1" in text
    assert '<span style="width:33.333%;background:#6b7280"></span>' in html
    assert (
        '<a href="http://testserver/people/ada-mayor/scorecard/" target="_blank" rel="noopener">'
        "Full scorecard and progress over time" in html
    )
    assert "<script" not in html
    assert '<html lang="en">' in html


def test_a_terms_card_says_which_day_of_the_term_it_is_and_counts_only_its_pledges(client, mayor):
    html = client.get(f"/embed/terms/{mayor.term.pk}/").content.decode()
    text = text_of(html)

    assert "Day 100" in text
    assert "Mayor of Springfield · from " in text
    # Pledges 2 to 5: broken, in the works, two not yet rated.
    assert "4 pledges · 1 with a verdict · 3 still being tracked" in text
    assert 'Broken</span> <span class="scorecard__share">100%' in html
    assert f'href="http://testserver/terms/{mayor.term.pk}/"' in html


def test_a_card_with_no_verdict_says_so(client):
    published_claim(claimant=factories.PersonFactory(slug="newcomer"), summary="Fix roads")

    text = text_of(client.get("/embed/people/newcomer/scorecard/").content.decode())

    assert "No verdicts yet" in text
    assert "1 pledge · 0 with a verdict · 1 still being tracked" in text


def test_the_card_is_in_the_language_of_its_address(client, mayor):
    html = client.get("/uk/embed/people/ada-mayor/scorecard/").content.decode()

    assert '<html lang="uk">' in html
    assert "Виконано" in html
    assert 'href="http://testserver/uk/people/ada-mayor/scorecard/"' in html


@pytest.mark.parametrize("path", ["/embed/people/ada-mayor/scorecard/", "/embed/terms/{term}/"])
def test_any_site_may_frame_the_scorecard_cards(client, mayor, path):
    response = client.get(path.format(term=mayor.term.pk))

    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_scorecard_pages_themselves_may_not_be_framed(client, mayor):
    response = client.get("/people/ada-mayor/scorecard/")

    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/embed/people/ada-mayor/scorecard/", "/embed/terms/{term}/"])
def test_the_cards_are_cacheable_and_answer_304(client, mayor, path):
    path = path.format(term=mayor.term.pk)
    first = client.get(path)

    assert "public" in first.headers["Cache-Control"]
    assert "max-age=300" in first.headers["Cache-Control"]
    assert first.headers["ETag"].startswith('"scorecard-card-')
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]


def test_a_status_update_changes_the_persons_card(client, mayor):
    etag = client.get("/embed/people/ada-mayor/scorecard/").headers["ETag"]
    record(mayor.claims.get(summary="Pledge 4"), "kept", days_after=5)

    response = client.get("/embed/people/ada-mayor/scorecard/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "Kept: 2" in text_of(response.content.decode())


def test_who_has_no_published_claim_has_no_card(client):
    factories.PersonFactory(slug="nobody")
    hidden = factories.PersonFactory(slug="hidden")
    factories.DraftClaimFactory(claimant=hidden, summary="Secret draft")
    term = TermFactory(person=hidden)

    for path in ("/embed/people/nobody/scorecard/", "/embed/people/hidden/scorecard/", f"/embed/terms/{term.pk}/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Scorecard not found" in response.content.decode()
        assert "Secret draft" not in response.content.decode()
    assert client.get("/embed/terms/999999/").status_code == 404


def test_the_card_escapes_what_editors_typed(client):
    person = factories.PersonFactory(name="<script>alert(1)</script>", role='"><img src=x>', slug="evil")
    published_claim(claimant=person)

    html = client.get("/embed/people/evil/scorecard/").content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_the_cards_keep_fixed_query_counts(client, mayor, django_assert_num_queries):
    # 1 the data version, 2 the person's freshness, 3 the status scales (ETag), 4 the person,
    # 5 the promise statuses, 6 the counts per status.
    with django_assert_num_queries(6):
        assert client.get("/embed/people/ada-mayor/scorecard/").status_code == 200
    # 1 the data version, 2 the site's freshness, 3 the status scales, 4 the term with its person,
    # 5 the statuses, 6 the counts.
    with django_assert_num_queries(6):
        assert client.get(f"/embed/terms/{mayor.term.pk}/").status_code == 200
    # Again: the data version, then the validators and the page from the cache.
    with django_assert_num_queries(1):
        assert client.get(f"/embed/terms/{mayor.term.pk}/").status_code == 200


# --- oEmbed -------------------------------------------------------------------------------------------


def oembed(client, url: str, **params):
    return client.get("/oembed", {"url": url, **params})


def test_a_person_scorecard_url_gives_a_rich_embed_of_its_card(client, mayor, settings):
    settings.CLAIMTRACKER_PUBLISHER_NAME = "Springfield Fact Desk"

    response = oembed(client, "http://testserver/people/ada-mayor/scorecard/")
    body = response.json()

    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert (body["version"], body["type"], body["width"], body["height"]) == ("1.0", "rich", 480, 260)
    assert body["html"].startswith(
        '<iframe src="http://testserver/embed/people/ada-mayor/scorecard/" width="480" height="260"'
    )
    assert 'title="Scorecard: Ada Mayor"' in body["html"]
    assert body["title"] == "Scorecard: Ada Mayor"
    assert body["description"] == (
        "Compromise 0%, Kept 33%, Broken 67%, Unclear / cannot be rated 0% of the pledges with a verdict. "
        "6 pledges · 3 with a verdict · 3 still being tracked."
    )
    assert body["author_name"] == "Ada Mayor"
    assert body["author_url"] == "http://testserver/people/ada-mayor/"
    assert body["provider_name"] == "Springfield Fact Desk"


def test_a_term_url_gives_the_terms_card(client, mayor):
    body = oembed(client, f"http://testserver/terms/{mayor.term.pk}/", maxwidth="300").json()

    assert body["html"].startswith(f'<iframe src="http://testserver/embed/terms/{mayor.term.pk}/" width="300"')
    assert body["title"].startswith("Scorecard: Ada Mayor, Mayor of Springfield (from ")
    assert body["description"].endswith("4 pledges · 1 with a verdict · 3 still being tracked.")


def test_a_ukrainian_scorecard_url_gives_the_ukrainian_card(client, mayor):
    response = oembed(client, "http://testserver/uk/people/ada-mayor/scorecard/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "uk"
    assert 'src="http://testserver/uk/embed/people/ada-mayor/scorecard/"' in response.json()["html"]
    assert "Виконано 33%" in response.json()["description"]


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/people/nobody/scorecard/",
        "http://testserver/terms/999999/",
        "http://elsewhere.example/people/ada-mayor/scorecard/",
    ],
)
def test_a_scorecard_url_with_no_public_scorecard_is_a_json_404(client, mayor, url):
    factories.PersonFactory(slug="nobody")

    response = oembed(client, url)

    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_a_claim_url_still_gives_the_claims_card(client):
    factories.ClaimFactory(
        summary="Build homes", slug="build-homes", claimant=factories.PersonFactory(name="Ada Mayor")
    )

    body = oembed(client, "http://testserver/claims/build-homes/").json()

    assert body["html"].startswith('<iframe src="http://testserver/embed/claims/build-homes/" width="480" height="260"')
    assert 'title="Ada Mayor: Build homes — Not yet rated"' in body["html"]
    assert body["title"] == "Build homes"
    assert oembed(client, "http://testserver/people/ada-mayor/").json()["error"]["message"] == (
        "No published claim at this URL."
    )


def test_the_scorecard_oembed_keeps_a_fixed_query_count(client, mayor, django_assert_num_queries):
    # The person, the promise statuses, the counts per status.
    with django_assert_num_queries(3):
        assert oembed(client, "http://testserver/people/ada-mayor/scorecard/").status_code == 200
    # The term with its person, the statuses, the counts.
    with django_assert_num_queries(3):
        assert oembed(client, f"http://testserver/terms/{mayor.term.pk}/").status_code == 200
