"""SPARQL through `/sparql` beside the same query run in-process on the same store, plus the HTTP floor.

    python bench/sparql_http.py --size 1e5 [--reps 15]

Issue 5 asks that the four baseline queries (bench/queries/q*.rq) answer through `/sparql` within 1.2 times
the in-process time on the store plus the HTTP round trip. This script measures, in one run and on one published
store (bench/stores.py's `published_bench_store`): the in-process median (`KgStore.query`, rows materialised), the
median of `GET /sparql` on `kg serve` (uvicorn on loopback, until the whole JSON body is received, one
keep-alive connection; parsing it is the client's business), and the HTTP floor: the median of a plain FastAPI route returning fixed JSON
(bench/plain_app.py). Bindings are inlined as a `VALUES` block (`kg.remote_store.inject_values`) in both, so the
two sides run the same text. Prints one JSON object; `--markdown` prints the table instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from bench.api import KG_PORT, LOG_DIR, PLAIN_PORT, _start, _stop, _wait_ready  # noqa: E402
from bench.load import BINDINGS, QUERIES  # noqa: E402
from bench.measure import query_path, time_reps  # noqa: E402
from bench.stores import published_bench_store  # noqa: E402
from kg.remote_store import inject_values  # noqa: E402
from kg.store import KgStore  # noqa: E402

ALLOWED_FACTOR = 1.2
"""The issue's bound: HTTP median <= 1.2 x in-process median + the HTTP floor."""
SPARQL_JSON = "application/sparql-results+json"


def query_texts() -> dict[str, str]:
    """The four baseline queries with their bindings inlined as VALUES blocks."""
    texts = {}
    for name in QUERIES:
        bindings = {key: ox.NamedNode(iri) for key, iri in BINDINGS.get(name, {}).items()}
        texts[name] = inject_values(query_path(name).read_text(encoding="utf-8"), bindings)
    return texts


def in_process(store_dir: Path, texts: dict[str, str], reps: int) -> dict[str, tuple[float, int, int]]:
    """Median ms of each query on the published store, opened read-only in this process."""
    store = KgStore.open(store_dir)
    return {name: time_reps(lambda text=text: sum(1 for _ in store.query(text)), max_reps=reps)
            for name, text in texts.items()}


def over_http(client: httpx.Client, texts: dict[str, str], reps: int) -> dict[str, tuple[float, int, int]]:
    """Median ms of each query through GET /sparql, until the whole body is received (rows counted once)."""
    def call(text: str) -> int:
        response = client.get(f"http://127.0.0.1:{KG_PORT}/sparql", params={"query": text},
                              headers={"Accept": SPARQL_JSON})
        response.raise_for_status()
        return len(response.content)

    timed = {name: time_reps(lambda text=text: call(text), max_reps=reps) for name, text in texts.items()}
    for name, text in texts.items():
        response = client.get(f"http://127.0.0.1:{KG_PORT}/sparql", params={"query": text},
                              headers={"Accept": SPARQL_JSON})
        timed[name] = (timed[name][0], len(response.json()["results"]["bindings"]), timed[name][2])
    return timed


def http_floor(client: httpx.Client, reps: int) -> float:
    """Median ms of the plain FastAPI route: the HTTP round trip with no work behind it."""
    def call() -> int:
        return len(client.get(f"http://127.0.0.1:{PLAIN_PORT}/fixed").content)

    return time_reps(call, max_reps=max(reps, 50))[0]


def verdicts(inproc: dict[str, Any], http: dict[str, Any], floor_ms: float) -> dict[str, dict[str, Any]]:
    """Per query: both medians, the allowed bound, the ratio (HTTP - floor) / in-process, and whether it is met."""
    rows = {}
    for name in inproc:
        local_ms, remote_ms = inproc[name][0], http[name][0]
        bound = ALLOWED_FACTOR * local_ms + floor_ms
        rows[name] = {"in_process_ms": local_ms, "http_ms": remote_ms, "floor_ms": floor_ms,
                      "bound_ms": round(bound, 3), "rows": [inproc[name][1], http[name][1]],
                      "ratio": round((remote_ms - floor_ms) / local_ms, 2) if local_ms else None,
                      "met": remote_ms <= bound}
    return rows


def markdown(size_label: str, rows: dict[str, dict[str, Any]]) -> str:
    lines = ["| query | size | in-process ms | /sparql ms | HTTP floor ms | bound 1.2×in+floor | (http−floor)/in | met |",
             "|---|---|---|---|---|---|---|---|"]
    for name, row in rows.items():
        lines.append(f"| {name} | {size_label} | {row['in_process_ms']} | {row['http_ms']} | {row['floor_ms']} "
                     f"| {row['bound_ms']} | ×{row['ratio']} | {'yes' if row['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=lambda t: int(float(t)), default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--markdown", action="store_true", help="print a markdown table instead of JSON")
    args = parser.parse_args(argv)
    data_dir = published_bench_store(args.size, args.seed)
    texts = query_texts()
    inproc = in_process((data_dir / "current").resolve(), texts, args.reps)
    python = sys.executable
    servers = [_start([python, "-m", "kg.cli.app", "--data-dir", str(data_dir), "serve", "--port", str(KG_PORT)],
                      0, LOG_DIR / "kg-serve.log"),
               _start([python, "-m", "uvicorn", "bench.plain_app:app", "--port", str(PLAIN_PORT)], 0,
                      LOG_DIR / "plain.log")]
    try:
        _wait_ready(f"http://127.0.0.1:{KG_PORT}/health", servers[0])
        _wait_ready(f"http://127.0.0.1:{PLAIN_PORT}/fixed", servers[1])
        with httpx.Client(timeout=600) as client:
            floor_ms = http_floor(client, args.reps)
            http = over_http(client, texts, args.reps)
    finally:
        for proc in servers:
            _stop(proc)
    rows = verdicts(inproc, http, floor_ms)
    label = f"1e{len(str(args.size)) - 1}"
    print(markdown(label, rows) if args.markdown else json.dumps({"size": label, "at": time.time(), "queries": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
