#!/usr/bin/env bash
# Installs promtool (Prometheus' rule checker) under .tools/promtool/ for the alert-rule test
# (test/observability/alerts.test.ts runs `promtool check rules` and `promtool test rules` on
# deploy/prometheus/). Called by scripts/ensure-deps.sh.
#
# Idempotent: a no-op when .tools/promtool/promtool runs. Otherwise:
#   1. Debian's `prometheus` package, downloaded (not installed: no service is set up or started)
#      and only its promtool extracted; `apt-get update` first when the package lists lack it (root).
#   2. fallback: `go install github.com/prometheus/prometheus/cmd/promtool@${PROMTOOL_GO_VERSION}`.
# When neither works it says so and exits 0: the test then skips locally (and fails under CI=true).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${ROOT}/.tools/promtool"
BIN="${DEST}/promtool"
PROMTOOL_GO_VERSION="${PROMTOOL_GO_VERSION:-v0.316.0}"
log() { echo "install-promtool: $*" >&2; }

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then exit 0; fi
mkdir -p "$DEST"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

from_debian() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if ! apt-cache policy prometheus 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    [ "$(id -u)" = 0 ] || return 1
    apt-get update -qq >"$DEST/apt.log" 2>&1 || return 1
  fi
  (cd "$WORK" && apt-get download prometheus >"$DEST/apt.log" 2>&1) || return 1
  dpkg-deb -x "$WORK"/prometheus_*.deb "$WORK/x" || return 1
  install -m 0755 "$WORK/x/usr/bin/promtool" "$BIN"
  log "promtool from Debian's $(basename "$WORK"/prometheus_*.deb)"
}

from_go() {
  command -v go >/dev/null 2>&1 || return 1
  log "building promtool ${PROMTOOL_GO_VERSION} with go install (a few minutes)"
  GOBIN="$DEST" go install "github.com/prometheus/prometheus/cmd/promtool@${PROMTOOL_GO_VERSION}" \
    >"$DEST/go-install.log" 2>&1 || return 1
}

if from_debian || from_go; then
  "$BIN" --version 2>&1 | head -1 | sed 's/^/install-promtool: /' >&2
else
  log "could not install promtool (see ${DEST}/*.log): the alert-rule test is skipped (and fails under CI=true)"
fi
