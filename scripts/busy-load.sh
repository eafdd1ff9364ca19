#!/usr/bin/env bash
# Keeps the machine's cores busy while something else runs, to prove that thing does not depend on
# the machine's speed (issue 12: `.ci/run` passes three times in a row on a loaded 2-core machine).
#
#   scripts/busy-load.sh [--procs N] [--minutes M] [-- COMMAND ARGS...]
#
# Starts N busy-loop processes (default: 2, one per core of the CI machine) and stops them after M
# minutes (default 40, longer than CI's 30-minute budget) or as soon as COMMAND exits, whichever
# comes first; Ctrl-C or a kill of this script stops them too. With a COMMAND it exits with the
# command's status, e.g. three loaded CI runs:
#
#   for i in 1 2 3; do scripts/busy-load.sh -- .ci/run || break; done
#
# Without a COMMAND it keeps the load up until the time is over (or it is stopped).
set -euo pipefail

procs=2
minutes=40
while [ $# -gt 0 ]; do
  case "$1" in
    --procs) procs="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    --) shift; break ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "busy-load: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$procs$minutes" in *[!0-9]*) echo "busy-load: --procs and --minutes take whole numbers" >&2; exit 2 ;; esac
[ "$procs" -ge 1 ] && [ "$minutes" -ge 1 ] || { echo "busy-load: --procs and --minutes must be >= 1" >&2; exit 2; }

seconds=$((minutes * 60))
pids=()
stop_load() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop_load EXIT
trap 'exit 130' INT TERM

for _ in $(seq "$procs"); do
  # Each loop also checks the time, so it ends by itself even if this script is SIGKILLed.
  bash -c 'end=$((SECONDS + '"$seconds"')); while [ $SECONDS -lt $end ]; do :; done' &
  pids+=("$!")
done
echo "busy-load: ${procs} busy loops (pids ${pids[*]}) for at most ${minutes} min" >&2

if [ $# -gt 0 ]; then
  started=$SECONDS
  status=0
  "$@" || status=$?
  echo "busy-load: '$*' exited ${status} after $((SECONDS - started))s under load" >&2
  exit "$status"
fi
wait "${pids[@]}" 2>/dev/null || true
