#!/usr/bin/env bash
# Installs Debian's chromium for the browser test of the Temporal UI (test/ui/temporal-ui.test.ts drives it
# with playwright-core, executablePath /usr/bin/chromium). Called by scripts/ensure-deps.sh.
#
# Idempotent: a no-op (milliseconds) when /usr/bin/chromium exists. Otherwise, as root (or with sudo):
# `apt-get update` once, then `apt-get install -y --no-install-recommends chromium`.
# Without root and without sudo it prints what to run and exits 0: the browser test then skips with that
# reason (and fails under CI=true, where the browser is required).
# Env: CHROMIUM_PATH overrides /usr/bin/chromium (nothing is installed then); TEARDOWN_SKIP_CHROMIUM=1 skips.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
log() { echo "install-chromium: $*" >&2; }

if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "${TEARDOWN_SKIP_CHROMIUM:-0}" = 1 ]; then
  log "skipped (TEARDOWN_SKIP_CHROMIUM=1): the Temporal UI browser test will be skipped"
  exit 0
fi
if [ "$CHROMIUM" != /usr/bin/chromium ]; then
  log "WARNING: CHROMIUM_PATH=${CHROMIUM} does not exist or is not executable; not installing anything:"
  log "the Temporal UI browser test is skipped (and fails under CI=true)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get on this machine: install Chromium so that /usr/bin/chromium exists (or set CHROMIUM_PATH);"
  log "until then the Temporal UI browser test is skipped (and fails under CI=true)"
  exit 0
fi

SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    log "not root and no password-less sudo: run as root"
    log "  apt-get update && apt-get install -y --no-install-recommends chromium"
    log "until then the Temporal UI browser test is skipped (and fails under CI=true)"
    exit 0
  fi
fi

started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
# Serialise with another run in the same container (dpkg has its own lock, but apt-get update races).
if command -v flock >/dev/null 2>&1 && [ "${#SUDO[@]}" = 0 ]; then
  exec 9>/tmp/cloud-teardown-install-chromium.lock
  flock 9
  if [ -x "$CHROMIUM" ]; then exit 0; fi
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "${ROOT}/.tools"
LOG="${ROOT}/.tools/chromium-install.log"
: >"$LOG"
run() {
  log "$*"
  if ! "${SUDO[@]}" "$@" >>"$LOG" 2>&1; then
    tail -n 20 "$LOG" >&2
    log "ERROR: '$*' failed (full output in ${LOG#"${ROOT}"/})"
    exit 1
  fi
}
run apt-get update
run apt-get install -y --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
  log "ERROR: apt-get installed chromium but ${CHROMIUM} is missing"
  exit 1
fi
log "ready in $(($(date +%s) - started))s: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
