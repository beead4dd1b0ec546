"""Settings come from the environment, with clear errors for bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from claimtracker.env import env_bool, env_int, env_list, env_time_zone

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_booleans_accept_the_usual_spellings_and_refuse_others(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_numbers_are_checked(monkeypatch):
    monkeypatch.setenv("COUNT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT", 1)
    monkeypatch.setenv("COUNT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("COUNT", 1, minimum=1)


def test_lists_are_comma_separated_and_skip_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_time_zones_are_checked_by_name(monkeypatch):
    monkeypatch.setenv("ZONE", "Europe/Kyiv")
    assert env_time_zone("ZONE", "UTC") == "Europe/Kyiv"
    monkeypatch.setenv("ZONE", "Mars/Olympus")
    with pytest.raises(ImproperlyConfigured, match="ZONE must be a time zone name"):
        env_time_zone("ZONE", "UTC")


def run_check(settings_module: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_real_secret_key():
    result = run_check("claimtracker.settings.production", ALLOWED_HOSTS="claims.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_bad_database_url_is_a_clear_configuration_error():
    result = run_check("claimtracker.settings.dev", DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_an_unknown_newsroom_time_zone_stops_start_up_with_its_name():
    result = run_check("claimtracker.settings.dev", NEWSROOM_TIME_ZONE="Kyiv")
    assert result.returncode != 0
    assert "NEWSROOM_TIME_ZONE" in result.stderr
