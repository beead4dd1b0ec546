"""Readers' email settings come from the environment: SMTP in production, the console in development,
and a bad combination stops start-up with a message naming the variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PRINT = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.READERS_RETENTION_DAYS)"


def run_manage(settings_module: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    names = {"EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "READERS_RETENTION_DAYS"}
    clean_env = {key: value for key, value in os.environ.items() if key not in names}
    return subprocess.run(  # noqa: S603 - this project's manage.py, with arguments from the tests
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_development_prints_emails_to_the_console_by_default():
    result = run_manage("claimtracker.settings.dev", "shell", "-v", "0", "-c", PRINT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"


def test_smtp_settings_are_read_from_the_environment():
    result = run_manage(
        "claimtracker.settings.dev",
        "shell",
        "-v",
        "0",
        "-c",
        PRINT,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        READERS_RETENTION_DAYS="30",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "30",
    ]


def test_production_sends_over_smtp_by_default():
    result = run_manage(
        "claimtracker.settings.production",
        "shell",
        "-v",
        "0",
        "-c",
        PRINT,
        SECRET_KEY="k" * 20 + "".join(chr(ord("a") + index % 26) for index in range(40)),
        ALLOWED_HOSTS="claims.example.org",
        DATABASE_URL="sqlite:///:memory:",
        SITE_URL="https://claims.example.org/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == ["django.core.mail.backends.smtp.EmailBackend", "localhost", "25"]


def test_tls_and_ssl_together_stop_start_up_with_both_names():
    result = run_manage("claimtracker.settings.dev", "check", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS" in result.stderr
    assert "EMAIL_USE_SSL" in result.stderr


def test_a_digest_hour_past_23_stops_start_up_with_its_name():
    result = run_manage("claimtracker.settings.dev", "check", READERS_DIGEST_HOUR="24")
    assert result.returncode != 0
    assert "READERS_DIGEST_HOUR" in result.stderr


def test_a_retention_of_zero_days_is_refused():
    result = run_manage("claimtracker.settings.dev", "check", READERS_RETENTION_DAYS="0")
    assert result.returncode != 0
    assert "READERS_RETENTION_DAYS must be at least 1" in result.stderr
