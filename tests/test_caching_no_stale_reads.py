"""Cached pages and API answers never outlive a write: the next request shows it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.api_support import editor_client, published_claim, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    editor = factories.EditorFactory()
    claim = published_claim(by=editor, summary="Fix every bridge")
    record(claim, "in-the-works", by=editor)
    return claim


def test_the_public_page_and_list_show_a_status_update_on_the_next_request(claim):
    reader = Client()
    page = f"/claims/{claim.slug}/"
    assert "In the works" in reader.get(page).content.decode()
    assert "In the works" in reader.get("/claims/").content.decode()
    with CaptureQueriesContext(connection) as cached:
        reader.get(page)
    assert len(cached) <= 3  # freshness and the scales only: the body came from the cache

    record(claim, "kept")

    assert "Kept" in reader.get(page).content.decode()
    assert "Kept" in reader.get("/claims/").content.decode()


def test_the_api_list_and_claim_show_a_status_update_on_the_next_request(claim):
    partner = Client()
    first = partner.get("/api/v1/claims").json()["results"][0]
    assert first["current_status"]["slug"] == "in-the-works"
    partner.get("/api/v1/claims")  # now served from the cache

    record(claim, "kept")

    listed = partner.get("/api/v1/claims").json()["results"][0]
    assert listed["current_status"]["slug"] == "kept"
    assert len(listed["timeline"]) == 2
    assert partner.get(f"/api/v1/claims/{claim.pk}").json()["current_status"]["slug"] == "kept"


def test_a_write_through_the_api_is_visible_to_the_next_read(claim):
    editor, _ = editor_client()
    reader = Client()
    reader.get("/api/v1/claims")
    etag = reader.get("/api/v1/claims")["ETag"]

    response = editor.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {
            "status": "stalled",
            "effective_on": str(timezone.localdate()),
            "rationale": "Work stopped.",
            "evidence": [{"url": "https://council.example/minutes/9", "title": "Council minutes"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201

    again = reader.get("/api/v1/claims", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again.json()["results"][0]["current_status"]["slug"] == "stalled"


def test_a_renamed_claimant_is_visible_on_the_next_request(claim):
    reader = Client()
    reader.get("/api/v1/claims")
    reader.get(f"/claims/{claim.slug}/")

    claim.claimant.name = "Renamed Person"
    claim.claimant.save()

    assert reader.get("/api/v1/claims").json()["results"][0]["claimant"]["name"] == "Renamed Person"
    assert "Renamed Person" in reader.get(f"/claims/{claim.slug}/").content.decode()


def test_no_cache_asks_for_a_freshly_built_answer(claim):
    reader = Client()
    reader.get("/api/v1/claims")
    with CaptureQueriesContext(connection) as fresh:
        reader.get("/api/v1/claims", HTTP_CACHE_CONTROL="no-cache")
    assert len(fresh) > 1
