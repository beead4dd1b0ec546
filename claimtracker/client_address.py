"""The client's address, as far as our own proxies vouch for it.

Any client can send an ``X-Forwarded-For`` header, so it is believed only as far as the proxies
we run appended to it: with ``TRUSTED_PROXY_COUNT`` = N, the client is the N-th address from the
right (the one the outermost of our proxies saw connect). With 0, the header is ignored and the
connection's own address is the client. Throttles, login lockouts and logs all use this.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None where the request carries none (e.g. a test's force_login)."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Our proxies each appended one entry; anything further left came from the client and is ignored.
    return _valid(forwarded[-min(proxies, len(forwarded))]) or remote
