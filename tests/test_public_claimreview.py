"""Every claim page with a verdict embeds schema.org ClaimReview JSON-LD built by claims.claimreview."""

import datetime
import json
import re

import pytest

from claims.claimreview import CLAIM_REVIEWED_GUIDELINE_LENGTH, claim_review, claim_review_summary_warning
from claims.models import Claim, DatePrecision, Source, Status
from people.models import Person
from tests import factories
from tests.browser.data import build_world
from tests.factories import StatementFactory, record_status

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def world():
    world = build_world()
    # The launch article came out the day the pledge was made: it is the pledge's first appearance.
    Source.objects.filter(title="Mayor launches housing pledge").update(published_on=world.pledge.made_on)
    return world


def json_ld(response) -> dict:
    blocks = JSON_LD.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])


def loaded(claim: Claim) -> Claim:
    return (
        Claim.objects.select_related("claimant", "current_status")
        .prefetch_related("appearances__source")
        .get(pk=claim.pk)
    )


def rated(claim: Claim, slug: str) -> Claim:
    record_status(
        claim=claim,
        status=Status.objects.get(scale=claim.scale, slug=slug),
        effective_on=claim.made_on_latest,
        rationale=f"Rated {slug}.",
        recorded_by=factories.EditorFactory(),
    )
    return loaded(claim)


def test_the_claim_review_parses_and_holds_the_required_fields(client, world, settings):
    settings.CLAIMTRACKER_PUBLISHER_NAME = "Example Fact Desk"
    settings.CLAIMTRACKER_SITE_URL = "https://factdesk.example/"

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
        "name": "Stalled",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Stalled",
        "ratingExplanation": "The budget was cut but the programme continues; it is stalled, not broken.",
    }


def test_the_review_is_signed_with_the_sites_public_address(world, settings):
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example.org/"
    settings.CLAIMTRACKER_PUBLISHER_URL = "https://publisher.example/"

    review = claim_review(loaded(world.pledge), url="https://claims.example.org/c/", latest_update=None)

    assert review["author"]["url"] == "https://claims.example.org/"


def test_an_organisation_is_the_claims_author_as_an_organization(world):
    claim = rated(factories.ClaimFactory(claimant=Person.objects.get(slug=world.plan.claimant.slug)), "kept")

    review = claim_review(claim, url="https://example.org/c/", latest_update=None)

    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Roads"}


def test_a_claim_not_yet_rated_has_no_claim_review(client, world):
    assert world.plan.current_status.is_default

    assert claim_review(loaded(world.plan), url="https://example.org/c/", latest_update=None) is None
    assert JSON_LD.findall(client.get("/claims/roads-plan/").content.decode()) == []


def test_the_builder_reads_nothing_more_from_the_database(world, django_assert_num_queries):
    claim = loaded(world.statement)

    with django_assert_num_queries(0):
        review = claim_review(claim, url="https://example.org/c/", latest_update=None)

    assert review["reviewRating"]["ratingValue"] == 1
    assert "firstAppearance" not in review["itemReviewed"]


def test_a_wikidata_id_becomes_same_as(world):
    claim = rated(StatementFactory(claimant=Person.objects.get(slug="ada-mayor")), "false")

    review = claim_review(claim, url="https://example.org/c/", latest_update=None)

    assert review["itemReviewed"]["author"]["sameAs"] == "https://www.wikidata.org/wiki/Q42"


def test_a_source_published_after_the_claim_was_made_is_an_appearance_not_the_first(world):
    claim = factories.ClaimFactory(made_on=datetime.date(2024, 9, 5))
    later = factories.SourceFactory(title="A week later", published_on=datetime.date(2024, 9, 12))
    factories.ClaimAppearanceFactory(claim=claim, source=later, is_first_appearance=True)

    item = claim_review(rated(claim, "kept"), url="https://example.org/c/", latest_update=None)["itemReviewed"]

    assert "firstAppearance" not in item
    assert [work["headline"] for work in item["appearance"]] == ["A week later"]


def test_a_claim_dated_to_a_month_is_dated_to_that_month_and_its_first_appearance_may_fall_in_it(world):
    claim = factories.ClaimFactory(made_on=datetime.date(2024, 9, 1), made_on_precision=DatePrecision.MONTH)
    source = factories.SourceFactory(title="Late September", published_on=datetime.date(2024, 9, 30))
    factories.ClaimAppearanceFactory(claim=claim, source=source, is_first_appearance=True)

    item = claim_review(rated(claim, "kept"), url="https://example.org/c/", latest_update=None)["itemReviewed"]

    assert item["datePublished"] == "2024-09"
    assert item["firstAppearance"]["headline"] == "Late September"
    assert "appearance" not in item


def test_a_source_with_no_known_date_is_never_claimed_as_the_first_appearance(world):
    claim = factories.ClaimFactory(made_on=datetime.date(2024, 9, 5))
    undated = factories.SourceFactory(title="Undated post", published_on=None)
    factories.ClaimAppearanceFactory(claim=claim, source=undated, is_first_appearance=True)

    item = claim_review(rated(claim, "kept"), url="https://example.org/c/", latest_update=None)["itemReviewed"]

    assert "firstAppearance" not in item
    assert [work["headline"] for work in item["appearance"]] == ["Undated post"]


def test_the_quote_reviewed_is_the_summary_and_a_long_one_gets_a_warning(world):
    claim = rated(factories.ClaimFactory(summary="Ten new bridges", quote="We will, I promise, build ten."), "kept")

    assert claim_review(claim, url="https://example.org/c/", latest_update=None)["claimReviewed"] == "Ten new bridges"
    assert claim_review_summary_warning("Ten new bridges") is None
    assert claim_review_summary_warning("x" * CLAIM_REVIEWED_GUIDELINE_LENGTH) is None
    warning = claim_review_summary_warning("x" * (CLAIM_REVIEWED_GUIDELINE_LENGTH + 1))
    assert warning is not None
    assert "76 characters" in warning
    assert "75" in warning
