#!/bin/sh
# One-shot (temporalio/admin-tools): creates Temporal's two PostgreSQL databases and brings their schemas up to
# the version this admin-tools image ships (same tag as the server image). Safe to re-run: that is how an
# upgrade applies its schema changes. scripts/prod-stack.sh runs it too, with the same temporal-sql-tool built from
# the server's Go module and TEMPORAL_SCHEMA_DIR pointing at that module's schema/ directory.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT="${DB_PORT:-5432}"
SCHEMA_DIR="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}"

# The admin-tools image has nc; prod-stack.sh waits for PostgreSQL itself (pg_ctl -w).
if command -v nc >/dev/null 2>&1; then
  i=0
  until nc -z "$POSTGRES_SEEDS" "$PORT"; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || { echo "PostgreSQL at $POSTGRES_SEEDS:$PORT not reachable" >&2; exit 1; }
    sleep 1
  done
fi

for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" --db "$db" "$@"; }
  sql create 2>/dev/null || echo "database $db exists"
  sql setup-schema -v 0.0 2>/dev/null || echo "schema of $db already initialised"
  sql update-schema -d "$SCHEMA_DIR/postgresql/v12/$dir/versioned"
done
echo "PostgreSQL schemas ready"
