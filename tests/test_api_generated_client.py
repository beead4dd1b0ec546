"""A Python client generated from the live schema (openapi-python-client) reads the API as documented.

The client is generated into a temporary directory from ``/api/v1/schema/`` and talks to the
application in-process over WSGI (httpx's WSGI transport): list, page, fetch by id and by slug.
"""

from __future__ import annotations

import importlib
import subprocess  # nosec B404 — runs the pinned generator from our own virtualenv on a file we wrote
import sys
from pathlib import Path

import pytest
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections

from claimtracker.wsgi import application
from tests.api_support import published_claim, record

pytestmark = pytest.mark.django_db

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
CONFIG = "post_hooks: []\nproject_name_override: claimtracker_client\npackage_name_override: claimtracker_client\n"


@pytest.fixture
def generated_client(tmp_path, client, settings):
    if not GENERATOR.exists():
        pytest.skip(f"openapi-python-client is not installed ({GENERATOR}): pip install -r requirements-dev.txt")
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": None, "api_key": None},
    }
    schema = tmp_path / "schema.json"
    schema.write_bytes(client.get("/api/v1/schema/", {"format": "json"}).content)
    (tmp_path / "config.yaml").write_text(CONFIG)
    output = tmp_path / "claimtracker_client"
    command = [str(GENERATOR), "generate", "--path", str(schema), "--meta", "none"]
    command += ["--config", str(tmp_path / "config.yaml"), "--output-path", str(output), "--fail-on-warning"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        if "ConnectError" in result.stderr or "Could not resolve" in result.stderr:
            pytest.skip(f"openapi-python-client could not run offline: {result.stderr[-500:]}")
        pytest.fail(f"openapi-python-client refused the schema:\n{result.stdout}\n{result.stderr}")
    sys.path.insert(0, str(tmp_path))
    # Like Django's test client: keep the test's transaction open across the in-process requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield importlib.import_module("claimtracker_client")
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == "claimtracker_client"]:
            del sys.modules[name]


def api_client(package):
    import httpx

    transport = httpx.WSGITransport(app=application)
    return package.Client(base_url="http://testserver", httpx_args={"transport": transport})


def test_the_generated_client_lists_pages_and_fetches_claims_by_id_and_by_slug(generated_client):
    claims = [published_claim(summary=f"Claim {number}") for number in range(3)]
    record(claims[0], "kept")
    digits = published_claim(summary="A slug of digits", slug="2030")
    claims_list = importlib.import_module("claimtracker_client.api.claims.claims_list")
    claims_retrieve = importlib.import_module("claimtracker_client.api.claims.claims_retrieve")
    claims_by_slug = importlib.import_module("claimtracker_client.api.claims.claims_by_slug_retrieve")
    statuses_list = importlib.import_module("claimtracker_client.api.statuses.statuses_list")

    with api_client(generated_client) as client:
        first = claims_list.sync(client=client, page_size=2)
        cursor = first.next_.split("cursor=")[1].split("&")[0]
        second = claims_list.sync(client=client, page_size=2, cursor=cursor)
        by_id = claims_retrieve.sync(client=client, id=claims[0].pk)
        by_slug = claims_by_slug.sync(client=client, slug=claims[1].slug)
        by_digits = claims_by_slug.sync(client=client, slug="2030")
        statuses = statuses_list.sync(client=client)

    paged = [claim.id for claim in first.results + second.results]
    assert sorted(paged) == sorted(claim.pk for claim in [*claims, digits])
    assert len(first.results) == 2
    assert by_id.id == claims[0].pk
    assert by_id.current_status.slug == "kept"
    assert by_id.timeline[0].evidence
    assert by_slug.id == claims[1].pk
    assert by_digits.id == digits.pk
    assert {status.scale.value for status in statuses} == {"promise", "fact_check"}


def test_the_generated_client_reads_an_error_as_the_documented_error_shape(generated_client):
    claims_retrieve = importlib.import_module("claimtracker_client.api.claims.claims_retrieve")

    with api_client(generated_client) as client:
        response = claims_retrieve.sync_detailed(client=client, id=999999)

    assert response.status_code == 404
    assert response.parsed.error.code == "not_found"
