import pytest

from tests import factories
from tests.api_support import editor_client, error_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/999999",
        "/api/v1/claims/no-such-claim",
        "/api/v1/claims/999999/claimreview",
        "/api/v1/people/nobody",
        "/api/v1/sources/999999",
        "/api/v1/no-such-endpoint",
    ],
)
def test_an_unknown_id_or_path_is_a_404_in_the_error_shape(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "not_found"


def test_a_bad_cursor_is_a_400(client):
    response = client.get("/api/v1/claims", {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_cursor"


def test_a_method_the_endpoint_does_not_allow_is_a_405_in_the_error_shape():
    editor, _ = editor_client()
    claim = factories.ClaimFactory()

    response = editor.delete(f"/api/v1/claims/{claim.pk}")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_malformed_json_is_a_400_in_the_error_shape():
    editor, _ = editor_client()

    response = editor.post("/api/v1/claims", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_bad_filter_on_the_csv_export_is_answered_in_json(client):
    response = client.get("/api/v1/claims.csv", {"status": "nope"})

    assert response.status_code == 400
    assert error_of(response)["fields"]["status"]


def test_an_updated_since_with_an_unusual_time_zone_offset_is_compared_in_utc(client):
    factories.ClaimFactory()
    # PostgreSQL rejects offsets beyond ±15:59 in a literal; the filter converts to UTC first.
    response = client.get("/api/v1/claims", {"updated_since": "0883-08-14T19:53:21-19:41"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
