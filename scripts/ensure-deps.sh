#!/usr/bin/env bash
# Makes the checkout runnable: npm dependencies (only when missing or stale), the Temporal binaries and Chromium.
# Used by `npm run setup`, `npm test` and `npm run demo`; fast when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# npm writes node_modules/.package-lock.json at the end of every install, so it is older than
# package-lock.json exactly when the lock file changed since the last install.
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-deps: npm ci" >&2
  npm ci --no-audit --no-fund
fi

# The built JavaScript (dist/): bin/teardown runs it, so the CLI starts fast; incremental, quick when unchanged.
npm run --silent build

bash "$ROOT/scripts/install-temporal.sh"
bash "$ROOT/scripts/install-chromium.sh"
bash "$ROOT/scripts/install-promtool.sh"
bash "$ROOT/scripts/install-api-models.sh"
