"""Backup and restore of the whole database: content, history, change feed, users and keys.

SQLite uses its online backup API, which copies a consistent snapshot while the site keeps
serving and saving. PostgreSQL uses pg_dump's custom format and pg_restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

# Runs pg_dump and pg_restore with fixed arguments.
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    engine: str


def _settings(alias: str) -> dict:
    return connections[alias].settings_dict


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _postgres_command(tool: str, alias: str) -> tuple[list[str], dict[str, str]]:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} was not found on PATH; install the PostgreSQL client tools (postgresql-client).")
    config = _settings(alias)
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    arguments = [executable, "--no-owner", "--dbname", config["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            arguments += [option, str(config[key])]
    return arguments, env


def _run(arguments: list[str], env: dict[str, str]) -> None:
    # The executable comes from shutil.which and the arguments from settings; no shell is involved.
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()[-2000:]}")


def database_is_empty(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """True when no claim, person or user is stored (a fresh or migrated-but-unused database)."""
    from django.contrib.auth import get_user_model

    from claims.models import Claim
    from people.models import Person

    existing_tables = set(connections[alias].introspection.table_names())
    return not any(
        model._default_manager.using(alias).exists()
        for model in (Claim, Person, get_user_model())
        if model._meta.db_table in existing_tables
    )


def backup_database(output: Path, *, alias: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write a complete, consistent copy of the database to ``output`` (which must not exist)."""
    output = output.resolve()
    if output.exists():
        raise BackupError(f"{output} already exists; choose a new file name.")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    engine = _engine(alias)
    if engine == "sqlite":
        source_path = _settings(alias)["NAME"]
        if str(source_path).startswith(":memory:") or "mode=memory" in str(source_path):
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        target = sqlite3.connect(output)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        arguments, env = _postgres_command("pg_dump", alias)
        _run([*arguments, "--format=custom", "--file", str(output)], env)
    return BackupResult(path=output, size_bytes=output.stat().st_size, engine=engine)


def restore_database(backup: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Load ``backup`` into the configured database, which must be empty (migrated or not)."""
    backup = backup.resolve()
    if not backup.is_file():
        raise BackupError(f"No backup file at {backup}.")
    if not database_is_empty(alias):
        raise BackupError(
            "The target database already holds data. Restore into an empty database "
            "(a new DATABASE_URL), so that nothing is overwritten."
        )
    engine = _engine(alias)
    if engine == "sqlite":
        with backup.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise BackupError(f"{backup} is not a SQLite backup.")
        connections[alias].close()
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        target = sqlite3.connect(_settings(alias)["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        connections[alias].close()
        arguments, env = _postgres_command("pg_restore", alias)
        _run([*arguments, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", str(backup)], env)
