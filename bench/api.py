"""HTTP benchmark on loopback: `kg serve` (uvicorn, one worker) beside a plain FastAPI route, in the same run.

    python bench/api.py --size 1e5 [--duration 10] [--connections 16,1]

Publishes the synthetic graph of that size (curated graph + ontology + inferred triples) as a store under
var/bench/api-<size>/ and starts bench/plain_app.py and three `kg serve` on it: *warm* (the defaults: GraphQL
response cache and kept list orders), *cold* (``KG_GRAPHQL_CACHE_ENTRIES=0``: every GraphQL request runs) and
*uncached* (also ``KG_GRAPHQL_ORDER_CACHE_ENTRIES=0``: every list is found and sorted again). Then it loads
each target with wrk (or the httpx fallback): the plain route, a GraphQL lookup and the 50-item nested GraphQL page
on each server, an entity lookup (JSON-LD) and a SPARQL SELECT. Each row gives its req/s as a fraction of the
plain route's at the same connections, measured in the same run. The servers are pinned to CPU 0 and wrk to
CPU 1 when taskset exists, all without access log. Writes bench/out/api.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.load import BINDINGS  # noqa: E402
from bench.loadgen import WRK, Target, run_load  # noqa: E402
from bench.measure import BENCH_DIR, ROOT, query_path  # noqa: E402
from bench.run import DATA_DIR, OUT_DIR, _label  # noqa: E402
from bench.stores import published_bench_store  # noqa: E402

KG_PORT, PLAIN_PORT = 18000, 18001
SERVERS = {  # name → (port, environment): the three ways `kg serve` runs here
    "warm": (KG_PORT, {}),
    "cold": (18002, {"KG_GRAPHQL_CACHE_ENTRIES": "0"}),
    "uncached": (18003, {"KG_GRAPHQL_CACHE_ENTRIES": "0", "KG_GRAPHQL_ORDER_CACHE_ENTRIES": "0"}),
}
LOOKUP_GRAPHQL = '{ organisation(id: "%s") { id label kind } }'
LOG_DIR = DATA_DIR / "api-logs"
PROBE_TIMEOUT_S = 60.0


def _start(command: list[str], cpu: int | None, log: Path,
           env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start a server in its own session, its output to ``log`` (a pipe nobody reads would block it)."""
    if cpu is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(cpu), *command]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, **(env or {})})


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {LOG_DIR}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {timeout_s} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server this script started (its own session: uvicorn and its SPARQL workers)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _graphql(name: str, port: int, query: str) -> Target:
    return Target(name, f"http://127.0.0.1:{port}/graphql", "POST", json.dumps({"query": query}),
                  (("Content-Type", "application/json"),))


def targets() -> list[tuple[str, Target]]:
    """(server, target) pairs, the plain route first (every other row is read against it)."""
    entity = BINDINGS["q1-lookup"]["entity"]
    kg = f"http://127.0.0.1:{KG_PORT}"
    lookup = query_path("q1-lookup").read_text(encoding="utf-8").replace("SELECT ?entity ?node", "SELECT ?node", 1)
    lookup = lookup.replace("?entity", f"<{entity}>")
    page = (BENCH_DIR / "graphql" / "page-50.graphql").read_text(encoding="utf-8")
    found = [("plain", Target("plain FastAPI route (fixed JSON)", f"http://127.0.0.1:{PLAIN_PORT}/fixed"))]
    for server, (port, _) in SERVERS.items():
        if server != "uncached":
            found.append((server, _graphql("GraphQL lookup `organisation(id)`", port,
                                           LOOKUP_GRAPHQL % entity)))
        found.append((server, _graphql("GraphQL 50-item nested page", port, page)))
    return found + [
        ("warm", Target("entity lookup GET /id/… (JSON-LD)", entity.replace("https://w3id.org/eu-industrial-kg", kg),
                        headers=(("Accept", "application/ld+json"),))),
        ("warm", Target("SPARQL SELECT (Q1 lookup) GET /sparql", f"{kg}/sparql?query={quote(lookup)}",
                        headers=(("Accept", "application/sparql-results+json"),))),
    ]


def _probe(target: Target) -> tuple[int, int, str]:
    response = httpx.request(target.method, target.url, content=target.body, headers=dict(target.headers),
                             timeout=PROBE_TIMEOUT_S)
    note = ""
    if "graphql" in target.url and response.status_code == 200 and response.json().get("errors"):
        note = "GraphQL errors: " + response.json()["errors"][0].get("message", "")[:120]
    return response.status_code, len(response.content), note


def _table(rows: list[str], header: str) -> str:
    columns = "| endpoint | server | status, bytes | connections | req/s | × plain | p50 ms | p99 ms | errors |"
    return "\n".join([header, "", columns, "|---|---|---|---|---|---|---|---|---|", *rows]) + "\n"


def _start_servers(data_dir: Path) -> dict[str, subprocess.Popen[bytes]]:
    python = sys.executable
    servers = {"plain": _start([python, "-m", "uvicorn", "bench.plain_app:app", "--port", str(PLAIN_PORT),
                                "--no-access-log"], 0, LOG_DIR / "plain.log")}
    for name, (port, env) in SERVERS.items():
        servers[name] = _start([python, "-m", "kg.cli.app", "--data-dir", str(data_dir), "serve", "--port",
                                str(port)], 0, LOG_DIR / f"kg-serve-{name}.log", env)
    for name, proc in servers.items():
        port = PLAIN_PORT if name == "plain" else SERVERS[name][0]
        _wait_ready(f"http://127.0.0.1:{port}/{'fixed' if name == 'plain' else 'health'}", proc)
    return servers


def _measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One result per target, server and connection count (the plain route's rate is the × plain reference)."""
    results: list[dict[str, Any]] = []
    plain: dict[int, float] = {}
    for server, target in targets():
        try:
            status, size, note = _probe(target)
        except httpx.TimeoutException:
            results.append({"endpoint": target.name, "server": server, "note": f"no answer within "
                            f"{PROBE_TIMEOUT_S:g} s: not loaded"})
            continue
        for connections in (int(c) for c in args.connections.split(",")):
            load = run_load(target, connections, args.duration, cpu=1)
            plain.setdefault(connections, load.requests_per_s)
            ratio = load.requests_per_s / plain[connections] if plain[connections] else None
            results.append({"endpoint": target.name, "server": server, "status": status, "bytes": size,
                            "note": note, "connections": connections, "requests_per_s": load.requests_per_s,
                            "x_plain": None if ratio is None else round(ratio, 3), "p50_ms": load.p50_ms,
                            "p99_ms": load.p99_ms, "errors": load.errors})
            print(_row(results[-1]), file=sys.stderr, flush=True)
    return results


def _row(result: dict[str, Any]) -> str:
    if "requests_per_s" not in result:
        return f"| {result['endpoint']} | {result['server']} | {result['note']} | | | | | | |"
    note = f" {result['note']}" if result["note"] else ""
    return (f"| {result['endpoint']} | {result['server']} | {result['status']}, {result['bytes']} B{note} "
            f"| {result['connections']} | {result['requests_per_s']} | {result['x_plain']} | {result['p50_ms']} "
            f"| {result['p99_ms']} | {result['errors']} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=lambda t: int(float(t)), default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", default="16,1")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "api.md", help="the results file")
    parser.add_argument("--json", action="store_true", help="also print the results as one JSON line on stdout")
    args = parser.parse_args(argv)
    data_dir = published_bench_store(args.size, args.seed)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    servers: dict[str, subprocess.Popen[bytes]] = {}
    try:
        servers = _start_servers(data_dir)
        results = _measure(args)
    finally:
        for proc in servers.values():
            _stop(proc)
    header = (f"# API benchmark\n\nCommand: `python bench/api.py {' '.join(sys.argv[1:])}`, load average before "
              f"{load_before}, after {Path('/proc/loadavg').read_text().split()[:3]}, store of "
              f"{_label(args.size)} synthetic triples (+ ontology and inferred), {args.duration:g} s per row, load "
              f"by {'wrk -t1' if WRK else 'httpx'}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(_table([_row(r) for r in results], header), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    if args.json:
        print(json.dumps({"size": _label(args.size), "duration_s": args.duration, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
