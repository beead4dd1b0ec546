import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    # drf-spectacular validates against the OpenAPI 3 JSON schema and fails on any warning.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    assert schema["openapi"].startswith("3.")


def test_the_schema_is_served_and_lists_every_endpoint(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/claims",
        "/api/v1/claims.csv",
        "/api/v1/claims/{id}",
        "/api/v1/claims/by-slug/{slug}",
        "/api/v1/claims/{id}/status-updates",
        "/api/v1/claims/{id}/claimreview",
        "/api/v1/claimreviews",
        "/api/v1/changes",
        "/api/v1/people",
        "/api/v1/people/{slug}",
        "/api/v1/sources",
        "/api/v1/sources/{id}",
        "/api/v1/statuses",
    } <= set(paths)
    claim_list_parameters = {parameter["name"] for parameter in paths["/api/v1/claims"]["get"]["parameters"]}
    assert {
        "status",
        "claimant",
        "kind",
        "topic",
        "parent",
        "updated_since",
        "past_deadline",
        "q",
    } <= claim_list_parameters


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html
    assert "unpkg" not in html
