"""oEmbed: the claim page advertises it, and the endpoint hands out the card's iframe for
published claims only, JSON only."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from claims.models import Visibility
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return factories.ClaimFactory(
        summary="Build 10,000 affordable homes", slug="build-homes", claimant=factories.PersonFactory(name="Ada Mayor")
    )


def oembed(client, url: str, **params):
    return client.get("/oembed", {"url": url, **params})


def test_the_claim_page_links_to_its_oembed(client, claim):
    page = client.get("/claims/build-homes/").content.decode()

    link = re.search(r'<link rel="alternate" type="application/json\+oembed" title="[^"]*" href="([^"]+)">', page)
    assert link is not None
    href = urlsplit(html.unescape(link.group(1)))
    assert (href.scheme, href.netloc, href.path) == ("http", "testserver", "/oembed")
    query = parse_qs(href.query)
    assert query == {"url": ["http://testserver/claims/build-homes/"], "format": ["json"]}

    response = client.get(f"{href.path}?{href.query}")
    assert response.status_code == 200
    assert response.json()["type"] == "rich"


def test_a_claim_url_gives_a_rich_embed_of_its_card(client, claim, settings):
    settings.CLAIMTRACKER_PUBLISHER_NAME = "Springfield Fact Desk"
    settings.CLAIMTRACKER_PUBLISHER_URL = "https://factdesk.example/"

    response = oembed(client, "http://testserver/claims/build-homes/", format="json")
    body = response.json()

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert "public" in response.headers["Cache-Control"]
    assert body["version"] == "1.0"
    assert body["type"] == "rich"
    assert (body["width"], body["height"]) == (480, 260)
    assert body["title"] == "Build 10,000 affordable homes"
    assert body["author_name"] == "Ada Mayor"
    assert body["provider_name"] == "Springfield Fact Desk"
    assert body["provider_url"] == "https://factdesk.example/"
    assert body["html"].startswith('<iframe src="http://testserver/embed/claims/build-homes/" width="480" height="260"')
    assert 'title="Ada Mayor: Build 10,000 affordable homes — Not yet rated"' in body["html"]


def test_the_iframe_respects_the_consumers_maximum_size(client, claim):
    body = oembed(client, "http://testserver/claims/build-homes/", maxwidth="300", maxheight="200").json()
    assert (body["width"], body["height"]) == (300, 200)
    assert 'width="300" height="200"' in body["html"]

    wide = oembed(client, "http://testserver/claims/build-homes/", maxwidth="2000", maxheight="junk").json()
    assert (wide["width"], wide["height"]) == (480, 260)


def test_the_site_url_setting_is_recognised_as_ours(client, claim, settings):
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example/"

    assert oembed(client, "https://claims.example/claims/build-homes/?utm_source=x#timeline").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/claims/no-such-claim/",
        "http://elsewhere.example/claims/build-homes/",
        "http://testserver/people/ada-mayor/",
        "http://testserver/claims/",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_url_that_is_not_one_of_our_published_claims_is_a_json_404(client, claim, url):
    response = oembed(client, url)

    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_drafts_have_no_embed(client):
    factories.DraftClaimFactory(slug="hidden")

    assert oembed(client, "http://testserver/claims/hidden/").status_code == 404


def test_a_withdrawn_claim_has_no_embed_and_the_error_gives_the_reason(client):
    factories.ClaimFactory(
        slug="hidden",
        visibility=Visibility.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="Misattributed quote.",
    )

    response = oembed(client, "http://testserver/claims/hidden/")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "This claim was withdrawn: Misattributed quote."


def test_only_json_is_offered(client, claim):
    response = oembed(client, "http://testserver/claims/build-homes/", format="xml")

    assert response.status_code == 501
    assert response.json()["error"]["status"] == 501
