"""Read replicas against a real PostgreSQL streaming standby.

Run with a standby of the primary (``make replica`` starts one on 127.0.0.1:5433)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimtracker \
    DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5433/claimtracker \
    pytest -m replica

A standby is read-only, so Django cannot create a test database on it. It does not need to:
the replica alias is a test mirror of ``default``, so it connects to the standby under the
test database's name, and the test database created (and later dropped) on the primary
reaches the standby by replication like any other write.
"""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from claimtracker.middleware import PIN_COOKIE
from people.models import Person
from tests.deploy_support import unavailable
from tests.factories import ClaimFactory, PersonFactory, SuperuserFactory

REPLICAS = [alias for alias in settings.DATABASES if alias.startswith("replica_")]
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
WHY_SKIPPED = (
    "set DATABASE_URL to PostgreSQL and DATABASE_REPLICA_URLS to a streaming standby of it "
    "(`make replica` starts one on 127.0.0.1:5433) to run the replica tests"
)

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        not (REPLICAS and ON_POSTGRESQL) and os.environ.get("CLAIMTRACKER_REQUIRE_SERVICES") != "1", reason=WHY_SKIPPED
    ),
    # Committed writes, so that they replicate; the seeded statuses come back for each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", *REPLICAS]),
]


@pytest.fixture(autouse=True)
def _a_standby():
    if not (REPLICAS and ON_POSTGRESQL):
        unavailable(WHY_SKIPPED)


def scalar(alias: str, sql: str, params: list | None = None):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def wait_for_replication(timeout: float = 20) -> None:
    """Until every replica has replayed everything the primary has written so far."""
    position = scalar("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    for alias in REPLICAS:
        while not scalar(alias, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position]):
            if time.monotonic() > deadline:
                pytest.fail(f"{alias} did not replay up to {position} within {timeout}s")
            time.sleep(0.05)


class QueriesOn:
    """Counts the queries each database receives inside the block."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in ["default", *REPLICAS]}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def count(self, alias: str) -> int:
        return len(self.contexts[alias].captured_queries)

    @property
    def replicas(self) -> int:
        return sum(self.count(alias) for alias in REPLICAS)


def test_each_replica_alias_is_a_hot_standby_and_default_is_the_primary():
    assert scalar("default", "SELECT pg_is_in_recovery()") is False
    for alias in REPLICAS:
        assert scalar(alias, "SELECT pg_is_in_recovery()") is True
        assert scalar(alias, "SELECT current_database()") == scalar("default", "SELECT current_database()")


def test_a_write_on_the_primary_reaches_the_replica():
    person = PersonFactory(name="Ada Replicated")
    wait_for_replication()
    for alias in REPLICAS:
        assert Person.objects.using(alias).get(pk=person.pk).name == "Ada Replicated"


def test_the_replica_refuses_writes():
    from django.db import InternalError

    with pytest.raises(InternalError, match="read-only transaction"):
        scalar(REPLICAS[0], "CREATE TABLE should_not_exist (id int)")


def test_an_anonymous_reader_is_served_by_a_replica(client):
    claim = ClaimFactory(claimant__name="Grace Standby")
    wait_for_replication()
    with QueriesOn() as queries:
        response = client.get(claim.claimant.get_absolute_url())
    assert response.status_code == 200
    assert "Grace Standby" in response.text
    assert queries.replicas > 0
    assert queries.count("default") == 0


def test_a_browser_that_just_posted_reads_from_the_primary(client):
    claim = ClaimFactory()
    wait_for_replication()
    client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert PIN_COOKIE in client.cookies
    with QueriesOn() as queries:
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert queries.count("default") > 0
    assert queries.replicas == 0


def test_a_signed_in_editor_reads_everything_from_the_primary(client):
    editor = SuperuserFactory()
    claim = ClaimFactory()
    client.force_login(editor)
    wait_for_replication()
    with QueriesOn() as queries:
        assert client.get(claim.get_absolute_url()).status_code == 200
        assert client.get("/admin/people/person/").status_code == 200
    assert queries.count("default") > 0
    assert queries.replicas == 0


def test_readyz_checks_the_primary_and_every_replica(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert {f"database:{alias}" for alias in ["default", *REPLICAS]} <= body["checks"].keys()
