# Shared settings of the Virtuoso scripts (sourced, not run). Everything lives under var/virtuoso of the
# repository; both ports listen on 127.0.0.1 only. Override with VIRTUOSO_HOME, VIRTUOSO_HTTP_PORT,
# VIRTUOSO_ISQL_PORT, VIRTUOSO_BUFFERS (8 KiB pages; 340000 ≈ 2.7 GB, as in the design baseline).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VIRTUOSO_HOME="${VIRTUOSO_HOME:-$ROOT/var/virtuoso}"
VIRTUOSO_HTTP_PORT="${VIRTUOSO_HTTP_PORT:-18890}"
VIRTUOSO_ISQL_PORT="${VIRTUOSO_ISQL_PORT:-11111}"
VIRTUOSO_BUFFERS="${VIRTUOSO_BUFFERS:-340000}"
VIRTUOSO_INI="$VIRTUOSO_HOME/virtuoso.ini"
VIRTUOSO_PID="$VIRTUOSO_HOME/virtuoso.pid"
VIRTUOSO_LOAD_DIR="$VIRTUOSO_HOME/load"
VIRTUOSO_SPARQL="http://127.0.0.1:$VIRTUOSO_HTTP_PORT/sparql"
# The database is new and loopback-only, so it keeps Virtuoso's default dba password.
VIRTUOSO_USER="${VIRTUOSO_USER:-dba}"
VIRTUOSO_PASSWORD="${VIRTUOSO_PASSWORD:-dba}"

isql() {  # isql "SQL; SQL;" — run statements against our server
  isql-vt "127.0.0.1:$VIRTUOSO_ISQL_PORT" "$VIRTUOSO_USER" "$VIRTUOSO_PASSWORD" VERBOSE=OFF BANNER=OFF \
    "EXEC=$1" </dev/null
}

running_pid() {  # prints the pid of our server when it runs
  [ -f "$VIRTUOSO_PID" ] && kill -0 "$(cat "$VIRTUOSO_PID")" 2>/dev/null && cat "$VIRTUOSO_PID"
}
