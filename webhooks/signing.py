"""Standard Webhooks signatures (https://www.standardwebhooks.com), which partners check with
that project's libraries: ``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``
keyed with the bytes of the endpoint's ``whsec_<base64>`` secret."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105  # nosec B105 - the standard's prefix, not a secret
SECRET_BYTES = 32
# What a stored secret looks like: the prefix and standard, padded base64 (32 random bytes for
# new secrets; 64 for the hex secrets of endpoints made before signatures followed the standard).
SECRET_FORMAT = r"^whsec_[A-Za-z0-9+/]{40,120}={0,2}$"  # noqa: S105  # nosec B105 - a pattern, not a secret

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_from_legacy_hex(hex_secret: str) -> str:
    """An old endpoint's key, as it was used (its hex text's bytes), in the standard form."""
    return SECRET_PREFIX + base64.b64encode(hex_secret.encode("ascii")).decode()


def key_bytes(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as error:
        raise ValueError("not a whsec_ secret") from error


def sign(*, secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature."""
    message = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_bytes(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(*, secrets_in_use: list[str], webhook_id: str, timestamp: int, body: bytes) -> str:
    """Every signature, space-separated, as the standard allows while a secret is being rotated."""
    return " ".join(sign(secret=s, webhook_id=webhook_id, timestamp=timestamp, body=body) for s in secrets_in_use)
