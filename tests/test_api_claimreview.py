import datetime

import pytest

from claims.claimreview import claim_review
from claims.models import DatePrecision
from tests import factories
from tests.api_support import error_of, record

pytestmark = pytest.mark.django_db


def test_a_claims_claimreview_has_the_verdict_and_the_public_pages_mapping(client):
    claim = factories.ClaimFactory(summary="Ten new bridges")
    factories.ClaimAppearanceFactory(claim=claim)
    update = record(claim, "kept")

    response = client.get(f"/api/v1/claims/{claim.pk}/claimreview")

    assert response.status_code == 200
    body = response.json()
    assert body["@type"] == "ClaimReview"
    assert body["claimReviewed"] == "Ten new bridges"
    assert body["reviewRating"]["ratingValue"] == 5
    assert body["reviewRating"]["ratingExplanation"] == update.rationale
    assert body["url"] == f"http://testserver/claims/{claim.slug}/"
    claim.refresh_from_db()
    assert body == claim_review(claim, url=body["url"], latest_update=update)


def test_a_corrected_verdict_is_replaced_by_its_correction(client):
    claim = factories.ClaimFactory()
    wrong = record(claim, "broken", days_after=5)
    record(claim, "kept", days_after=1, corrects=wrong)

    body = client.get(f"/api/v1/claims/{claim.pk}/claimreview").json()

    assert body["reviewRating"]["alternateName"] == "Kept"


def test_drafts_have_no_claimreview(client):
    draft = factories.DraftClaimFactory()

    assert client.get(f"/api/v1/claims/{draft.pk}/claimreview").status_code == 404


def test_the_bulk_export_pages_through_every_published_claim_with_a_verdict(client):
    claims = factories.ClaimFactory.create_batch(3)
    for claim in claims:
        record(claim, "in-the-works")
    factories.ClaimFactory(summary="Not yet rated")
    record(factories.DraftClaimFactory(), "kept")

    first = client.get("/api/v1/claimreviews", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    reviewed = [review["claimReviewed"] for review in first["results"] + second["results"]]
    assert sorted(reviewed) == sorted(claim.summary for claim in claims)
    assert second["next"] is None


def test_a_claim_not_yet_rated_has_no_claimreview_and_says_so(client):
    claim = factories.ClaimFactory()

    response = client.get(f"/api/v1/claims/{claim.pk}/claimreview")

    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "no_verdict"
    assert "not yet rated" in error["message"]


def test_the_rating_is_named_and_the_review_signed_with_the_sites_address(client, settings):
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example.org/"
    claim = factories.ClaimFactory()
    record(claim, "broken")

    body = client.get(f"/api/v1/claims/{claim.pk}/claimreview").json()

    assert body["reviewRating"]["name"] == "Broken"
    assert body["reviewRating"]["alternateName"] == "Broken"
    assert body["author"]["url"] == "https://claims.example.org/"


def test_only_a_source_published_by_the_time_the_claim_was_made_is_its_first_appearance(client):
    claim = factories.ClaimFactory(made_on=datetime.date(2025, 3, 1), made_on_precision=DatePrecision.YEAR)
    factories.ClaimAppearanceFactory(
        claim=claim, source=factories.SourceFactory(title="Same year", published_on=datetime.date(2025, 12, 31))
    )
    record(claim, "kept")
    item = client.get(f"/api/v1/claims/{claim.pk}/claimreview").json()["itemReviewed"]
    assert item["datePublished"] == "2025"
    assert item["firstAppearance"]["headline"] == "Same year"

    other = factories.ClaimFactory(made_on=datetime.date(2025, 3, 1))
    factories.ClaimAppearanceFactory(
        claim=other, source=factories.SourceFactory(title="Next day", published_on=datetime.date(2025, 3, 2))
    )
    record(other, "kept")
    item = client.get(f"/api/v1/claims/{other.pk}/claimreview").json()["itemReviewed"]
    assert item["datePublished"] == "2025-03-01"
    assert "firstAppearance" not in item
    assert [work["headline"] for work in item["appearance"]] == ["Next day"]
