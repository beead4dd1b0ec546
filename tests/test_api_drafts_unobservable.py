"""Draft work never changes what the public can observe through the API.

A draft status update (through the API, the admin or the service) leaves the claim's public
``version``, ``updated_at``, its ETag and the lists' ETags and contents as they were.
"""

import datetime

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, Status, StatusUpdate
from tests import factories
from tests.api_support import editor_client, published_claim

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/claims",
    "/api/v1/claims?status=not-yet-rated",
    "/api/v1/changes",
    "/api/v1/people",
    "/api/v1/sources",
]


def observed(claim_id: int) -> dict:
    """What an anonymous reader sees: the claim's ETag, version and updated_at, and each list's ETag and body."""
    reader = Client()
    detail = reader.get(f"/api/v1/claims/{claim_id}")
    seen = {"detail": (detail["ETag"], detail.json()["version"], detail.json()["updated_at"], detail.content)}
    for path in LISTS:
        response = reader.get(path)
        seen[path] = (response["ETag"], response.content)
    csv = reader.get("/api/v1/claims.csv")
    seen["csv"] = b"".join(csv.streaming_content)
    return seen


def draft_through_the_service(claim: Claim, slug: str, *, by: AbstractBaseUser | None = None) -> StatusUpdate:
    """A draft status update with new evidence, recorded by ``by`` (a new editor unless given)."""
    return services.claim_record_status(
        claim=claim,
        status=Status.objects.get(scale=claim.scale, slug=slug),
        effective_on=claim.made_on + datetime.timedelta(days=2),
        rationale="Draft.",
        evidence=[factories.SourceFactory()],
        publish=False,
        recorded_by=by or factories.EditorFactory(),
    )


def test_a_draft_posted_through_the_api_changes_nothing_the_public_sees():
    claim = published_claim()
    editor, _ = editor_client()
    before = observed(claim.pk)

    response = editor.post(
        f"/api/v1/claims/{claim.pk}/status-updates",
        {
            "status": "kept",
            "effective_on": str(claim.made_on + datetime.timedelta(days=2)),
            "rationale": "Drafting the verdict.",
            "evidence": [{"url": "https://news.example/draft-evidence", "title": "Draft evidence"}],
            "publish": False,
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert StatusUpdate.objects.get().is_draft
    assert observed(claim.pk) == before


def test_a_draft_saved_in_the_admin_changes_nothing_the_public_sees(client):
    claim = published_claim()
    before = observed(claim.pk)
    client.force_login(factories.EditorFactory())

    response = client.post(
        reverse("admin:claims_statusupdate_add"),
        {
            "claim": claim.pk,
            "status": Status.objects.get(scale=claim.scale, slug="kept").pk,
            "effective_on": str(claim.made_on + datetime.timedelta(days=2)),
            "rationale_en": "Drafting in the admin.",
            "save_as_draft": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert StatusUpdate.objects.get().is_draft
    assert observed(claim.pk) == before


def test_a_draft_recorded_through_the_service_changes_nothing_the_public_sees():
    claim = published_claim()
    before = observed(claim.pk)

    draft_through_the_service(claim, "broken")

    assert observed(claim.pk) == before


def test_publishing_the_draft_then_changes_the_claim_for_everyone():
    claim = published_claim()
    _, editor_user = editor_client()
    before = observed(claim.pk)
    update = draft_through_the_service(claim, "in-the-works", by=editor_user)

    services.status_update_publish(update=update, published_by=editor_user)

    after = observed(claim.pk)
    assert after["detail"][0] != before["detail"][0]
    assert after["detail"][1] > before["detail"][1]
    assert after["/api/v1/claims"][0] != before["/api/v1/claims"][0]


def test_a_draft_with_new_evidence_leaves_the_public_pages_etags_as_they_were(client):
    claim = published_claim()
    pages = [claim.get_absolute_url(), "/claims/", "/", claim.claimant.get_absolute_url()]
    before = {page: client.get(page)["ETag"] for page in pages}

    draft_through_the_service(claim, "broken")

    assert {page: client.get(page)["ETag"] for page in pages} == before
