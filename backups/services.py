"""Backup and restore of the whole database: content, history, change feed, users and keys.

SQLite uses its online backup API, which copies a consistent snapshot while the site keeps
serving and saving. PostgreSQL uses pg_dump's custom format and pg_restore.

A backup holds sessions, password hashes, API key hashes and webhook signing secrets in clear,
so the file is created readable by its owner only (0600) before the first byte is written, and
with a key (BACKUP_ENCRYPTION_KEY) it is encrypted as it is written (backups/encryption.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3

# Runs pg_dump and pg_restore with fixed arguments.
import subprocess  # nosec B404
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, cast

from django.db import DEFAULT_DB_ALIAS, connections

from backups.encryption import (
    CHUNK_SIZE,
    EncryptingWriter,
    EncryptionError,
    decrypt_stream,
    decrypted_chunks,
    is_encrypted,
)

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
PRIVATE_FILE_MODE = 0o600
MOVE_RECIPE = 'docs/deploy.md, "Moving from SQLite to PostgreSQL"'


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


class BackupKind(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    ENCRYPTED = "encrypted"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    engine: str
    encrypted: bool


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


def backup_kind(first_bytes: bytes) -> BackupKind | None:
    """What a file's first bytes say it is: a SQLite database, a pg_dump archive, or encrypted."""
    if first_bytes.startswith(SQLITE_HEADER):
        return BackupKind.SQLITE
    if first_bytes.startswith(PG_DUMP_MAGIC):
        return BackupKind.POSTGRESQL
    if is_encrypted(first_bytes):
        return BackupKind.ENCRYPTED
    return None


def _create_private(path: Path) -> int:
    """A new file that only its owner can read, opened for writing; never an existing one."""
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        raise BackupError(f"{path} already exists; choose a new file name.") from None


@contextlib.contextmanager
def _private_temporary(folder: Path | None = None) -> Iterator[Path]:
    """A 0600 scratch file (mkstemp's mode) for plaintext, removed whatever happens."""
    handle, name = tempfile.mkstemp(prefix=".claimtracker-backup-", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _sqlite_copy(source_path: str | Path, target_path: str | Path, *, source_is_backup: bool = False) -> None:
    # A backup file never changes: opened immutable, SQLite reads it without creating -wal and
    # -shm files beside it (a read-only open of a WAL database would, and leave them behind).
    immutable = "&immutable=1" if source_is_backup else ""
    source = sqlite3.connect(f"file:{source_path}?mode=ro{immutable}", uri=True)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        if not source_is_backup:
            # The copy inherits the live database's WAL mode; a backup is one self-contained file.
            target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def _sqlite_source(alias: str) -> str:
    source_path = str(_settings(alias)["NAME"])
    if source_path.startswith(":memory:") or "mode=memory" in source_path:
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return source_path


def _encrypt_into(sink: BinaryIO, source: BinaryIO, key: bytes) -> None:
    writer = EncryptingWriter(sink, key)
    while piece := source.read(CHUNK_SIZE):
        writer.write(piece)
    writer.close()


def _pg_dump_encrypted(alias: str, sink: BinaryIO, key: bytes) -> None:
    arguments, env = _postgres_command("pg_dump", alias)
    # stderr goes to a file: a pipe that nobody reads while stdout streams could fill and stall pg_dump.
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen([*arguments, "--format=custom"], env=env, stdout=subprocess.PIPE, stderr=errors) as dump,  # noqa: S603  # nosec B603
    ):
        _encrypt_into(sink, cast(BinaryIO, dump.stdout), key)  # a pipe, never None: stdout=PIPE above
        if dump.wait() != 0:
            errors.seek(0)
            raise BackupError(f"pg_dump failed: {errors.read().decode(errors='replace').strip()[-2000:]}")


def _write_backup(output: Path, engine: str, alias: str, sink: BinaryIO, key: bytes | None) -> None:
    if engine == "sqlite":
        source_path = _sqlite_source(alias)
        if key is None:
            # SQLite writes its backup into the empty 0600 file created for it.
            _sqlite_copy(source_path, output)
            return
        # The online backup API needs a file to write to: a 0600 snapshot beside the output,
        # encrypted into it a chunk at a time, then removed.
        with _private_temporary(output.parent) as snapshot:
            _sqlite_copy(source_path, snapshot)
            with snapshot.open("rb") as plain:
                _encrypt_into(sink, plain, key)
        return
    if key is None:
        # pg_dump opens the existing file for writing, which keeps its 0600 mode.
        arguments, env = _postgres_command("pg_dump", alias)
        _run([*arguments, "--format=custom", "--file", str(output)], env)
        return
    _pg_dump_encrypted(alias, sink, key)


def backup_database(output: Path, *, alias: str = DEFAULT_DB_ALIAS, key: bytes | None = None) -> BackupResult:
    """Write a complete, consistent copy of the database to ``output`` (which must not exist).

    The file is created with mode 0600; with ``key`` its content is encrypted as it is written.
    """
    output = output.resolve()
    if output.exists():
        raise BackupError(f"{output} already exists; choose a new file name.")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    engine = _engine(alias)
    fd = _create_private(output)
    try:
        with os.fdopen(fd, "wb") as sink:
            _write_backup(output, engine, alias, sink, key)
    except BaseException:
        # The file is ours (O_EXCL): a half-written backup must not be mistaken for a good one.
        output.unlink(missing_ok=True)
        raise
    return BackupResult(path=output, size_bytes=output.stat().st_size, engine=engine, encrypted=key is not None)


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


def _read_head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(64)


def _inner_kind(backup: Path, key: bytes | None) -> BackupKind:
    """The kind of database inside ``backup``, decrypting only its first chunk when it is encrypted."""
    kind = backup_kind(_read_head(backup))
    if kind is None:
        raise BackupError(
            f"{backup} is not a backup made by `manage.py backup` "
            "(neither a SQLite database, a pg_dump custom-format archive nor an encrypted backup)."
        )
    if kind is not BackupKind.ENCRYPTED:
        return kind
    if key is None:
        raise BackupError(
            f"{backup} is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with, then run restore again."
        )
    try:
        with backup.open("rb") as file:
            first = next(decrypted_chunks(file, key), b"")
    except EncryptionError as error:
        raise BackupError(f"Cannot decrypt {backup}: {error}") from None
    inner = backup_kind(first[:64])
    if inner is None or inner is BackupKind.ENCRYPTED:
        raise BackupError(f"{backup} decrypts, but what it holds is not a database backup.")
    return inner


def _refuse_other_engine(backup: Path, kind: BackupKind, engine: str) -> None:
    if kind == engine:
        return
    if kind is BackupKind.SQLITE:
        raise BackupError(
            f"{backup} is a backup of a SQLite database, and the configured database is PostgreSQL: a backup "
            "restores only onto the kind of database it was made from. To move to PostgreSQL, restore it into "
            "a new SQLite file (DATABASE_URL=sqlite:////path/old.sqlite3 manage.py restore …), then, with "
            "DATABASE_URL set to the migrated, empty PostgreSQL database, run "
            f"`manage.py move_database --from sqlite:////path/old.sqlite3` (see {MOVE_RECIPE})."
        )
    raise BackupError(
        f"{backup} is a PostgreSQL backup (pg_dump), and the configured database is SQLite: restore it onto "
        "an empty PostgreSQL database (set DATABASE_URL to it). `manage.py move_database` moves SQLite to "
        "PostgreSQL only; there is no supported way back to SQLite."
    )


def _restore_plain(backup: Path, engine: str, alias: str) -> None:
    connections[alias].close()
    if engine == "sqlite":
        _sqlite_copy(backup, _settings(alias)["NAME"], source_is_backup=True)
        return
    arguments, env = _postgres_command("pg_restore", alias)
    _run([*arguments, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", str(backup)], env)


def restore_database(backup: Path, *, alias: str = DEFAULT_DB_ALIAS, key: bytes | None = None) -> None:
    """Load ``backup`` into the configured database, which must be empty (migrated or not).

    An encrypted backup is decrypted and authenticated to the end, into a 0600 scratch file in
    the temporary folder (TMPDIR), before anything is written to the database.
    """
    backup = backup.resolve()
    if not backup.is_file():
        raise BackupError(f"No backup file at {backup}.")
    engine = _engine(alias)
    kind = _inner_kind(backup, key)
    _refuse_other_engine(backup, kind, engine)
    if not database_is_empty(alias):
        raise BackupError(
            "The target database already holds data. Restore into an empty database "
            "(a new DATABASE_URL), so that nothing is overwritten."
        )
    if key is None or not is_encrypted(_read_head(backup)):
        _restore_plain(backup, engine, alias)
        return
    with _private_temporary() as plain:
        try:
            with backup.open("rb") as source, plain.open("wb") as sink:
                decrypt_stream(source, sink, key)
        except EncryptionError as error:
            raise BackupError(f"Cannot decrypt {backup}: {error}") from None
        _restore_plain(plain, engine, alias)
