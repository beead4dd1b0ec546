import pytest
from django.core.cache import cache

from public.claimreview import claim_review
from tests import factories
from tests.api_support import record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


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


def test_the_bulk_export_pages_through_every_published_claim(client):
    claims = factories.ClaimFactory.create_batch(3)
    factories.DraftClaimFactory()

    first = client.get("/api/v1/claimreviews", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    reviewed = [review["claimReviewed"] for review in first["results"] + second["results"]]
    assert sorted(reviewed) == sorted(claim.summary for claim in claims)
    assert second["next"] is None
