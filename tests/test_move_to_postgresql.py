"""`manage.py move_database` moves a newsroom from SQLite to PostgreSQL with every row intact.

Runs real processes against a SQLite file and a new PostgreSQL database on the local server
(tests/scratch_postgresql.py), whatever database the suite itself runs on.
"""

from __future__ import annotations

import json

import pytest

from tests.scratch_databases import run_manage
from tests.scratch_postgresql import postgresql_database, postgresql_or_skip, sqlite_database

OLD_SITE_ACTIVITY = """
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from api.keys import api_key_create
from people.models import Person
from people.services import person_save
from webhooks.models import WebhookEndpoint
from webhooks.services import endpoint_save, endpoint_send_test
editor = User.objects.create_user("ana", password="unused", is_staff=True)
trump = Person.objects.get(slug="donald-trump")
trump.role = "President of the United States"
person_save(person=trump, saved_by=editor)
key, _ = api_key_create(name="Partner newsroom", owner=editor)
endpoint = WebhookEndpoint(api_key=key, url="https://partner.example/hooks", description="Partner")
endpoint_save(endpoint=endpoint, saved_by=editor)
endpoint.people.add(trump)
endpoint_send_test(endpoint=endpoint)
session = SessionStore()
session["signed_in_editor"] = editor.pk
session.create()
"""

RECORD_A_VERDICT = """
from django.contrib.auth.models import User
from claims.dates import newsroom_today
from claims.models import Claim, Status
from claims.services import claim_record_status, source_get_or_create
editor = User.objects.get(username="ana")
claim = Claim.objects.filter(visibility="published").order_by("pk").first()
status = Status.objects.filter(scale=claim.scale, is_default=False).exclude(pk=claim.current_status_id).first()
evidence, _ = source_get_or_create(url="https://example.org/checked-after-the-move", title="Checked", saved_by=editor)
update = claim_record_status(
    claim=claim, status=status, effective_on=newsroom_today(), rationale="Checked after the move.",
    recorded_by=editor, evidence=[evidence],
)
claim.refresh_from_db()
assert claim.current_status_id == status.pk, "the claim's status did not follow its new update"
print("recorded", update.pk, "on", claim.slug)
print("search finds", Claim.objects.search("Trump").count())
"""


def dumped(env: dict[str, str], *labels: str) -> list[dict]:
    """Rows as Django serialises them, normalised where the two backends legitimately differ.

    PostgreSQL's jsonb keeps object keys in its own order: comparing parsed JSON (dicts) rather
    than text ignores that. Many-to-many values come in the order the join table is read, which
    neither backend guarantees: they are sorted. Datetimes need nothing: both backends return
    aware UTC values, which dumpdata writes identically ("2025-01-20T10:00:00.123Z").
    """
    arguments = ["dumpdata", *labels] if labels else ["dumpdata", "--exclude", "sessions"]
    rows = json.loads(run_manage(env, *arguments).stdout)
    for row in rows:
        for name, value in row["fields"].items():
            if isinstance(value, list) and all(isinstance(item, int) for item in value):
                row["fields"][name] = sorted(value)
    return rows


@pytest.fixture(scope="module")
def old_site(tmp_path_factory):
    postgresql_or_skip()
    env = sqlite_database(tmp_path_factory.mktemp("old-site"))
    run_manage(env, "migrate", "--no-input", "-v", "0")
    run_manage(env, "load_demo")
    run_manage(env, "shell", "-v", "0", "-c", OLD_SITE_ACTIVITY)
    return env


@pytest.fixture(scope="module")
def moved(old_site):
    with postgresql_database() as new:
        run_manage(new, "migrate", "--no-input", "-v", "0")
        result = run_manage(new, "move_database", "--from", old_site["DATABASE_URL"])
        yield new, result.stdout


def test_every_row_of_every_table_arrives_in_postgresql(old_site, moved):
    new, output = moved
    before, after = dumped(old_site), dumped(new)

    assert any(row["model"] == "people.historicalperson" and "President" in row["fields"]["role"] for row in after)
    assert any(row["model"] == "claims.claimchange" for row in after)
    assert any(row["model"] == "api.apikey" for row in after)
    assert any(row["model"] == "webhooks.webhookendpoint" and row["fields"]["people"] for row in after)
    assert any(row["model"] == "webhooks.delivery" for row in after)
    assert after == before
    assert dumped(new, "sessions") == dumped(old_site, "sessions") != []
    assert "claims_statusupdate_evidence" in output
    assert "Moved" in output


def test_the_move_reports_how_many_rows_each_table_received(old_site, moved):
    _new, output = moved
    claims = len([row for row in dumped(old_site, "claims.claim")])
    assert any(line.split() == ["claims_claim", str(claims)] for line in output.splitlines())


def test_the_moved_site_records_a_verdict_and_finds_claims_by_full_text(moved):
    new, _output = moved
    result = run_manage(new, "shell", "-v", "0", "-c", RECORD_A_VERDICT)
    assert "recorded" in result.stdout
    # The search column is filled by a PostgreSQL trigger as the rows go in.
    found = int(result.stdout.split("search finds")[1].split()[0])
    assert found > 0


def test_a_target_that_already_holds_data_is_refused_and_left_as_it_was(old_site, moved):
    new, _output = moved
    before = dumped(new)
    refused = run_manage(new, "move_database", "--from", old_site["DATABASE_URL"], check=False)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "already holds data" in refused.stderr
    assert dumped(new) == before


def test_an_old_database_behind_on_migrations_is_refused_with_what_to_run(tmp_path):
    behind = sqlite_database(tmp_path)
    run_manage(behind, "migrate", "auth", "--no-input", "-v", "0")
    with postgresql_database() as new:
        run_manage(new, "migrate", "--no-input", "-v", "0")
        refused = run_manage(new, "move_database", "--from", behind["DATABASE_URL"], check=False)
        assert dumped(new, "auth.user") == []
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "not at the same migrations" in refused.stderr
    assert "migrate` on the old database first" in refused.stderr


def test_a_target_that_is_not_migrated_is_refused(old_site):
    with postgresql_database() as new:
        refused = run_manage(new, "move_database", "--from", old_site["DATABASE_URL"], check=False)
    assert refused.returncode != 0
    assert "not fully migrated: run `manage.py migrate`" in refused.stderr


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("postgres://postgres@127.0.0.1:5432/postgres", "--from must be the old SQLite database"),
        ("sqlite:////nowhere/old.sqlite3", "There is no SQLite database at /nowhere/old.sqlite3"),
        ("not a url", "--from is not a database URL"),
    ],
)
def test_a_source_that_is_not_a_sqlite_database_is_a_clear_error(source, message):
    with postgresql_database() as new:
        refused = run_manage(new, "move_database", "--from", source, check=False)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert message in refused.stderr


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("not a database")
    with postgresql_database() as new:
        refused = run_manage(new, "move_database", "--from", f"sqlite:///{notes}", check=False)
    assert refused.returncode != 0
    assert "is not a SQLite database" in refused.stderr


def test_a_target_that_is_not_postgresql_is_a_clear_error(old_site, tmp_path):
    other_sqlite = sqlite_database(tmp_path)
    refused = run_manage(other_sqlite, "move_database", "--from", old_site["DATABASE_URL"], check=False)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "move_database copies into PostgreSQL" in refused.stderr


def test_an_unreachable_target_is_a_clear_error(old_site):
    unreachable = {**old_site, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing"}
    refused = run_manage(unreachable, "move_database", "--from", old_site["DATABASE_URL"], check=False)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "Cannot connect to the PostgreSQL database" in refused.stderr
