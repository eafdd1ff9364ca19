#!/usr/bin/env bash
# The production stack of docker-compose.yml, run on this machine without a container engine:
#   PostgreSQL 15 (Debian's package) in a temporary directory, the schemas created with temporal-sql-tool,
#   temporal-server and the Temporal UI server built from their Go modules at the versions the compose images
#   pin (built once, cached outside the repo), the namespace and the contract's search attributes registered
#   with the Temporal CLI, and optionally workers from the built JavaScript (node dist/workers/main.js).
#
#   scripts/prod-stack.sh start [--workers N] [--no-ui]   idempotent: starts only what is not running
#   scripts/prod-stack.sh stop                             stops everything and removes the database
#   scripts/prod-stack.sh status                           what runs, with addresses
#   scripts/prod-stack.sh install                          only installs / builds what is missing
#   scripts/prod-stack.sh checkers                         installs helm (Go module, cached) and Debian's
#                                                          docker-compose (checks compose without an engine);
#                                                          prints HELM_BIN=... and DOCKER_COMPOSE_BIN=...
#
# Addresses (override by env): frontend 127.0.0.1:${PROD_STACK_FRONTEND_PORT:-27233}, UI
# http://127.0.0.1:${PROD_STACK_UI_PORT:-28080}, PostgreSQL 127.0.0.1:${PROD_STACK_PG_PORT:-25432}, server
# metrics http://127.0.0.1:${PROD_STACK_METRICS_PORT:-27000}/metrics. State (pids, logs, stack.env) in
# .tools/prod-stack/; the build cache in ${CLOUD_TEARDOWN_CACHE:-~/.cache/cloud-teardown}.
# Workers started here take provider credentials and endpoints from this script's environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# ---- Pins: the same versions as the images in docker-compose.yml (test/prod-stack/compose.test.ts checks) ----
TEMPORAL_SERVER_VERSION=v1.32.0 # temporalio/server and temporalio/admin-tools
TEMPORAL_UI_VERSION=v2.54.1     # temporalio/ui (also the UI inside the Temporal CLI 1.9.1)
PG_MAJOR=15                     # postgres image; Debian 12's PostgreSQL
HELM_VERSION=v3.21.4            # checks deploy/kubernetes (helm lint, helm template)

CACHE="${CLOUD_TEARDOWN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-teardown}"
SERVER_DIR="${CACHE}/temporal-server-${TEMPORAL_SERVER_VERSION}"
UI_DIR="${CACHE}/temporal-ui-server-${TEMPORAL_UI_VERSION}"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
STATE="${PROD_STACK_STATE:-${ROOT}/.tools/prod-stack}"
LOGS="${STATE}/logs"

PG_PORT="${PROD_STACK_PG_PORT:-25432}"
FRONTEND_PORT="${PROD_STACK_FRONTEND_PORT:-27233}"
UI_PORT="${PROD_STACK_UI_PORT:-28080}"
METRICS_PORT="${PROD_STACK_METRICS_PORT:-27000}"
# Internal ports of the other services (membership ports = gRPC port - 300, as in Temporal's defaults).
HISTORY_PORT=$((FRONTEND_PORT + 1))
MATCHING_PORT=$((FRONTEND_PORT + 2))
WORKER_SVC_PORT=$((FRONTEND_PORT + 6))
DB_PASSWORD="${TEMPORAL_DB_PASSWORD:-temporal}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
ADDRESS="127.0.0.1:${FRONTEND_PORT}"

log() { echo "prod-stack: $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
now() { date +%s; }

# ---- processes ------------------------------------------------------------------------------------
# alive <pidfile> <command substring>: the pid in the file runs and is what we started (guards pid reuse).
alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -q -- "$2"
}

# stop_pid <pidfile> <command substring> <grace seconds>: SIGTERM, then SIGKILL after the grace period.
stop_pid() {
  local pid i
  alive "$1" "$2" || {
    rm -f "$1"
    return 0
  }
  pid="$(cat "$1")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < $3 * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$2 (pid $pid) still running after $3 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

# ---- installs -------------------------------------------------------------------------------------
ensure_postgres() {
  [ -x "${PG_BIN}/postgres" ] && return 0
  command -v apt-get >/dev/null || die "PostgreSQL ${PG_MAJOR} is missing (${PG_BIN}) and apt-get is not available"
  log "installing postgresql-${PG_MAJOR} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-${PG_MAJOR}" >"${LOGS}/apt.log" 2>&1 || {
    apt-get update -q >>"${LOGS}/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-${PG_MAJOR}" >>"${LOGS}/apt.log" 2>&1
  } || die "apt-get install postgresql-${PG_MAJOR} failed; see ${LOGS}/apt.log"
}

# go_build <dest dir> <binary name in dest> <package@version> <module@version>: go install into a temporary
# GOBIN, then move into place, and copy the module's files that the binary reads at run time (schema, config).
go_build() {
  local dest="$1" name="$2" pkg="$3" module="$4" tmp started dir
  command -v go >/dev/null || die "go is not installed: it is needed to build ${pkg}"
  tmp="$(mktemp -d "${CACHE}/.build.XXXXXX")"
  started=$(now)
  log "building ${pkg} (once; cached in ${dest}) - takes minutes on 2 cores; log: ${dest}.build.log"
  if ! GOBIN="$tmp" GOFLAGS=-buildvcs=false go install -trimpath "$pkg" >"${dest}.build.log" 2>&1; then
    tail -n 30 "${dest}.build.log" >&2
    rm -rf "$tmp"
    die "go install ${pkg} failed"
  fi
  dir="$(go mod download -json "$module" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$dir" ] || die "go mod download ${module}: no module directory"
  mkdir -p "${dest}/bin"
  mv "$tmp"/* "${dest}/bin/${name}"
  rm -rf "$tmp"
  echo "$dir"
  log "built ${name} in $(($(now) - started)) s"
}

ensure_server_binaries() {
  mkdir -p "$CACHE"
  exec 8>"${CACHE}/.build.lock"
  flock 8 # one build at a time on this machine (CI and a session may start together)
  if [ ! -x "${SERVER_DIR}/bin/temporal-server" ] || [ ! -d "${SERVER_DIR}/schema" ]; then
    local dir
    dir="$(go_build "$SERVER_DIR" temporal-server "go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}" \
      "go.temporal.io/server@${TEMPORAL_SERVER_VERSION}")"
    rm -rf "${SERVER_DIR}/schema" && cp -R "${dir}/schema" "${SERVER_DIR}/schema" && chmod -R u+w "${SERVER_DIR}/schema"
  fi
  if [ ! -x "${SERVER_DIR}/bin/temporal-sql-tool" ]; then
    go_build "$SERVER_DIR" temporal-sql-tool "go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}" \
      "go.temporal.io/server@${TEMPORAL_SERVER_VERSION}" >/dev/null
  fi
  if [ "$WITH_UI" = 1 ] && { [ ! -x "${UI_DIR}/bin/temporal-ui-server" ] || [ ! -d "${UI_DIR}/config" ]; }; then
    local dir
    dir="$(go_build "$UI_DIR" temporal-ui-server "github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}" \
      "github.com/temporalio/ui-server/v2@${TEMPORAL_UI_VERSION}")"
    rm -rf "${UI_DIR}/config" && cp -R "${dir}/config" "${UI_DIR}/config" && chmod -R u+w "${UI_DIR}/config"
    # The image's config (docker.yaml), bound to loopback here (the image listens on all interfaces).
    { cat "${UI_DIR}/config/docker.yaml" && echo 'host: 127.0.0.1'; } >"${UI_DIR}/config/prod-stack.yaml"
  fi
  flock -u 8
}

ensure_checkers() {
  local helm_dir="${CACHE}/helm-${HELM_VERSION}"
  mkdir -p "$CACHE"
  exec 8>"${CACHE}/.build.lock"
  flock 8
  if [ ! -x "${helm_dir}/bin/helm" ]; then
    go_build "$helm_dir" helm "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" "helm.sh/helm/v3@${HELM_VERSION}" >/dev/null
  fi
  flock -u 8
  if ! command -v docker-compose >/dev/null; then
    command -v apt-get >/dev/null || die "docker-compose is missing and apt-get is not available"
    log "installing docker-compose (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >"${LOGS}/apt.log" 2>&1 || {
      apt-get update -q >>"${LOGS}/apt.log" 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >>"${LOGS}/apt.log" 2>&1
    } || die "apt-get install docker-compose failed; see ${LOGS}/apt.log"
  fi
  echo "HELM_BIN=${helm_dir}/bin/helm"
  echo "DOCKER_COMPOSE_BIN=$(command -v docker-compose)"
}

temporal_cli() {
  bash "${ROOT}/scripts/install-temporal.sh"
  sed -n "s/^TEMPORAL_CLI_PATH='\(.*\)'\$/\1/p" "${ROOT}/.tools/paths.env"
}

# The worker's JavaScript and workflow bundle, rebuilt when a source file is newer than the last build.
ensure_worker_build() {
  bash "${ROOT}/scripts/ensure-deps.sh"
  local stamp="${ROOT}/dist/.worker-build"
  if [ -f "$stamp" ] && [ -z "$(find src deploy/tsconfig.build.json package-lock.json -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  log "building the worker (tsc -> dist/, workflow bundle -> dist/workflow-bundle.js)"
  bash "${ROOT}/deploy/build-worker.sh" >"${LOGS}/worker-build.log" 2>&1 || {
    cat "${LOGS}/worker-build.log" >&2
    die "worker build failed"
  }
  touch "$stamp"
}

# ---- services -------------------------------------------------------------------------------------
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user of Debian's package.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local pgroot
  pgroot="$(cat "${STATE}/pgroot" 2>/dev/null || true)"
  if [ -n "$pgroot" ] && [ -f "${pgroot}/data/PG_VERSION" ] && as_pg "${PG_BIN}/pg_ctl" -D "${pgroot}/data" status >/dev/null 2>&1; then
    return 0
  fi
  if [ -z "$pgroot" ] || [ ! -f "${pgroot}/data/PG_VERSION" ]; then
    pgroot="$(mktemp -d "${TMPDIR:-/tmp}/cloud-teardown-pg.XXXXXX")"
    chmod 755 "$pgroot"
    [ "$(id -u)" = 0 ] && chown postgres: "$pgroot"
    echo "$DB_PASSWORD" >"${pgroot}/pwfile" && chmod 600 "${pgroot}/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "${pgroot}/pwfile"
    log "initdb in ${pgroot}/data"
    as_pg "${PG_BIN}/initdb" -D "${pgroot}/data" -U temporal --pwfile="${pgroot}/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >"${LOGS}/initdb.log" 2>&1 ||
      die "initdb failed; see ${LOGS}/initdb.log"
    rm -f "${pgroot}/pwfile"
    echo "$pgroot" >"${STATE}/pgroot"
  fi
  log "starting PostgreSQL ${PG_MAJOR} on 127.0.0.1:${PG_PORT}"
  as_pg "${PG_BIN}/pg_ctl" -D "${pgroot}/data" -l "${pgroot}/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p ${PG_PORT} -k ${pgroot} -c max_connections=200" start >/dev/null ||
    die "PostgreSQL did not start; see ${pgroot}/postgres.log"
}

setup_schema() {
  PATH="${SERVER_DIR}/bin:${PATH}" POSTGRES_SEEDS=127.0.0.1 DB_PORT="$PG_PORT" POSTGRES_USER=temporal \
    SQL_PASSWORD="$DB_PASSWORD" TEMPORAL_SCHEMA_DIR="${SERVER_DIR}/schema" \
    sh "${ROOT}/deploy/temporal/setup-postgres.sh" >"${LOGS}/schema.log" 2>&1 ||
    {
      cat "${LOGS}/schema.log" >&2
      die "schema setup failed"
    }
}

healthy() { "$CLI" operator cluster health --address "$ADDRESS" 2>/dev/null | grep -q SERVING; }

start_server() {
  if alive "${STATE}/temporal-server.pid" temporal-server && healthy; then return 0; fi
  stop_pid "${STATE}/temporal-server.pid" temporal-server 10
  setup_schema
  log "starting temporal-server ${TEMPORAL_SERVER_VERSION} on ${ADDRESS}"
  (
    set -a
    # shellcheck disable=SC1091
    . "${ROOT}/deploy/temporal/server.env"
    set +a
    export POSTGRES_SEEDS=127.0.0.1 DB_PORT="$PG_PORT" POSTGRES_PWD="$DB_PASSWORD" BIND_ON_IP=127.0.0.1 \
      FRONTEND_GRPC_PORT="$FRONTEND_PORT" FRONTEND_HTTP_PORT=$((FRONTEND_PORT + 10)) \
      FRONTEND_MEMBERSHIP_PORT=$((FRONTEND_PORT - 300)) HISTORY_GRPC_PORT="$HISTORY_PORT" \
      HISTORY_MEMBERSHIP_PORT=$((HISTORY_PORT - 300)) MATCHING_GRPC_PORT="$MATCHING_PORT" \
      MATCHING_MEMBERSHIP_PORT=$((MATCHING_PORT - 300)) WORKER_GRPC_PORT="$WORKER_SVC_PORT" \
      WORKER_MEMBERSHIP_PORT=$((WORKER_SVC_PORT - 300)) PROMETHEUS_ENDPOINT="127.0.0.1:${METRICS_PORT}" \
      DYNAMIC_CONFIG_FILE_PATH="${ROOT}/deploy/dynamicconfig/cloud-teardown.yaml"
    cd "$STATE"
    exec setsid "${SERVER_DIR}/bin/temporal-server" start </dev/null >>"${LOGS}/temporal-server.log" 2>&1
  ) &
  echo $! >"${STATE}/temporal-server.pid"
  local started i
  started=$(now)
  for ((i = 0; i < 600; i++)); do
    healthy && break
    alive "${STATE}/temporal-server.pid" temporal-server || {
      tail -n 30 "${LOGS}/temporal-server.log" >&2
      die "temporal-server exited"
    }
    sleep 0.2
  done
  healthy || die "temporal-server not healthy after 120 s; see ${LOGS}/temporal-server.log"
  log "temporal-server serving after $(($(now) - started)) s"
  TEMPORAL_ADDRESS="$ADDRESS" TEMPORAL_NAMESPACE="$NAMESPACE" PATH="$(dirname "$CLI"):${PATH}" \
    sh "${ROOT}/deploy/temporal/register.sh" >"${LOGS}/register.log" 2>&1 || {
    cat "${LOGS}/register.log" >&2
    die "namespace / search attribute registration failed"
  }
}

start_ui() {
  alive "${STATE}/temporal-ui.pid" temporal-ui-server && return 0
  log "starting the Temporal UI ${TEMPORAL_UI_VERSION} on http://127.0.0.1:${UI_PORT}"
  TEMPORAL_ADDRESS="$ADDRESS" TEMPORAL_UI_PORT="$UI_PORT" TEMPORAL_DEFAULT_NAMESPACE="$NAMESPACE" \
    TEMPORAL_CORS_ORIGINS="http://127.0.0.1:${UI_PORT},http://localhost:${UI_PORT}" \
    setsid "${UI_DIR}/bin/temporal-ui-server" --root "$UI_DIR" --config config --env prod-stack start \
    </dev/null >>"${LOGS}/temporal-ui.log" 2>&1 &
  echo $! >"${STATE}/temporal-ui.pid"
}

start_workers() {
  local i
  for ((i = 1; i <= WORKERS; i++)); do
    alive "${STATE}/worker-${i}.pid" dist/workers/main.js && continue
    log "starting worker ${i} (node dist/workers/main.js)"
    TEMPORAL_ADDRESS="$ADDRESS" TEMPORAL_NAMESPACE="$NAMESPACE" \
      TEARDOWN_WORKFLOW_BUNDLE="${ROOT}/dist/workflow-bundle.js" \
      TEARDOWN_METRICS_ADDRESS="${TEARDOWN_METRICS_ADDRESS:-127.0.0.1:$((29463 + i))}" \
      setsid node "${ROOT}/dist/workers/main.js" </dev/null >>"${LOGS}/worker-${i}.log" 2>&1 &
    echo $! >"${STATE}/worker-${i}.pid"
  done
}

write_env() {
  cat >"${STATE}/stack.env" <<EOF
# Written by scripts/prod-stack.sh start.
TEMPORAL_ADDRESS=${ADDRESS}
TEMPORAL_NAMESPACE=${NAMESPACE}
PROD_STACK_UI_URL=http://127.0.0.1:${UI_PORT}
PROD_STACK_METRICS_URL=http://127.0.0.1:${METRICS_PORT}/metrics
PROD_STACK_SERVER_PID_FILE=${STATE}/temporal-server.pid
PROD_STACK_SERVER_VERSION=${TEMPORAL_SERVER_VERSION}
PROD_STACK_PGROOT=$(cat "${STATE}/pgroot")
TEARDOWN_WORKFLOW_BUNDLE=${ROOT}/dist/workflow-bundle.js
EOF
}

cmd_stop() {
  local f
  for f in "${STATE}"/worker-*.pid; do [ -e "$f" ] && stop_pid "$f" dist/workers/main.js 40; done
  stop_pid "${STATE}/temporal-ui.pid" temporal-ui-server 5
  stop_pid "${STATE}/temporal-server.pid" temporal-server 20
  local pgroot
  pgroot="$(cat "${STATE}/pgroot" 2>/dev/null || true)"
  if [ -n "$pgroot" ] && [ -d "$pgroot" ]; then
    as_pg "${PG_BIN}/pg_ctl" -D "${pgroot}/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pgroot"
  fi
  rm -f "${STATE}/pgroot" "${STATE}/stack.env"
  log "stopped"
}

cmd_status() {
  local f
  alive "${STATE}/temporal-server.pid" temporal-server && echo "temporal-server: running (pid $(cat "${STATE}/temporal-server.pid")), ${ADDRESS}" || echo "temporal-server: stopped"
  alive "${STATE}/temporal-ui.pid" temporal-ui-server && echo "ui: running, http://127.0.0.1:${UI_PORT}" || echo "ui: stopped"
  for f in "${STATE}"/worker-*.pid; do
    [ -e "$f" ] && { alive "$f" dist/workers/main.js && echo "$(basename "$f" .pid): running (pid $(cat "$f"))" || echo "$(basename "$f" .pid): stopped"; }
  done
  local pgroot
  pgroot="$(cat "${STATE}/pgroot" 2>/dev/null || true)"
  [ -n "$pgroot" ] && as_pg "${PG_BIN}/pg_ctl" -D "${pgroot}/data" status >/dev/null 2>&1 &&
    echo "postgresql: running, 127.0.0.1:${PG_PORT} (${pgroot})" || echo "postgresql: stopped"
}

WORKERS=0
WITH_UI=1
COMMAND="${1:-}"
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --workers)
      WORKERS="${2:-}"
      [[ "$WORKERS" =~ ^[0-9]+$ ]] || die "--workers needs a number, got '${WORKERS}'"
      shift 2
      ;;
    --no-ui) WITH_UI=0 && shift ;;
    *) die "unknown argument: $1 (usage: prod-stack.sh start [--workers N] [--no-ui] | stop | status | install)" ;;
  esac
done

mkdir -p "$STATE" "$LOGS"
case "$COMMAND" in
  install)
    ensure_postgres
    ensure_server_binaries
    temporal_cli >/dev/null
    ensure_worker_build
    ;;
  start)
    started=$(now)
    ensure_postgres
    ensure_server_binaries
    CLI="$(temporal_cli)"
    ensure_worker_build
    start_postgres
    start_server
    if [ "$WITH_UI" = 1 ]; then start_ui; fi
    start_workers
    write_env
    ui_note=""
    if [ "$WITH_UI" = 1 ]; then ui_note=", UI http://127.0.0.1:${UI_PORT}"; fi
    log "ready in $(($(now) - started)) s: Temporal ${ADDRESS}${ui_note} (env: ${STATE#"${ROOT}"/}/stack.env)"
    ;;
  checkers) ensure_checkers ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) die "usage: prod-stack.sh start [--workers N] [--no-ui] | stop | status | install | checkers" ;;
esac
