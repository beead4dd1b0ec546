import pytest

from tests import factories
from tests.api_support import record

pytestmark = pytest.mark.django_db


def test_a_claim_carries_an_etag_with_its_version_and_a_last_modified(client):
    claim = factories.ClaimFactory()

    response = client.get(f"/api/v1/claims/{claim.pk}")

    assert response["ETag"].startswith(f'"{claim.pk}-{claim.version}-')
    assert response["Last-Modified"]
    assert "X-API-Key" in response["Vary"]


def test_an_unchanged_claim_answers_if_none_match_with_304(client):
    claim = factories.ClaimFactory()
    etag = client.get(f"/api/v1/claims/{claim.pk}")["ETag"]

    response = client.get(f"/api/v1/claims/{claim.pk}", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_changed_claim_answers_the_old_etag_with_the_new_body(client):
    claim = factories.ClaimFactory()
    etag = client.get(f"/api/v1/claims/{claim.pk}")["ETag"]
    record(claim, "kept")

    response = client.get(f"/api/v1/claims/{claim.pk}", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["current_status"]["slug"] == "kept"


def test_an_unchanged_list_answers_if_none_match_with_304_and_a_changed_one_does_not(client):
    claim = factories.ClaimFactory()
    first = client.get("/api/v1/claims")
    assert first["Last-Modified"]

    assert client.get("/api/v1/claims", headers={"If-None-Match": first["ETag"]}).status_code == 304
    record(claim, "broken")
    assert client.get("/api/v1/claims", headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_people_sources_statuses_and_changes_are_conditional_too(client):
    person = factories.ClaimFactory().claimant
    for path in ["/api/v1/statuses", "/api/v1/people", f"/api/v1/people/{person.slug}", "/api/v1/changes"]:
        etag = client.get(path)["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304, path
