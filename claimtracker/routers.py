"""Send reads to PostgreSQL read replicas when it is safe, everything else to the primary.

Replicas are the database aliases ``replica_1``, ``replica_2``… that settings build from
``DATABASE_REPLICA_URLS``. With none configured every query goes to ``default``.

Whether a read may use a replica is decided per request by
:class:`claimtracker.middleware.ReplicaRoutingMiddleware`, which opens a routing scope for
anonymous and API reads. Outside such a scope (management commands, the shell, tests, the
admin, requests that write) reads stay on the primary, so code that writes and then reads
always sees its own writes.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_PREFIX = "replica_"


def replica_aliases() -> tuple[str, ...]:
    return tuple(alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX))


@dataclass
class RoutingScope:
    """What one request may read from, and whether it has written."""

    replica: str | None
    wrote: bool = False


_scope: ContextVar[RoutingScope | None] = ContextVar("claimtracker_db_routing", default=None)


def current_scope() -> RoutingScope | None:
    return _scope.get()


@contextmanager
def replica_reads(replica: str | None) -> Iterator[RoutingScope]:
    """Let reads inside the block go to ``replica`` until something writes."""
    scope = RoutingScope(replica=replica)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def choose_replica(aliases: tuple[str, ...]) -> str | None:
    # One replica per request keeps a page's queries on one consistent snapshot.
    return secrets.choice(aliases) if aliases else None


class PrimaryReplicaRouter:
    def __init__(self, replicas: tuple[str, ...] | None = None) -> None:
        self.replicas = replica_aliases() if replicas is None else tuple(replicas)
        self.aliases = {DEFAULT_DB_ALIAS, *self.replicas}

    def db_for_read(self, model, **hints) -> str:
        scope = _scope.get()
        if scope is None or scope.replica is None or scope.wrote:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Inside a transaction on the primary, read what that transaction sees.
            return DEFAULT_DB_ALIAS
        return scope.replica

    def db_for_write(self, model, **hints) -> str:
        scope = _scope.get()
        if scope is not None:
            # From the first write on, this request reads its own writes from the primary.
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        if obj1._state.db in self.aliases and obj2._state.db in self.aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool | None:
        # Replicas copy the primary's schema through replication; never migrate them directly.
        if db in self.replicas:
            return False
        return None
