"""The signature partners check: HMAC-SHA256 of ``"<unix time>.<body>"`` with the endpoint's secret."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Claimtracker-Signature"
# Partners should refuse signatures older than this (docs/api.md), which stops replays by a third party.
DEFAULT_TOLERANCE_SECONDS = 300


def sign(*, secret: str, body: bytes, timestamp: int) -> str:
    """The header value ``t=<timestamp>,v1=<hex digest>``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(
    *, secret: str, body: bytes, header: str, tolerance: int = DEFAULT_TOLERANCE_SECONDS, now: float | None = None
) -> bool:
    """What a partner does on receipt; kept here for the tests and as the reference for docs/api.md."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret=secret, body=body, timestamp=timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))
