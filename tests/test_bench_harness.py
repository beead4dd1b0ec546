"""The benchmark's pieces: the anchor URL exists only under bench.settings; the limit app replays bytes."""

import importlib
import json

import pytest
from django.test import Client, override_settings

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_anchor_view_is_not_served_by_the_site():
    assert Client().get("/bench/anchor/claims").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_under_the_bench_urls_the_anchor_serves_the_claim_list_content():
    claim = factories.ClaimFactory()

    body = Client().get("/bench/anchor/claims").json()

    assert [row["id"] for row in body["results"]] == [claim.pk]
    assert body["results"][0]["claimant"]["slug"] == claim.claimant.slug


def test_the_limit_app_replays_recorded_responses(tmp_path, monkeypatch):
    (tmp_path / "0.body").write_bytes(b'{"ok":true}')
    manifest = {"/x?a=1": {"status": "200 OK", "headers": [["Content-Type", "application/json"]], "body": "0.body"}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("BENCH_LIMIT_DIR", str(tmp_path))
    limit_app = importlib.reload(importlib.import_module("bench.limit_app"))
    started = []

    body = limit_app.app({"PATH_INFO": "/x", "QUERY_STRING": "a=1"}, lambda status, headers: started.append(status))

    assert body == [b'{"ok":true}']
    assert started == ["200 OK"]
