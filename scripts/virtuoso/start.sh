#!/usr/bin/env bash
# Start the private Virtuoso instance (var/virtuoso, 127.0.0.1 only) in the background and wait until it answers.
#   scripts/virtuoso/start.sh            → prints the SPARQL endpoint, e.g. http://127.0.0.1:18890/sparql
set -euo pipefail
source "$(dirname "$0")/common.sh"
command -v virtuoso-t >/dev/null || { echo "virtuoso-t not found: run scripts/virtuoso/install.sh" >&2; exit 1; }
grant_federation() {
  # Let the anonymous SPARQL user run SERVICE clauses; which endpoints may be called is decided by the API
  # (KG_SERVICE_ALLOWLIST) before a query is forwarded. Granting again is harmless.
  isql "GRANT SELECT ON DB.DBA.SPARQL_SINV_2 TO \"SPARQL\"; GRANT EXECUTE ON DB.DBA.SPARQL_SINV_IMP TO \"SPARQL\";" >/dev/null
}
if pid=$(running_pid); then
  grant_federation
  echo "already running (pid $pid): $VIRTUOSO_SPARQL"; exit 0
fi
mkdir -p "$VIRTUOSO_HOME/db" "$VIRTUOSO_LOAD_DIR"
sed -e "s|@HOME@|$VIRTUOSO_HOME|g" -e "s|@HTTP_PORT@|$VIRTUOSO_HTTP_PORT|g" -e "s|@ISQL_PORT@|$VIRTUOSO_ISQL_PORT|g" \
    -e "s|@BUFFERS@|$VIRTUOSO_BUFFERS|g" -e "s|@DIRTY@|$((VIRTUOSO_BUFFERS * 3 / 4))|g" \
    -e "s|@LOAD_DIR@|$VIRTUOSO_LOAD_DIR|g" "$(dirname "$0")/virtuoso.ini.template" > "$VIRTUOSO_INI"
cd "$VIRTUOSO_HOME/db"
nohup virtuoso-t +foreground +configfile "$VIRTUOSO_INI" >"$VIRTUOSO_HOME/server.out" 2>&1 &
echo $! > "$VIRTUOSO_PID"
for _ in $(seq 1 120); do
  if ! kill -0 "$(cat "$VIRTUOSO_PID")" 2>/dev/null; then
    echo "virtuoso exited; see $VIRTUOSO_HOME/server.out and $VIRTUOSO_HOME/db/virtuoso.log" >&2
    tail -20 "$VIRTUOSO_HOME/server.out" >&2; rm -f "$VIRTUOSO_PID"; exit 1
  fi
  if curl -fsS -o /dev/null --get --data-urlencode "query=ASK {}" "$VIRTUOSO_SPARQL" 2>/dev/null; then
    grant_federation
    echo "$VIRTUOSO_SPARQL"; exit 0
  fi
  sleep 0.5
done
echo "virtuoso did not answer on $VIRTUOSO_SPARQL within 60 s" >&2
exit 1
