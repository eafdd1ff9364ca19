#!/bin/sh
# One-shot (temporalio/admin-tools): waits for the Temporal frontend, creates the namespace and registers the
# search attributes of the public contract (design.md section 2). Idempotent. Uses TEMPORAL_ADDRESS.
set -eu
: "${TEMPORAL_ADDRESS:?}"
NS="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-7d}"

i=0
until temporal operator cluster health >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 120 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not healthy" >&2; exit 1; }
  sleep 2
done

if temporal operator namespace describe --namespace "$NS" >/dev/null 2>&1; then
  echo "namespace $NS exists"
else
  temporal operator namespace create --namespace "$NS" --retention "$RETENTION"
  echo "namespace $NS created (retention $RETENTION)"
fi

# A new namespace reaches the frontends' namespace cache only after a refresh (seconds): wait for it.
i=0
until temporal operator search-attribute list --namespace "$NS" >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "namespace $NS not visible" >&2; exit 1; }
  sleep 2
done

# name:type (the CLI's type names)
for pair in \
  TeardownStatus:Keyword \
  TeardownKinds:KeywordList \
  TeardownResourceCount:Int \
  TeardownFailedCount:Int \
  TeardownRequestedBy:Keyword \
  TeardownBlockedOn:Keyword \
  TeardownAccounts:KeywordList; do
  name="${pair%%:*}"
  type="${pair#*:}"
  list="$(temporal operator search-attribute list --namespace "$NS")"
  existing="$(printf '%s\n' "$list" | awk -v n="$name" '$1 == n { print $2 }')"
  if [ -z "$existing" ]; then
    temporal operator search-attribute create --namespace "$NS" --name "$name" --type "$type"
    echo "search attribute $name ($type) created"
  elif [ "$existing" = "$type" ]; then
    echo "search attribute $name ($type) exists"
  else
    echo "search attribute $name exists with type $existing, expected $type" >&2
    exit 1
  fi
done
