"""`make run` makes sure there is a local admin login and says how to use it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(settings, tmp_path) -> str:
    settings.BASE_DIR = tmp_path
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_local_admin", stdout=out)
    return out.getvalue()


def test_the_first_run_creates_a_superuser_and_prints_its_password(settings, tmp_path):
    output = run(settings, tmp_path)
    password = (tmp_path / ".local-admin-password").read_text().strip()
    assert "User name: admin" in output
    assert password in output
    user = get_user_model().objects.get(username="admin")
    assert user.check_password(password)
    assert user.is_superuser


def test_later_runs_keep_the_password_and_print_it_again(settings, tmp_path):
    first = run(settings, tmp_path)
    second = run(settings, tmp_path)
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert first.splitlines()[-2:] == second.splitlines()[-2:]


def test_it_refuses_to_run_outside_development(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development"):
        call_command("ensure_local_admin")
