"""Request-level decisions about databases, and health probes that bypass host checks."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from claimtracker import health
from claimtracker.routers import choose_replica, replica_aliases, replica_reads

SAFE_METHODS = frozenset({"GET", "HEAD"})
PIN_COOKIE = "ct_primary"


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before anything else runs.

    Load balancers probe each app server by its address, with a Host header that is not in
    ``ALLOWED_HOSTS`` and over plain HTTP; answering here means neither the host check nor
    the HTTPS redirect turns a healthy server into a failing probe. Put it first.
    """

    probes: dict[str, Callable[[HttpRequest], HttpResponse]] = {
        "/healthz": health.healthz,
        "/readyz": health.readyz,
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info.rstrip("/"))
        if probe is not None and request.method in SAFE_METHODS:
            return probe(request)
        return self.get_response(request)


class ReplicaRoutingMiddleware:
    """Let public and API reads use a read replica; keep everything else on the primary.

    A request may read from a replica when it is a GET or HEAD, outside the admin, from an
    anonymous visitor (or to the API, whose clients authenticate per request), and its
    browser has not written recently. Any request that writes, or is not a GET/HEAD, sets a
    short-lived cookie that pins that browser to the primary, so an editor who just saved
    reads what they saved rather than a replica that may be a moment behind.

    Goes after ``AuthenticationMiddleware``. Not loaded at all when no replica is configured.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.replicas = replica_aliases()
        if not self.replicas:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.pin_seconds = settings.DATABASE_REPLICA_PIN_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        replica = choose_replica(self.replicas) if self.may_read_from_replica(request) else None
        with replica_reads(replica) as scope:
            response = self.get_response(request)
        if scope.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=self.pin_seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def may_read_from_replica(self, request: HttpRequest) -> bool:
        if request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
            return False
        path = request.path_info
        if path.startswith(reverse("admin:index")):
            return False
        if path.startswith("/api/"):
            return True
        # Reads the session (from the primary) only when the browser sent a session cookie.
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
