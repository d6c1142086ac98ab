#!/usr/bin/env bash
# The load harness (docs/deploy.md, "Sizing"): builds glass and glass-loadgen (release),
# raises the open-files limit, then `glass-loadgen stack` starts on loopback a redis-server, a
# throwaway PostgreSQL cluster, 2 brokers sharing them and HAProxy in front, runs the sessions
# through HAProxy, checks the audit trail, prints the report and stops everything.
#
#   scripts/load.sh                                   # 100 sessions, 20 at once
#   scripts/load.sh --sessions 5000 --concurrency 5000 --ramp 100 --hold 60
#   scripts/load.sh --sessions 1000 --concurrency 200 --json > load.json
#
# Every option of `glass-loadgen stack --help` passes through. Exit status: 0 clean, 1 lost,
# duplicated or failed sessions, 2 could not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p glass -p glass-loadgen
# Each session holds 2 WebSockets: 2 descriptors in the generator, 4 in HAProxy, 1 in a
# broker; sign-ins add short-lived ones. Root may raise the hard limit; others get theirs.
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# The generator and everything it starts run in a process group of their own, so whatever
# happens to this script, the trap stops them all.
set -m
"$target/release/glass-loadgen" stack --glass "$target/release/glass" "$@" &
pid=$!
cleanup() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  kill -KILL -- "-$pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
status=0
wait "$pid" || status=$?
exit "$status"
