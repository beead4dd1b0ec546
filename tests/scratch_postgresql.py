"""Throwaway PostgreSQL and SQLite databases for the backup and move tests, whatever the suite runs on.

Moving SQLite to PostgreSQL, and refusing a backup of one kind on the other, need both kinds at
once, so these do not follow the suite's DATABASE_URL: PostgreSQL is the local server on
127.0.0.1:5432, user postgres with trust authentication (as `make test` and CI have it), and a
test that needs it is skipped, saying so, when it cannot be reached.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def postgresql_or_skip() -> None:
    import psycopg

    try:
        with psycopg.connect(dbname="postgres", connect_timeout=3, **SERVER):
            pass
    except psycopg.Error as error:
        pytest.skip(
            f"needs PostgreSQL on {SERVER['host']}:{SERVER['port']} as user {SERVER['user']} with trust "
            f"authentication, which is not reachable: {str(error).strip()}"
        )


def _environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_TEST_NAME"}
    env["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.dev"
    env["DATABASE_URL"] = database_url
    env.pop("BACKUP_ENCRYPTION_KEY", None)
    return env


def sqlite_database(folder: Path) -> dict[str, str]:
    """The environment for a process using a new SQLite file in ``folder`` (its path in SQLITE_PATH)."""
    path = folder / f"old-{uuid.uuid4().hex[:8]}.sqlite3"
    env = _environment(f"sqlite:///{path}")
    env["SQLITE_PATH"] = str(path)
    return env


@contextlib.contextmanager
def postgresql_database() -> Iterator[dict[str, str]]:
    """The environment for a process using a new PostgreSQL database, dropped afterwards."""
    import psycopg

    postgresql_or_skip()
    name = f"ct_move_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **SERVER) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _environment(f"postgres://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{name}")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **SERVER) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
