"""/healthz says the process is up; /readyz says its databases and cache answer."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from claimtracker import health


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_probes_answer_a_load_balancer_that_uses_the_server_address(client, settings):
    # The probe's Host is the server's IP, not a public name, and it speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["claims.example.org"]
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_reports_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert body["checks"]["database:default"] == {"ok": True}
    assert body["checks"]["cache"]["ok"] is True
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_keeps_reporting_the_same_cache_instance(client):
    first = client.get("/readyz").json()["checks"]["cache"]["instance"]
    assert client.get("/readyz").json()["checks"]["cache"]["instance"] == first


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")

    def close_if_unusable_or_obsolete(self):
        pass


def test_readyz_names_an_unreachable_replica(client, monkeypatch):
    class Connections(dict):
        def __iter__(self):
            return iter(["replica_1"])

    monkeypatch.setattr(health, "connections", Connections(replica_1=_BrokenConnection()))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database:replica_1"]
    assert body["checks"]["database:replica_1"] == {"ok": False, "error": "OperationalError"}


class _DownCache:
    def add(self, *args, **kwargs):
        raise ConnectionError("Redis is down")


@pytest.mark.django_db
def test_readyz_names_an_unreachable_cache(client, monkeypatch):
    monkeypatch.setattr(health, "cache", _DownCache())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
