"""Encrypted backup files: AES-256-GCM in the STREAM construction, a chunk at a time.

A file is a header and a sequence of chunks. Each chunk is sealed with its own nonce, made of a
random prefix chosen per file, the chunk's number and a flag set only on the last chunk. The
header is authenticated with every chunk. So a changed byte, a chunk moved, dropped or
duplicated, a file cut short or a header edited all fail authentication, and neither side ever
holds more than one chunk in memory, whatever the size of the database.

Layout (integers big-endian):

    header = MAGIC (8) | VERSION (1) | key id (8) | nonce prefix (7) | chunk size (4)
    chunk  = AES-256-GCM(key, nonce = prefix | counter (4) | last (1), plaintext, aad = header)

Every chunk but the last holds exactly ``chunk size`` bytes of plaintext; the last holds 1 to
``chunk size`` bytes (or none, for an empty input), so a file cut at a chunk boundary ends on a
chunk not flagged last and is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"CTBKENC\x00"
VERSION = 1
KEY_ENVIRONMENT_VARIABLE = "BACKUP_ENCRYPTION_KEY"
MAKE_A_KEY = "python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'"
CHUNK_SIZE = 1024 * 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
TAG_SIZE = 16
PREFIX_SIZE = 7
KEY_ID_SIZE = 8
HEADER = struct.Struct(f">{len(MAGIC)}sB{KEY_ID_SIZE}s{PREFIX_SIZE}sI")
MAX_CHUNKS = 2**32


class EncryptionError(Exception):
    """A key is unusable, or an encrypted file cannot be decrypted; the message says which."""


def parse_key(text: str) -> bytes:
    """The 32-byte key from its urlsafe base64 form (padding optional)."""
    cleaned = text.strip()
    try:
        key = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise EncryptionError(
            f"{KEY_ENVIRONMENT_VARIABLE} must be 32 random bytes in urlsafe base64 (44 characters); "
            f"make one with: {MAKE_A_KEY}"
        )
    return key


def key_from_environment() -> bytes | None:
    """The key in BACKUP_ENCRYPTION_KEY, or None when it is unset or empty."""
    text = os.environ.get(KEY_ENVIRONMENT_VARIABLE, "")
    return parse_key(text) if text.strip() else None


def key_id(key: bytes) -> bytes:
    # Lets a restore say "a different key" rather than "damaged"; it reveals nothing a guess at
    # the key could not already check against the first chunk.
    return hmac.new(key, b"claimtracker backup key id", hashlib.sha256).digest()[:KEY_ID_SIZE]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= MAX_CHUNKS:
        raise EncryptionError("The file is too large for one encrypted backup.")
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def is_encrypted(first_bytes: bytes) -> bool:
    return first_bytes.startswith(MAGIC)


class EncryptingWriter:
    """A write-only file object that encrypts what it is given into ``sink``; call close() to finish."""

    def __init__(self, sink: BinaryIO, key: bytes, *, chunk_size: int = CHUNK_SIZE) -> None:
        self._sink = sink
        self._aead = AESGCM(key)
        self._prefix = os.urandom(PREFIX_SIZE)
        self._chunk_size = chunk_size
        self._header = HEADER.pack(MAGIC, VERSION, key_id(key), self._prefix, chunk_size)
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        sink.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Keep at least one byte back: only close() knows which chunk is the last.
        while len(self._buffer) > self._chunk_size:
            self._seal(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True

    def _seal(self, plaintext: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._sink.write(self._aead.encrypt(nonce, plaintext, self._header))
        self._counter += 1


def encrypt_stream(source: BinaryIO, sink: BinaryIO, key: bytes, *, chunk_size: int = CHUNK_SIZE) -> None:
    writer = EncryptingWriter(sink, key, chunk_size=chunk_size)
    while piece := source.read(chunk_size):
        writer.write(piece)
    writer.close()


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    parts = bytearray()
    while len(parts) < size:
        piece = source.read(size - len(parts))
        if not piece:
            break
        parts += piece
    return bytes(parts)


def decrypted_chunks(source: BinaryIO, key: bytes) -> Iterator[bytes]:
    """The plaintext, a chunk at a time, each yielded only once it is authenticated.

    Raises EncryptionError for a file that is not ours, a different key, or any tampering,
    truncation or reordering — at the latest when the last chunk is reached.
    """
    header = _read_exactly(source, HEADER.size)
    if len(header) < HEADER.size or not is_encrypted(header):
        raise EncryptionError("This is not an encrypted backup.")
    _magic, version, stored_key_id, prefix, chunk_size = HEADER.unpack(header)
    if version != VERSION:
        raise EncryptionError(f"This encrypted backup has format version {version}; this code reads {VERSION}.")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise EncryptionError("The encrypted backup's header is damaged.")
    if not hmac.compare_digest(stored_key_id, key_id(key)):
        raise EncryptionError(
            f"This backup was encrypted with a different key: set {KEY_ENVIRONMENT_VARIABLE} to the key "
            "that was in force when it was made."
        )
    aead = AESGCM(key)
    sealed_size = chunk_size + TAG_SIZE
    current = _read_exactly(source, sealed_size)
    counter = 0
    while True:
        following = _read_exactly(source, sealed_size) if len(current) == sealed_size else b""
        last = not following
        try:
            yield aead.decrypt(_nonce(prefix, counter, last), current, header)
        except InvalidTag:
            raise EncryptionError(
                f"The encrypted backup is damaged, truncated or reordered (chunk {counter + 1} fails "
                "authentication); nothing from it was used."
            ) from None
        if last:
            return
        current, counter = following, counter + 1


def decrypt_stream(source: BinaryIO, sink: BinaryIO, key: bytes) -> None:
    for plaintext in decrypted_chunks(source, key):
        sink.write(plaintext)
