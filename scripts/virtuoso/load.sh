#!/usr/bin/env bash
# Load an N-Triples (or Turtle, N-Quads…) file into a named graph of the running instance, replacing that graph.
#   scripts/virtuoso/load.sh FILE GRAPH_IRI      → prints "<triples in graph> triples in <seconds> s"
# Uses the bulk loader: ld_dir + rdf_loader_run() + checkpoint; fails when the loader records an error.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ $# -eq 2 ] || { echo "usage: $0 FILE GRAPH_IRI" >&2; exit 2; }
file="$1"; graph="$2"
[ -f "$file" ] || { echo "no such file: $file" >&2; exit 2; }
[[ "$graph" =~ ^https?://[^\ \'\<\>\"]+$ ]] || { echo "not an http(s) IRI: $graph" >&2; exit 2; }
running_pid >/dev/null || { echo "virtuoso is not running: scripts/virtuoso/start.sh" >&2; exit 1; }
mkdir -p "$VIRTUOSO_LOAD_DIR"
name="$(basename "$file")"
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "file name must be [A-Za-z0-9._-]: $name" >&2; exit 2; }
ln -f "$file" "$VIRTUOSO_LOAD_DIR/$name" 2>/dev/null || cp -f "$file" "$VIRTUOSO_LOAD_DIR/$name"
started=$(date +%s.%N)
isql "log_enable(3,1); SPARQL CLEAR GRAPH <$graph>; DELETE FROM DB.DBA.load_list WHERE ll_file LIKE '%/$name';
ld_dir('$VIRTUOSO_LOAD_DIR', '$name', '$graph'); rdf_loader_run(); checkpoint;" >/dev/null
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
errors=$(isql "SELECT ll_error FROM DB.DBA.load_list WHERE ll_file LIKE '%/$name' AND ll_error IS NOT NULL;" \
         | grep -v '^$' || true)
rm -f "$VIRTUOSO_LOAD_DIR/$name"
if [ -n "$errors" ]; then echo "load failed: $errors" >&2; exit 1; fi
count=$(isql "SPARQL SELECT COUNT(*) FROM <$graph> WHERE { ?s ?p ?o };" | grep -Eo '^[0-9]+' | tail -1)
printf '%s triples in %.2f s\n' "$count" "$elapsed"
