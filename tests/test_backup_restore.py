"""A backup restored into an empty database gives back exactly the same data, history included."""

from __future__ import annotations

import pytest

from tests.scratch_databases import run_manage, scratch_database

EDIT_WITH_HISTORY = """
from django.contrib.auth.models import User
from people.models import Person
from people.services import person_save
editor = User.objects.create_user("ana", password="unused", is_staff=True)
trump = Person.objects.get(slug="donald-trump")
trump.role = "President of the United States"
person_save(person=trump, saved_by=editor)
"""


def everything(env: dict[str, str]) -> str:
    """Every row of every table, as Django serialises it (sessions aside)."""
    return run_manage(env, "dumpdata", "--exclude", "sessions", "--indent", "1").stdout


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    with scratch_database(tmp_path_factory.mktemp("original")) as env:
        run_manage(env, "migrate", "--no-input", "-v", "0")
        run_manage(env, "load_demo")
        run_manage(env, "shell", "-v", "0", "-c", EDIT_WITH_HISTORY)
        yield env


def test_a_backup_restored_into_an_empty_database_gives_the_same_data(original, tmp_path):
    backup_file = tmp_path / "claims.backup"
    made = run_manage(original, "backup", str(backup_file))
    assert "Backed up" in made.stdout

    with scratch_database(tmp_path) as empty:
        restored = run_manage(empty, "restore", str(backup_file))
        assert "Restored" in restored.stdout
        before, after = everything(original), everything(empty)

    assert '"model": "people.historicalperson"' in after
    assert "President of the United States" in after
    assert '"model": "claims.claimchange"' in after
    assert after == before


def test_restoring_over_existing_data_is_refused_and_changes_nothing(original, tmp_path):
    backup_file = tmp_path / "claims.backup"
    run_manage(original, "backup", str(backup_file))
    before = everything(original)
    refused = run_manage(original, "restore", str(backup_file), check=False)
    assert refused.returncode != 0
    assert "already holds data" in refused.stderr
    assert everything(original) == before


def test_a_backup_never_overwrites_an_existing_file(original, tmp_path):
    existing = tmp_path / "keep.me"
    existing.write_text("precious")
    refused = run_manage(original, "backup", str(existing), check=False)
    assert refused.returncode != 0
    assert "already exists" in refused.stderr
    assert existing.read_text() == "precious"


def test_restoring_a_file_that_is_not_a_backup_is_a_clear_error(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with scratch_database(tmp_path) as empty:
        refused = run_manage(empty, "restore", str(not_a_backup), check=False)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "is not a backup made by `manage.py backup`" in refused.stderr
