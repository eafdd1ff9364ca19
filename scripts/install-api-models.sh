#!/usr/bin/env bash
# The official API model packages PyPI ships (SAE 2019-05-06, Volcengine ECS 2020-04-01), pinned in
# scripts/api-models/requirements.txt, unpacked into .tools/api-models for the conformance tests
# (npm ships the Alibaba ECS and Tencent models as devDependencies). Fast when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQS="$ROOT/scripts/api-models/requirements.txt"
TARGET="$ROOT/.tools/api-models"
STAMP="$TARGET/.requirements.txt"
if [ -f "$STAMP" ] && cmp -s "$REQS" "$STAMP"; then exit 0; fi
PYTHON="$ROOT/.tools/venv/bin/python"
[ -x "$PYTHON" ] || PYTHON=python3
echo "install-api-models: pip install --no-deps --target .tools/api-models" >&2
rm -rf "$TARGET"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --no-compile --target "$TARGET" -r "$REQS"
cp "$REQS" "$STAMP"
