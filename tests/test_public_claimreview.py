"""Every claim page embeds schema.org ClaimReview JSON-LD built by public.claimreview."""

import json
import re

import pytest

from people.models import Person
from public.claimreview import claim_review
from tests.browser.data import build_world
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def world():
    return build_world()


def json_ld(response) -> dict:
    blocks = JSON_LD.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_the_claim_review_parses_and_holds_the_required_fields(client, world, settings):
    settings.CLAIMTRACKER_PUBLISHER_NAME = "Example Fact Desk"
    settings.CLAIMTRACKER_PUBLISHER_URL = "https://factdesk.example/"

    review = json_ld(client.get("/claims/build-10000-homes/"))

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "http://testserver/claims/build-10000-homes/"
    assert review["claimReviewed"] == "Build 10,000 affordable homes by 2027"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://factdesk.example/",
    }
    assert review["datePublished"] == world.correction.published_at.date().isoformat()
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] == "Person"
    assert item["author"]["name"] == "Ada Mayor"
    assert item["datePublished"] == world.pledge.made_on.isoformat()
    assert item["firstAppearance"]["@type"] == "CreativeWork"
    assert item["firstAppearance"]["headline"] == "Mayor launches housing pledge"
    assert item["firstAppearance"]["url"].startswith("https://")
    assert [work["headline"] for work in item["appearance"]] == ["Mayor repeats homes pledge"]
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Stalled",
        "ratingExplanation": "The budget was cut but the programme continues; it is stalled, not broken.",
    }


def test_an_organisation_is_the_claims_author_as_an_organization(client, world):
    review = json_ld(client.get("/claims/roads-plan/"))

    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Roads"}


def test_a_claim_not_yet_rated_has_a_named_rating_without_a_number(client, world):
    review = json_ld(client.get("/claims/roads-plan/"))

    rating = review["reviewRating"]
    assert "ratingValue" not in rating
    assert rating["alternateName"] == "Not yet rated"
    assert rating["ratingExplanation"] == world.plan.current_status.meaning


def test_the_builder_reads_nothing_more_from_the_database(world, django_assert_num_queries):
    claim = (
        type(world.statement)
        .objects.select_related("claimant", "current_status")
        .prefetch_related("appearances__source")
        .get(pk=world.statement.pk)
    )

    with django_assert_num_queries(0):
        review = claim_review(claim, url="https://example.org/c/", latest_update=None)

    assert review["reviewRating"]["ratingValue"] == 1
    assert "firstAppearance" not in review["itemReviewed"]


def test_a_wikidata_id_becomes_same_as(world):
    claim = StatementFactory(claimant=Person.objects.get(slug="ada-mayor"))

    review = claim_review(claim, url="https://example.org/c/", latest_update=None)

    assert review["itemReviewed"]["author"]["sameAs"] == "https://www.wikidata.org/wiki/Q42"
