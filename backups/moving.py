"""Move a newsroom's data from the embedded SQLite database into PostgreSQL, row for row.

The target is the configured database: PostgreSQL, migrated to the same migrations as the old
SQLite file, and holding nothing but what migrations put there. In one transaction on the
target, those tables are emptied, every row of every model table (auto-created many-to-many
tables, history, change log, users, sessions, keys, webhooks …) is copied with its primary key
in foreign-key order, the sequences are moved past the copied keys and each table's count is
checked against the source. Anything wrong rolls the whole move back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import dj_database_url
from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model

from backups.services import SQLITE_HEADER

SOURCE_ALIAS = "move_database_source"
# What `migrate` writes into a new database: content types, permissions, the editor groups and
# the rating scales (with their history). A target holding rows anywhere else holds data.
MIGRATION_FILLED_TABLES = frozenset(
    {
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "claims_status",
        "claims_historicalstatus",
        # The purge worker's cursor, which its migration starts at the end of the change log.
        "edgecache_purgecursor",
    }
)
# PostgreSQL accepts at most 65,535 parameters in one statement.
MAX_PARAMETERS = 60_000
MAX_BATCH_ROWS = 2_000


class MoveError(Exception):
    """The move cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class TableCount:
    table: str
    rows: int


def copied_models() -> list[type[Model]]:
    """Every model that owns a table, auto-created many-to-many tables included, one per table."""
    seen: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        options = model._meta
        if options.proxy or not options.managed or options.swapped:
            continue
        seen.setdefault(options.db_table, model)
    return [seen[table] for table in sorted(seen)]


def _dependencies(model: type[Model], tables: set[str]) -> set[str]:
    related = set()
    for field in model._meta.local_concrete_fields:
        if field.is_relation and field.remote_field is not None:
            # Every model has its concrete model once the app registry is ready, as it is here.
            concrete = cast("type[Model]", field.remote_field.model._meta.concrete_model)
            table = concrete._meta.db_table
            if table in tables and table != model._meta.db_table:
                related.add(table)
    return related


def dependency_order(models: Sequence[type[Model]]) -> list[type[Model]]:
    """Models with the rows they point to first (a self-reference is handled by pk order).

    Only the claims triggers need this (they read the status and the claim of a new row): Django
    creates PostgreSQL foreign keys DEFERRABLE INITIALLY DEFERRED, checked at commit. So a cycle,
    should one appear, is broken at the model with the fewest unmet dependencies.
    """
    by_table = {model._meta.db_table: model for model in models}
    waiting = {table: _dependencies(model, set(by_table)) for table, model in by_table.items()}
    ordered: list[type[Model]] = []
    while waiting:
        ready = sorted(table for table, needs in waiting.items() if not needs)
        if not ready:
            ready = [min(waiting, key=lambda table: (len(waiting[table]), table))]
        for table in ready:
            ordered.append(by_table[table])
            del waiting[table]
        for needs in waiting.values():
            needs.difference_update(ready)
    return ordered


def _source_settings(url: str) -> dict:
    try:
        config = dj_database_url.parse(url)
    except ValueError as error:
        raise MoveError(f"--from is not a database URL we understand: {error}") from None
    if config["ENGINE"] != "django.db.backends.sqlite3":
        raise MoveError(
            f"--from must be the old SQLite database (sqlite:////path/to/db.sqlite3), not {config['ENGINE']}. "
            "Between two PostgreSQL databases use `manage.py backup` and `manage.py restore`."
        )
    name = str(config.get("NAME") or "")
    if not name or name.startswith(":memory:") or "mode=memory" in name:
        raise MoveError("--from must name a SQLite database file, e.g. sqlite:////srv/claimtracker/db.sqlite3.")
    path = Path(name).resolve()
    if not path.is_file():
        raise MoveError(f"There is no SQLite database at {path} (from --from); check the path.")
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise MoveError(f"{path} is not a SQLite database.")
    # Opened read-only: the move never changes the old database.
    return {**config, "NAME": f"file:{path}?mode=ro", "OPTIONS": {}, "CONN_MAX_AGE": 0}


@contextlib.contextmanager
def source_connection(url: str) -> Iterator[BaseDatabaseWrapper]:
    """A connection to the old SQLite database, registered as an extra alias for the ORM."""
    config = _source_settings(url)
    # configure_settings fills in Django's defaults; it insists on a default alias to be present.
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: {"ENGINE": "django.db.backends.dummy"}, SOURCE_ALIAS: config}
    )
    connections.settings[SOURCE_ALIAS] = configured[SOURCE_ALIAS]
    try:
        connection = connections[SOURCE_ALIAS]
        try:
            connection.ensure_connection()
        except DatabaseError as error:
            raise MoveError(f"Cannot open the old SQLite database: {error}") from None
        yield connection
    finally:
        with contextlib.suppress(Exception):
            connections[SOURCE_ALIAS].close()
        with contextlib.suppress(KeyError, AttributeError):
            del connections[SOURCE_ALIAS]
        connections.settings.pop(SOURCE_ALIAS, None)


def _target(alias: str) -> BaseDatabaseWrapper:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise MoveError(
            f"The configured database is {connection.vendor}, and move_database copies into PostgreSQL: "
            "set DATABASE_URL to the new, migrated PostgreSQL database and run it again."
        )
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise MoveError(f"Cannot connect to the PostgreSQL database in DATABASE_URL: {error}".strip()) from None
    return connection


def _applied_migrations(connection: BaseDatabaseWrapper) -> set[tuple[str, str]]:
    if "django_migrations" not in connection.introspection.table_names():
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return {(app, name) for app, name in cursor.fetchall()}


def _names(migrations: set[tuple[str, str]]) -> str:
    listed = [f"{app}.{name}" for app, name in sorted(migrations)]
    return ", ".join(listed[:8]) + (f" and {len(listed) - 8} more" if len(listed) > 8 else "")


def check_migrations(source: BaseDatabaseWrapper, target: BaseDatabaseWrapper, source_url: str) -> None:
    """Both databases at exactly the migrations of this code, or a MoveError saying what to run."""
    executor = MigrationExecutor(target)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise MoveError(
            "The PostgreSQL database is not fully migrated: run `manage.py migrate` on it (with DATABASE_URL "
            "set to it) first."
        )
    old, new = _applied_migrations(source), _applied_migrations(target)
    if not old:
        raise MoveError("The old database has no django_migrations table: it is not a Claim Tracker database.")
    if old == new:
        return
    problems = []
    if new - old:
        problems.append(
            f"the old SQLite database lacks {_names(new - old)}: run "
            f"`DATABASE_URL={source_url} manage.py migrate` on the old database first (after a backup)"
        )
    if old - new:
        problems.append(
            f"the old database has migrations this code does not know ({_names(old - new)}): run the move "
            "with the code the old database was last used with, or newer"
        )
    raise MoveError("The two databases are not at the same migrations: " + "; ".join(problems) + ".")


def _count(connection: BaseDatabaseWrapper, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
        return cursor.fetchone()[0]


def check_target_is_empty(target: BaseDatabaseWrapper, models: Sequence[type[Model]]) -> None:
    held = []
    for model in models:
        table = model._meta.db_table
        if table not in MIGRATION_FILLED_TABLES and (rows := _count(target, table)):
            held.append(f"{table} ({rows})")
    if held:
        raise MoveError(
            "The PostgreSQL database already holds data: "
            + ", ".join(held[:6])
            + (" and more" if len(held) > 6 else "")
            + ". Move into a new database, created and migrated for the move, so that nothing is overwritten."
        )


def check_tables_exist(source: BaseDatabaseWrapper, target: BaseDatabaseWrapper, models: Sequence[type[Model]]) -> None:
    for connection, which in ((source, "old SQLite"), (target, "PostgreSQL")):
        missing = {model._meta.db_table for model in models} - set(connection.introspection.table_names())
        if missing:
            raise MoveError(f"The {which} database has no table {', '.join(sorted(missing))}; run migrate on it.")


def _insert(cursor, statement: str, placeholder: str, rows: list[list[object]]) -> None:
    values = ", ".join([placeholder] * len(rows))
    cursor.execute(f"{statement} {values}", [value for row in rows for value in row])


def _copy_table(model: type[Model], source: BaseDatabaseWrapper, target: BaseDatabaseWrapper) -> int:
    # Rows go in as stored, through each field's own conversion for PostgreSQL, rather than with
    # bulk_create: that would run pre_save, and auto_now would stamp every updated_at with today.
    fields = list(model._meta.local_concrete_fields)
    quote = target.ops.quote_name
    # Concrete fields: each has a column.
    columns = ", ".join(quote(cast(str, field.column)) for field in fields)
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES"
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch_rows = max(1, min(MAX_BATCH_ROWS, MAX_PARAMETERS // len(fields)))
    # By primary key, so a row pointing to an earlier row of its own table (Claim.parent,
    # StatusUpdate.corrects) comes after it, as the claims triggers require.
    rows = (
        model._base_manager.using(source.alias)
        .order_by(model._meta.pk.attname)
        .values_list(*(field.attname for field in fields))
        .iterator(chunk_size=batch_rows)
    )
    copied = 0
    batch: list[list[object]] = []
    with target.cursor() as cursor:
        for row in rows:
            batch.append(
                [field.get_db_prep_save(value, connection=target) for field, value in zip(fields, row, strict=True)]
            )
            if len(batch) == batch_rows:
                _insert(cursor, statement, placeholder, batch)
                copied += len(batch)
                batch = []
        if batch:
            _insert(cursor, statement, placeholder, batch)
            copied += len(batch)
    return copied


def _copy_all(
    source: BaseDatabaseWrapper, target: BaseDatabaseWrapper, models: Sequence[type[Model]]
) -> list[TableCount]:
    with target.cursor() as cursor:
        tables = [model._meta.db_table for model in models]
        # TRUNCATE … CASCADE: what migrate put there goes, to come back with the old database's keys.
        for statement in target.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(statement)
    counts = [
        TableCount(model._meta.db_table, _copy_table(model, source, target)) for model in dependency_order(models)
    ]
    with target.cursor() as cursor:
        # Check the deferred foreign keys now, inside the transaction, rather than at commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in target.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    for count in counts:
        expected, stored = _count(source, count.table), _count(target, count.table)
        if stored != expected or count.rows != expected:
            raise MoveError(f"{count.table}: {expected} rows in the old database, {stored} copied; nothing was moved.")
    return sorted(counts, key=lambda count: count.table)


def move_database(source_url: str, *, alias: str = DEFAULT_DB_ALIAS) -> list[TableCount]:
    """Copy every row of the SQLite database at ``source_url`` into the configured PostgreSQL one."""
    target = _target(alias)
    models = copied_models()
    with source_connection(source_url) as source:
        check_migrations(source, target, source_url)
        check_tables_exist(source, target, models)
        check_target_is_empty(target, models)
        try:
            with transaction.atomic(using=alias):
                return _copy_all(source, target, models)
        except DatabaseError as error:
            raise MoveError(f"The copy failed and was rolled back, nothing was moved: {error}".strip()) from None
