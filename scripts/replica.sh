#!/usr/bin/env bash
# A throwaway streaming replica of the local PostgreSQL, for the replica tests and for trying
# read replicas out on one machine.
#
#   scripts/replica.sh start    base backup of 127.0.0.1:5432, run as a hot standby on :5433
#   scripts/replica.sh stop     stop it and delete its data directory
#   scripts/replica.sh status
#
# Both commands are idempotent. Run as root (or as the postgres user, if the primary already
# accepts replication connections from 127.0.0.1). A production replica is set up the same way
# on its own machine; see docs/deploy.md.
set -euo pipefail

PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
PG_VERSION="${PG_VERSION:-$(ls /etc/postgresql | sort -V | tail -n 1)}"
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
REPLICA_ROOT="${REPLICA_ROOT:-/var/lib/postgresql/claimtracker-replica-$REPLICA_PORT}"
DATA="$REPLICA_ROOT/data"
LOG="$REPLICA_ROOT/postgresql.log"
HBA="/etc/postgresql/$PG_VERSION/main/pg_hba.conf"

say() { printf 'replica: %s\n' "$*"; }
die() { printf 'replica: %s\n' "$*" >&2; exit 1; }
as_postgres() {
    # From /, which the postgres user can always enter (the caller's directory may be private).
    if [ "$(id -un)" = postgres ]; then (cd / && "$@"); else (cd / && runuser -u postgres -- "$@"); fi
}
primary_sql() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -XtAc "$1"; }
replica_sql() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -XtAc "$1"; }
running() { [ -f "$DATA/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

ensure_primary() {
    if ! pg_isready -q -h 127.0.0.1 -p "$PRIMARY_PORT"; then
        say "starting the primary cluster $PG_VERSION/main"
        pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PRIMARY_PORT" && break; sleep 1; done
    fi
    pg_isready -q -h 127.0.0.1 -p "$PRIMARY_PORT" || die "the primary on 127.0.0.1:$PRIMARY_PORT is not accepting connections"
    local wal_level senders
    wal_level=$(primary_sql "SHOW wal_level")
    senders=$(primary_sql "SHOW max_wal_senders")
    [ "$wal_level" != minimal ] || die "the primary has wal_level=minimal; set wal_level=replica and restart it"
    [ "$senders" -ge 3 ] || die "the primary has max_wal_senders=$senders; it needs at least 3"
    # Replication connections match only "replication" lines in pg_hba.conf, not "all".
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$HBA"; then
        [ -w "$HBA" ] || die "$HBA has no replication line for 127.0.0.1 and is not writable here; run as root"
        say "allowing replication connections from 127.0.0.1 in $HBA"
        printf '\n# Local streaming replica for claimtracker (scripts/replica.sh)\nhost replication all 127.0.0.1/32 trust\n' >>"$HBA"
        primary_sql "SELECT pg_reload_conf()" >/dev/null
    fi
}

base_backup() {
    say "taking a base backup of 127.0.0.1:$PRIMARY_PORT into $DATA"
    rm -rf "$DATA"
    mkdir -p "$REPLICA_ROOT"
    chown postgres:postgres "$REPLICA_ROOT" 2>/dev/null || true
    as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
        --write-recovery-conf --wal-method=stream --checkpoint=fast --no-sync
    # Debian keeps the configuration outside the data directory, so the copy has none: give
    # the standby its own. Hot standby needs these limits at least as high as the primary's.
    {
        echo "# Written by scripts/replica.sh"
        echo "port = $REPLICA_PORT"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$REPLICA_ROOT'"
        echo "hot_standby = on"
        echo "cluster_name = 'claimtracker_replica'"
        for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
            echo "$setting = $(primary_sql "SHOW $setting")"
        done
    } | as_postgres tee "$DATA/postgresql.conf" >/dev/null
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_postgres tee "$DATA/pg_hba.conf" >/dev/null
    as_postgres touch "$DATA/pg_ident.conf"
}

start() {
    if running; then
        say "already running on 127.0.0.1:$REPLICA_PORT"
        return
    fi
    ensure_primary
    # A stopped standby may have fallen too far behind to catch up; a fresh copy always can.
    base_backup
    as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null \
        || { tail -n 20 "$LOG" >&2; die "the standby did not start (log: $LOG)"; }
    for _ in $(seq 1 30); do
        [ "$(replica_sql "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ] && break
        sleep 1
    done
    [ "$(replica_sql "SELECT pg_is_in_recovery()")" = t ] || die "the server on :$REPLICA_PORT is not a standby"
    [ "$(replica_sql "SELECT status FROM pg_stat_wal_receiver")" = streaming ] \
        || die "the standby is not streaming from the primary (log: $LOG)"
    say "hot standby streaming from 127.0.0.1:$PRIMARY_PORT, listening on 127.0.0.1:$REPLICA_PORT"
    say "use it with DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:$REPLICA_PORT/<same database name as DATABASE_URL>"
}

stop() {
    if running; then
        as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
        say "stopped the standby on 127.0.0.1:$REPLICA_PORT"
    else
        say "not running"
    fi
    # Delete only a directory this script made.
    if [ -d "$REPLICA_ROOT" ] && { [ ! -d "$DATA" ] || grep -q 'Written by scripts/replica.sh' "$DATA/postgresql.conf" 2>/dev/null; }; then
        rm -rf "$REPLICA_ROOT"
    fi
}

status() {
    if running; then
        say "running on 127.0.0.1:$REPLICA_PORT; in recovery: $(replica_sql "SELECT pg_is_in_recovery()"); receiver: $(replica_sql "SELECT status FROM pg_stat_wal_receiver")"
    else
        say "not running"
        return 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $0 start|stop|status" ;;
esac
