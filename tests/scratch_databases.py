"""Real, throwaway databases for tests that run the project in other processes.

A scratch database is of the same kind as the suite's own: a SQLite file, or a new database on
the same PostgreSQL server. It is not the test runner's database, so separate processes (each
with its own connection) can use it, and it is dropped afterwards.
"""

from __future__ import annotations

import contextlib
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
