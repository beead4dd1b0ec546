"""The published OpenAPI document is valid OpenAPI 3.0.3, and the contract check catches strays."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.http import JsonResponse
from django.test import RequestFactory
from openapi_spec_validator import validate

from tests.openapi_contract import ContractViolation, check_exchange, openapi

pytestmark = pytest.mark.django_db


@pytest.fixture
def dumped_schema(tmp_path):
    # The same command .ci/run uses to hand the schema to Redocly and Spectral.
    call_command("spectacular", "--file", str(tmp_path / "schema.yaml"))
    return yaml.safe_load((tmp_path / "schema.yaml").read_text())


def test_the_dumped_schema_passes_openapi_spec_validator(dumped_schema):
    validate(dumped_schema)


def test_the_served_schema_passes_openapi_spec_validator_and_loads_in_openapi_core(client):
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)

    validate(schema)
    assert openapi() is not None


def test_the_schema_names_its_servers_contact_licence_and_tags_and_every_operation_has_a_summary(dumped_schema):
    assert dumped_schema["servers"]
    assert dumped_schema["info"]["contact"]["url"]
    assert dumped_schema["info"]["license"]["name"]
    tags = {tag["name"] for tag in dumped_schema["tags"]}
    for path, item in dumped_schema["paths"].items():
        for method, operation in item.items():
            assert operation["summary"], (method, path)
            assert set(operation["tags"]) <= tags, (method, path)


def test_no_path_of_the_schema_shadows_another(dumped_schema):
    paths = set(dumped_schema["paths"])

    assert "/api/v1/claims/{slug}" not in paths
    assert {"/api/v1/claims/{id}", "/api/v1/claims/by-slug/{slug}"} <= paths


def test_the_known_faults_stay_fixed(dumped_schema):
    schemas = dumped_schema["components"]["schemas"]
    slug = schemas["ClaimCreate"]["properties"]["slug"]
    assert "default" not in slug or (slug["default"] == "" and slug["pattern"].endswith("*$"))
    parent = schemas["Claim"]["properties"]["parent"]
    assert not ("nullable" in parent and "allOf" in parent and "type" not in parent)
    archive_url = schemas["Source"]["properties"]["archive_url"]
    assert "oneOf" not in archive_url
    parameters = {p["name"]: p for p in dumped_schema["paths"]["/api/v1/claims"]["get"]["parameters"]}
    assert parameters["top_level"]["schema"] == {"type": "string", "enum": ["false", "true"]}
    fields = schemas["ErrorDetail"]["properties"]["fields"]
    assert fields["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_the_contract_check_refuses_a_response_that_strays_from_the_schema():
    request = RequestFactory().get("/api/v1/statuses")
    response = JsonResponse([{"scale": "nonsense"}], safe=False)
    response.wsgi_request = request

    with pytest.raises(ContractViolation, match="strays from the schema"):
        check_exchange(response)


def test_the_contract_check_refuses_an_undocumented_status_code():
    request = RequestFactory().get("/api/v1/statuses")
    response = JsonResponse({}, status=418)
    response.wsgi_request = request

    with pytest.raises(ContractViolation, match="not documented"):
        check_exchange(response)


def test_the_contract_check_refuses_a_success_for_a_request_the_schema_calls_invalid():
    request = RequestFactory().get("/api/v1/statuses", {"scale": "nonsense"})
    response = JsonResponse([], safe=False)
    response.wsgi_request = request

    with pytest.raises(ContractViolation, match="invalid by the schema"):
        check_exchange(response)
