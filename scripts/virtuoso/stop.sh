#!/usr/bin/env bash
# Stop the private Virtuoso instance: checkpoint and `shutdown;` through isql, then wait for the process to end.
set -euo pipefail
source "$(dirname "$0")/common.sh"
pid=$(running_pid) || { echo "not running"; rm -f "$VIRTUOSO_PID"; exit 0; }
isql "shutdown;" >/dev/null 2>&1 || true
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$VIRTUOSO_PID"; echo "stopped (pid $pid)"; exit 0; }
  sleep 0.5
done
echo "pid $pid still running after 30 s; stopping it with SIGTERM" >&2
kill "$pid"; rm -f "$VIRTUOSO_PID"
