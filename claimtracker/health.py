"""Liveness and readiness probes for load balancers and orchestrators.

``/healthz`` says the process answers; it touches nothing else, so a database outage does
not get every app server restarted. ``/readyz`` says this server can do useful work: every
configured database (the primary and each replica) answers a query and the cache stores and
returns a value. On failure it answers 503 and names what failed, so the load balancer
takes the server out of rotation and the on-call editor sees why.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)

# Every process that shares a cache reports the same id; one with a cache of its own differs.
CACHE_INSTANCE_KEY = "ops:cache-instance"


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    return _no_store(JsonResponse({"status": "ok"}))


def _check_database(alias: str) -> dict[str, object]:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("Readiness: database %s failed: %s", alias, error)
        connection.close_if_unusable_or_obsolete()
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def _check_cache() -> dict[str, object]:
    try:
        cache.add(CACHE_INSTANCE_KEY, uuid.uuid4().hex, timeout=None)
        instance = cache.get(CACHE_INSTANCE_KEY)
    except Exception as error:
        logger.warning("Readiness: cache failed: %s", error)
        return {"ok": False, "error": type(error).__name__}
    if instance is None:
        return {"ok": False, "error": "value stored in the cache could not be read back"}
    return {"ok": True, "instance": instance}


def readiness() -> dict[str, dict[str, object]]:
    checks = {f"database:{alias}": _check_database(alias) for alias in connections}
    checks["cache"] = _check_cache()
    return checks


def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    failed = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks}
    return _no_store(JsonResponse(body, status=503 if failed else 200))
