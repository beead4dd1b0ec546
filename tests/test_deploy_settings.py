"""Production configuration: read from the environment, refused when incomplete, logged as JSON."""

from __future__ import annotations

import json
import logging
import os
import runpy
import subprocess
import sys

import pytest

from claimtracker.jsonlog import JsonFormatter
from tests.deploy_support import REPO, TEST_SECRET_KEY

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "claimtracker.settings.production",
    "SECRET_KEY": TEST_SECRET_KEY,
    "ALLOWED_HOSTS": "claims.example.org",
    "DATABASE_URL": "postgres://claimtracker@db.internal:5432/claimtracker",
    "SITE_URL": "https://claims.example.org/",
}
SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "databases": {alias: {"host": db["HOST"], "port": db["PORT"], "mirror": db["TEST"]["MIRROR"],
                          "no_server_side_cursors": db["DISABLE_SERVER_SIDE_CURSORS"]}
                  for alias, db in settings.DATABASES.items()},
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "log_formatter": settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    return subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", code], cwd=REPO, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_settings_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_REPLICA_URLS": "postgres://claimtracker@replica-a:5432/claimtracker, postgres://claimtracker@replica-b/claimtracker",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1",
    }
    result = run_python(SHOW_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["debug"] is False
    assert shown["databases"] == {
        "default": {"host": "db.internal", "port": 5432, "mirror": None, "no_server_side_cursors": True},
        "replica_1": {"host": "replica-a", "port": 5432, "mirror": "default", "no_server_side_cursors": True},
        "replica_2": {"host": "replica-b", "port": "", "mirror": "default", "no_server_side_cursors": True},
    }
    assert shown["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["log_formatter"] == "json"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set to a long random value"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must list the host names"),
        ("DATABASE_URL", "DATABASE_URL must name the production database"),
        ("SITE_URL", "SITE_URL must be the site's public address"),
    ],
)
def test_production_refuses_to_start_without_a_required_setting(missing, message):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_development_secret_key():
    result = run_python("import django; django.setup()", {**PRODUCTION_ENV, "SECRET_KEY": "dev-" + "x" * 60})
    assert "SECRET_KEY must be set to a long random value" in result.stderr


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000/", "http://localhost/", "claims.example.org"])
def test_production_refuses_a_local_or_malformed_site_url(site_url):
    result = run_python("import django; django.setup()", {**PRODUCTION_ENV, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL must be the site's public address" in result.stderr


def test_serve_explains_missing_settings_without_a_traceback():
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    result = subprocess.run(  # noqa: S603 (our own script)
        [str(REPO / "scripts" / "serve.sh")],
        cwd=REPO,
        env={**env, "PYTHON_BIN": sys.executable},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "claimtracker cannot start: Missing or unsafe settings:" in result.stderr
    for variable in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"):
        assert f"  - {variable} must" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_replica_url_is_named():
    result = run_python("import django; django.setup()", {**PRODUCTION_ENV, "DATABASE_REPLICA_URLS": "nosuchdb://x"})
    assert "DATABASE_REPLICA_URLS is not a database URL we understand" in result.stderr


def test_gunicorn_sizes_workers_from_the_cpu_count_and_listens_on_port(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setenv("PORT", "9123")
    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert config["workers"] == os.cpu_count() * 2 + 1
    assert config["bind"] == ["127.0.0.1:9123"]
    assert config["accesslog"] == config["errorlog"] == "-"


def test_gunicorn_takes_web_concurrency(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(REPO / "gunicorn.conf.py"))["workers"] == 3


def test_an_access_log_line_is_one_json_object():
    atoms = {"h": "203.0.113.9", "m": "GET", "U": "/claims/x/", "q": "page=2", "s": "200", "B": 5120, "D": 12345}
    atoms |= {"a": "curl/8", "f": "-", "H": "HTTP/1.1", "{x-forwarded-for}i": "198.51.100.4"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", (atoms,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["method"] == "GET"
    assert entry["path"] == "/claims/x/"
    assert entry["status"] == 200
    assert entry["bytes"] == 5120
    assert entry["duration_ms"] == 12.3
    assert entry["forwarded_for"] == "198.51.100.4"
    assert "referer" not in entry


def test_an_error_log_line_carries_its_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "failed %s", ("/x",), sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed /x"
    assert entry["level"] == "ERROR"
    assert "ValueError: boom" in entry["exception"]
