"""Every response carries the security headers: public pages, the admin and the API."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def pages(client):
    claim = factories.ClaimFactory()
    factories.PersonFactory()
    return {
        "home": lambda: client.get("/"),
        "claim page": lambda: client.get(claim.get_absolute_url()),
        "admin login": lambda: client.get(reverse("admin:login")),
        "API list": lambda: client.get("/api/v1/claims"),
        "API error": lambda: client.get("/api/v1/claims/999999"),
        "API docs": lambda: client.get("/api/v1/docs/"),
    }


@pytest.mark.parametrize("page", ["home", "claim page", "admin login", "API list", "API error", "API docs"])
def test_every_kind_of_response_carries_a_strict_content_security_policy(pages, page):
    response = pages[page]()
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_api_docs_load_their_script_from_a_file_not_inline(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page
    assert "<script src=" in page


def production_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "DJANGO_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "claims.example",
        "DATABASE_URL": "sqlite:////tmp/claimtracker-deploy-check.sqlite3",
        "SITE_URL": "https://claims.example/",
        **extra,
    }


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check_with_no_warnings():
    result = run("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_secure_cookies_and_redirects_to_https():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER == ('HTTP_X_FORWARDED_PROTO', 'https'), "
        "s.DEBUG)"
    )
    result = run("shell", "-v", "0", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "True", "False"]
