"""Real, throwaway databases for tests that run the project in other processes.

A scratch database is of the same kind as the suite's own: a SQLite file, or a new database on
the same PostgreSQL server. It is not the test runner's database, so separate processes (each
with its own connection) can use it, and it is dropped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parent.parent


def run_manage(env: dict[str, str], *args: str, timeout: int = 180, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result


def start_module(env: dict[str, str], module: str, *args: str) -> subprocess.Popen:
    """Start ``python -m module args`` on the scratch database; ``result_of`` waits for what it prints."""
    return subprocess.Popen(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result_of(process: subprocess.Popen, *, timeout: int) -> dict:
    """The JSON line a process from ``start_module`` printed last, once it has finished without error."""
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, stderr[-3000:]
    return json.loads(stdout.strip().splitlines()[-1])


EDITORS_AND_A_CLAIM = """
import datetime
from django.contrib.auth.models import Group, User
from claims import services
from people.models import Person
from people.services import person_save
for name in {editors!r}:
    User.objects.create_user(name, password="unused", is_staff=True).groups.add(Group.objects.get(name="Editors"))
claimant = person_save(person=Person(name="Claimant", slug="claimant"))
services.source_get_or_create(url="https://news.example/evidence", title="Evidence for every verdict")
claim = services.claim_create(
    claimant=claimant, kind="pledge", quote="We will.", summary="Original", made_on=datetime.date(2024, 11, 7),
    visibility="published", created_by=None,
)
print(claim.pk)
"""


def create_editors_and_a_claim(env: dict[str, str], editors: list[str]) -> str:
    """Add these editors and one published pledge (and a source for evidence) to a migrated scratch
    database; return the claim's id."""
    return run_manage(env, "shell", "-v", "0", "-c", EDITORS_AND_A_CLAIM.format(editors=editors)).stdout.strip()


@contextlib.contextmanager
def scratch_database(folder: Path) -> Iterator[dict[str, str]]:
    """The environment for a process that should use a new, empty database."""
    default = settings.DATABASES["default"]
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_TEST_NAME"}
    env["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.dev"
    if default["ENGINE"] != "django.db.backends.postgresql":
        env["DATABASE_URL"] = f"sqlite:///{folder / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        yield env
        return

    import psycopg

    name = f"ct_scratch_{uuid.uuid4().hex[:10]}"
    server = {
        "host": default.get("HOST") or "127.0.0.1",
        "port": default.get("PORT") or 5432,
        "user": default.get("USER") or "postgres",
        "password": default.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['password']}" if server["password"] else ""
    env["DATABASE_URL"] = f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
