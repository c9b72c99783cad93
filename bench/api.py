"""HTTP benchmark on loopback: `kg serve` (uvicorn, one worker) beside a plain FastAPI route, in the same run.

    python bench/api.py --size 1e5 [--duration 10] [--connections 16,1]

Publishes the synthetic graph of that size (curated graph + ontology + inferred triples) as a store under
var/bench/api-<size>/, starts `kg serve` on it and bench/plain_app.py, then loads each target with wrk (or the
httpx fallback): an entity lookup (JSON-LD), a 50-item nested GraphQL page and a SPARQL SELECT, plus the plain
route. The servers are pinned to CPU 0 and wrk to CPU 1 when taskset exists. Writes bench/out/api.md.
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
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.load import BINDINGS  # noqa: E402
from bench.loadgen import WRK, Target, run_load  # noqa: E402
from bench.measure import BENCH_DIR, ROOT, query_path  # noqa: E402
from bench.run import DATA_DIR, OUT_DIR, _label, dataset  # noqa: E402
from kg.config import Settings  # noqa: E402

KG_PORT, PLAIN_PORT = 18000, 18001
LOG_DIR = DATA_DIR / "api-logs"
PROBE_TIMEOUT_S = 60.0


def publish_bench_store(size: int, seed: int) -> Path:
    """The data directory holding a published store of the synthetic graph (built once per size and seed)."""
    data_dir = DATA_DIR / f"api-{_label(size)}-s{seed}"
    if (data_dir / "current").exists():
        return data_dir
    from kg.build import load_ontology_graph
    from kg.inference import materialise
    from kg.namespaces import Minter
    from kg.rdfio import read_rdf
    from kg.store import new_build_id, publish, write_store

    settings = Settings(data_dir=data_dir)
    minter = Minter(settings.base_iri)
    path = dataset(size, seed)
    ontology = load_ontology_graph(settings)
    inferred = materialise([ontology, read_rdf(path)]).graph
    graphs = {str(minter.graph("ontology")): [ontology], str(minter.graph("curated")): [path],
              str(minter.graph("inferred")): [inferred]}
    publish(settings, write_store(settings, new_build_id(), graphs))
    return data_dir


def _start(command: list[str], cpu: int | None, log: Path) -> subprocess.Popen[bytes]:
    """Start a server in its own session, its output to ``log`` (a pipe nobody reads would block it)."""
    if cpu is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(cpu), *command]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


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


def targets() -> list[Target]:
    entity = BINDINGS["q1-lookup"]["entity"]
    kg = f"http://127.0.0.1:{KG_PORT}"
    lookup = query_path("q1-lookup").read_text(encoding="utf-8").replace("SELECT ?entity ?node", "SELECT ?node", 1)
    lookup = lookup.replace("?entity", f"<{entity}>")
    page = (BENCH_DIR / "graphql" / "page-50.graphql").read_text(encoding="utf-8")
    return [
        Target("plain FastAPI route (fixed JSON)", f"http://127.0.0.1:{PLAIN_PORT}/fixed"),
        Target("entity lookup GET /id/… (JSON-LD)", entity.replace("https://w3id.org/eu-industrial-kg", kg),
               headers=(("Accept", "application/ld+json"),)),
        Target("GraphQL 50-item nested page", f"{kg}/graphql", "POST", json.dumps({"query": page}),
               (("Content-Type", "application/json"),)),
        Target("SPARQL SELECT (Q1 lookup) GET /sparql", f"{kg}/sparql?query={quote(lookup)}",
               headers=(("Accept", "application/sparql-results+json"),)),
    ]


def _probe(target: Target) -> tuple[int, int, str]:
    response = httpx.request(target.method, target.url, content=target.body, headers=dict(target.headers),
                             timeout=PROBE_TIMEOUT_S)
    note = ""
    if "graphql" in target.url and response.status_code == 200 and response.json().get("errors"):
        note = "GraphQL errors: " + response.json()["errors"][0].get("message", "")[:120]
    return response.status_code, len(response.content), note


def _table(rows: list[str], header: str) -> str:
    return "\n".join([header, "", "| endpoint | status, bytes | connections | req/s | p50 ms | p99 ms | errors |",
                      "|---|---|---|---|---|---|---|", *rows]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=lambda t: int(float(t)), default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", default="16,1")
    args = parser.parse_args(argv)
    data_dir = publish_bench_store(args.size, args.seed)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    python = sys.executable
    servers = [_start([python, "-m", "kg.cli.app", "--data-dir", str(data_dir), "serve", "--port", str(KG_PORT)], 0,
                      LOG_DIR / "kg-serve.log"),
               _start([python, "-m", "uvicorn", "bench.plain_app:app", "--port", str(PLAIN_PORT)], 0,
                      LOG_DIR / "plain.log")]
    rows: list[str] = []
    try:
        _wait_ready(f"http://127.0.0.1:{KG_PORT}/health", servers[0])
        _wait_ready(f"http://127.0.0.1:{PLAIN_PORT}/fixed", servers[1])
        for target in targets():
            try:
                status, size, note = _probe(target)
            except httpx.TimeoutException:
                rows.append(f"| {target.name} | no answer within {PROBE_TIMEOUT_S:g} s: not loaded | | | | | |")
                continue
            for connections in (int(c) for c in args.connections.split(",")):
                load = run_load(target, connections, args.duration, cpu=1)
                rows.append(f"| {target.name} | {status}, {size} B{' ' + note if note else ''} | {connections} "
                            f"| {load.requests_per_s} | {load.p50_ms} | {load.p99_ms} | {load.errors} |")
                print(rows[-1], file=sys.stderr, flush=True)
    finally:
        for proc in servers:
            _stop(proc)
    header = (f"# API benchmark\n\nCommand: `python bench/api.py {' '.join(sys.argv[1:])}`, load average before "
              f"{load_before}, after {Path('/proc/loadavg').read_text().split()[:3]}, store of "
              f"{_label(args.size)} synthetic triples (+ ontology and inferred), {args.duration:g} s per row, load "
              f"by {'wrk -t1' if WRK else 'httpx'}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "api.md").write_text(_table(rows, header), encoding="utf-8")
    print(f"wrote {OUT_DIR / 'api.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
