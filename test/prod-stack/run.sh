#!/usr/bin/env bash
# `npm run test:prod-stack`: starts the production stack (scripts/prod-stack.sh: PostgreSQL, temporal-server and
# the UI built from their Go modules, the built worker), runs test/prod-stack/*.test.ts against it, stops it.
# Arguments go to jest (e.g. test/prod-stack/deploy.test.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

started=$(date +%s)
# helm and docker-compose for test/prod-stack/deploy.test.ts (the compose file, the chart, the Dockerfile).
checkers="$(bash scripts/prod-stack.sh checkers)"
export HELM_BIN DOCKER_COMPOSE_BIN
HELM_BIN="$(sed -n 's/^HELM_BIN=//p' <<<"$checkers")"
DOCKER_COMPOSE_BIN="$(sed -n 's/^DOCKER_COMPOSE_BIN=//p' <<<"$checkers")"
trap 'bash scripts/prod-stack.sh stop || true' EXIT
bash scripts/prod-stack.sh stop >/dev/null 2>&1 || true # a stack left by an interrupted run
bash scripts/prod-stack.sh start
echo "test:prod-stack: stack up after $(($(date +%s) - started)) s"
npx jest -c test/prod-stack/jest.config.js "$@"
echo "test:prod-stack: done after $(($(date +%s) - started)) s"
