"""Backups hold sessions, password hashes and webhook secrets: private files, optionally encrypted.

The file is created 0600 before its first byte; with BACKUP_ENCRYPTION_KEY it is sealed with
AES-256-GCM in chunks, so a wrong key, a damaged, truncated or reordered file is refused before
anything reaches the database; and a backup of one kind of database is refused on the other
with the way to move between them.
"""

from __future__ import annotations

import base64
import io
import os
import stat
from pathlib import Path

import pytest

from backups import services
from backups.encryption import (
    HEADER,
    MAGIC,
    TAG_SIZE,
    EncryptionError,
    decrypt_stream,
    encrypt_stream,
    parse_key,
)
from tests.scratch_databases import run_manage, scratch_database
from tests.scratch_postgresql import postgresql_database, sqlite_database

KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
OTHER_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()
CHUNK = 64
COUNT_TABLES = "from django.db import connection; print('tables', len(connection.introspection.table_names()))"


def sealed(plaintext: bytes, key: str = KEY) -> bytes:
    sink = io.BytesIO()
    encrypt_stream(io.BytesIO(plaintext), sink, parse_key(key), chunk_size=CHUNK)
    return sink.getvalue()


def opened(ciphertext: bytes, key: str = KEY) -> bytes:
    sink = io.BytesIO()
    decrypt_stream(io.BytesIO(ciphertext), sink, parse_key(key))
    return sink.getvalue()


def chunks_of(ciphertext: bytes) -> tuple[bytes, list[bytes]]:
    body = ciphertext[HEADER.size :]
    size = CHUNK + TAG_SIZE
    return ciphertext[: HEADER.size], [body[start : start + size] for start in range(0, len(body), size)]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("length", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 5 * CHUNK + 7])
def test_an_encrypted_stream_decrypts_to_exactly_what_went_in(length):
    plaintext = os.urandom(length)
    ciphertext = sealed(plaintext)
    assert ciphertext.startswith(MAGIC)
    assert plaintext == opened(ciphertext)


def test_a_file_cut_at_a_chunk_boundary_is_refused():
    header, chunks = chunks_of(sealed(os.urandom(3 * CHUNK)))
    with pytest.raises(EncryptionError, match="truncated"):
        opened(header + b"".join(chunks[:-1]))


def test_chunks_in_another_order_are_refused():
    header, chunks = chunks_of(sealed(os.urandom(3 * CHUNK + 5)))
    with pytest.raises(EncryptionError, match="reordered"):
        opened(header + chunks[1] + chunks[0] + b"".join(chunks[2:]))


@pytest.mark.parametrize("where", ["header", "body", "appended"])
def test_a_changed_or_added_byte_is_refused(where):
    ciphertext = bytearray(sealed(os.urandom(2 * CHUNK)))
    if where == "header":
        ciphertext[HEADER.size - 1] ^= 1  # the chunk size, authenticated with every chunk
    elif where == "body":
        ciphertext[HEADER.size + 3] ^= 1
    else:
        ciphertext += b"x"
    with pytest.raises(EncryptionError):
        opened(bytes(ciphertext))


def test_a_different_key_is_named_as_the_reason():
    with pytest.raises(EncryptionError, match="encrypted with a different key"):
        opened(sealed(b"secret"), key=OTHER_KEY)


@pytest.mark.parametrize("text", ["", "short", base64.urlsafe_b64encode(b"k" * 16).decode(), "!" * 44])
def test_a_malformed_key_is_refused_with_how_to_make_one(text):
    with pytest.raises(EncryptionError, match=r"32 random bytes in urlsafe base64.*os\.urandom\(32\)"):
        parse_key(text)


def test_the_backup_file_is_private_before_its_first_byte_is_written(tmp_path, monkeypatch):
    seen = {}

    def observe(output, engine, alias, sink, key):
        seen.update(mode=mode_of(output), size=output.stat().st_size)

    monkeypatch.setattr(services, "_write_backup", observe)
    previous = os.umask(0)
    try:
        services.backup_database(tmp_path / "claims.backup")
    finally:
        os.umask(previous)
    assert seen == {"mode": 0o600, "size": 0}


def test_a_backup_that_fails_half_way_leaves_no_file(tmp_path, monkeypatch):
    def fail(output, engine, alias, sink, key):
        sink.write(b"half")
        raise services.BackupError("disk full")

    monkeypatch.setattr(services, "_write_backup", fail)
    with pytest.raises(services.BackupError):
        services.backup_database(tmp_path / "claims.backup")
    assert not (tmp_path / "claims.backup").exists()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with scratch_database(tmp_path_factory.mktemp("site")) as env:
        run_manage(env, "migrate", "--no-input", "-v", "0")
        run_manage(env, "load_demo")
        yield env


def everything(env: dict[str, str]) -> str:
    return run_manage(env, "dumpdata", "--exclude", "sessions", "--indent", "1").stdout


def tables_in(env: dict[str, str]) -> str:
    return run_manage(env, "shell", "-v", "0", "-c", COUNT_TABLES).stdout.strip()


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(site, tmp_path, key):
    backup_file = tmp_path / "claims.backup"
    env = {**site, "BACKUP_ENCRYPTION_KEY": key} if key else site
    previous = os.umask(0)
    try:
        run_manage(env, "backup", str(backup_file))
    finally:
        os.umask(previous)
    assert mode_of(backup_file) == 0o600
    assert not [leftover for leftover in tmp_path.iterdir() if leftover != backup_file]


def test_an_encrypted_backup_hides_its_content_and_restores_with_the_same_key(site, tmp_path):
    backup_file = tmp_path / "claims.backup"
    made = run_manage({**site, "BACKUP_ENCRYPTION_KEY": KEY}, "backup", str(backup_file))
    assert "encrypted" in made.stdout
    content = backup_file.read_bytes()
    assert content.startswith(MAGIC)
    assert b"donald-trump" not in content
    assert b"pbkdf2_sha256" not in content

    with scratch_database(tmp_path) as empty:
        run_manage({**empty, "BACKUP_ENCRYPTION_KEY": KEY}, "restore", str(backup_file))
        assert everything(empty) == everything(site)


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_a_restore_leaves_no_file_behind_beside_the_backup_or_in_the_temporary_folder(site, tmp_path, key):
    kept, scratch_folder = tmp_path / "kept", tmp_path / "tmp"
    kept.mkdir()
    scratch_folder.mkdir()
    backup_file = kept / "claims.backup"
    env = {**site, "BACKUP_ENCRYPTION_KEY": key or "", "TMPDIR": str(scratch_folder)}
    run_manage(env, "backup", str(backup_file))
    with scratch_database(tmp_path) as empty:
        run_manage(
            {**empty, "BACKUP_ENCRYPTION_KEY": key or "", "TMPDIR": str(scratch_folder)}, "restore", str(backup_file)
        )
    assert list(kept.iterdir()) == [backup_file]
    assert list(scratch_folder.iterdir()) == []


@pytest.fixture(scope="module")
def encrypted_backup(site, tmp_path_factory):
    backup_file = tmp_path_factory.mktemp("encrypted") / "claims.backup"
    run_manage({**site, "BACKUP_ENCRYPTION_KEY": KEY}, "backup", str(backup_file))
    return backup_file


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "is encrypted: set BACKUP_ENCRYPTION_KEY"),
        (OTHER_KEY, "encrypted with a different key"),
        ("not-a-key", "must be 32 random bytes"),
    ],
    ids=["missing", "wrong", "malformed"],
)
def test_restoring_without_the_right_key_is_refused_and_writes_nothing(encrypted_backup, tmp_path, key, message):
    with scratch_database(tmp_path) as empty:
        env = {**empty, "BACKUP_ENCRYPTION_KEY": key} if key else empty
        refused = run_manage(env, "restore", str(encrypted_backup), check=False)
        assert tables_in(empty) == "tables 0"
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert message in refused.stderr


def test_a_truncated_encrypted_backup_is_refused_and_writes_nothing(encrypted_backup, tmp_path):
    cut = tmp_path / "cut.backup"
    content = encrypted_backup.read_bytes()
    cut.write_bytes(content[: len(content) - 100])
    with scratch_database(tmp_path) as empty:
        refused = run_manage({**empty, "BACKUP_ENCRYPTION_KEY": KEY}, "restore", str(cut), check=False)
        assert tables_in(empty) == "tables 0"
    assert refused.returncode != 0
    assert "damaged, truncated or reordered" in refused.stderr


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_a_sqlite_backup_on_postgresql_is_refused_with_the_way_to_move(tmp_path, key):
    old = sqlite_database(tmp_path)
    if key:
        old["BACKUP_ENCRYPTION_KEY"] = key
    run_manage(old, "migrate", "--no-input", "-v", "0")
    backup_file = tmp_path / "old.backup"
    run_manage(old, "backup", str(backup_file))
    with postgresql_database() as new:
        refused = run_manage({**new, "BACKUP_ENCRYPTION_KEY": key or ""}, "restore", str(backup_file), check=False)
        assert tables_in(new) == "tables 0"
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "is a backup of a SQLite database, and the configured database is PostgreSQL" in refused.stderr
    assert "manage.py move_database --from" in refused.stderr


def test_a_postgresql_backup_on_sqlite_is_refused_saying_where_it_belongs(tmp_path):
    backup_file = tmp_path / "new.backup"
    with postgresql_database() as new:
        run_manage(new, "migrate", "--no-input", "-v", "0")
        run_manage(new, "backup", str(backup_file))
    assert mode_of(backup_file) == 0o600
    sqlite = sqlite_database(tmp_path)
    refused = run_manage(sqlite, "restore", str(backup_file), check=False)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "is a PostgreSQL backup (pg_dump), and the configured database is SQLite" in refused.stderr
    assert not Path(sqlite["SQLITE_PATH"]).exists() or tables_in(sqlite) == "tables 0"
