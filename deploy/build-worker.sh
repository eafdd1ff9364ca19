#!/usr/bin/env bash
# Builds the worker to JavaScript (dist/, from src/) and bundles its workflow code ahead of time
# (dist/workflow-bundle.js, loaded with workflowBundle: { codePath }). Used by deploy/Dockerfile and
# scripts/prod-stack.sh. Needs the npm dependencies (npm ci).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rm -rf dist
npx tsc -p deploy/tsconfig.build.json
node dist/workers/bundle.js dist/workflow-bundle.js
