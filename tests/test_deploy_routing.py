"""Which database a query goes to: the router and the middleware, without a real replica.

tests/test_replica.py runs the same decisions against a real streaming standby.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from claimtracker import middleware
from claimtracker.middleware import PIN_COOKIE, ReplicaRoutingMiddleware
from claimtracker.routers import PrimaryReplicaRouter, replica_reads
from people.models import Person

REPLICAS = ("replica_1", "replica_2")
an_editor = SimpleNamespace(is_authenticated=True)


@pytest.fixture
def router():
    return PrimaryReplicaRouter(replicas=REPLICAS)


@pytest.fixture
def routed(monkeypatch, router):
    """The middleware around a view that reports where its reads (and a write, if asked) go."""
    monkeypatch.setattr(middleware, "replica_aliases", lambda: REPLICAS)
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Person)
        if request.GET.get("write"):
            seen["write"] = router.db_for_write(Person)
            seen["read_after_write"] = router.db_for_read(Person)
        return HttpResponse("ok")

    def call(request, user=None):
        request.user = user or AnonymousUser()
        response = ReplicaRoutingMiddleware(view)(request)
        return seen, response

    return call


def test_without_replicas_every_query_goes_to_the_primary():
    router = PrimaryReplicaRouter(replicas=())
    with replica_reads(None):
        assert router.db_for_read(Person) == "default"
        assert router.db_for_write(Person) == "default"


def test_outside_a_request_reads_stay_on_the_primary(router):
    # Management commands, the shell and background work read their own writes.
    assert router.db_for_read(Person) == "default"


def test_writes_always_go_to_the_primary(router):
    with replica_reads("replica_1"):
        assert router.db_for_write(Person) == "default"


def test_replicas_are_never_migrated(router):
    assert router.allow_migrate("replica_1", "people") is False
    assert router.allow_migrate("default", "people") is None


def test_without_replicas_the_middleware_is_not_loaded(settings):
    with pytest.raises(middleware.MiddlewareNotUsed):
        ReplicaRoutingMiddleware(lambda request: HttpResponse())


def test_an_anonymous_page_view_reads_from_a_replica(routed):
    seen, response = routed(RequestFactory().get("/people/someone/"))
    assert seen["read"] in REPLICAS
    assert PIN_COOKIE not in response.cookies


def test_an_api_read_uses_a_replica_even_with_a_key(routed):
    seen, _ = routed(RequestFactory().get("/api/claims/"), user=an_editor)
    assert seen["read"] in REPLICAS


def test_a_signed_in_editor_reads_from_the_primary(routed):
    seen, _ = routed(RequestFactory().get("/people/someone/"), user=an_editor)
    assert seen["read"] == "default"


def test_the_admin_reads_from_the_primary(routed):
    seen, _ = routed(RequestFactory().get("/admin/login/"))
    assert seen["read"] == "default"


def test_a_post_reads_from_the_primary_and_pins_the_browser_there(routed):
    seen, response = routed(RequestFactory().post("/admin/login/"))
    assert seen["read"] == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]


def test_a_pinned_browser_reads_from_the_primary(routed):
    request = RequestFactory().get("/people/someone/")
    request.COOKIES[PIN_COOKIE] = "1"
    seen, _ = routed(request)
    assert seen["read"] == "default"


def test_a_get_that_writes_reads_its_write_from_the_primary_and_is_pinned(routed):
    seen, response = routed(RequestFactory().get("/people/someone/", {"write": "1"}))
    assert seen["read"] in REPLICAS
    assert seen["write"] == "default"
    assert seen["read_after_write"] == "default"
    assert PIN_COOKIE in response.cookies
