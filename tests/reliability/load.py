"""Bounded load test on loopback: `kg serve` on a free port, N concurrent clients for a fixed duration, a mix of
GraphQL, SPARQL and entity-page requests; prints requests/s, p50/p99 latency and errors (overall and per kind).

    python tests/reliability/load.py [--data-dir DIR] [--clients 8] [--duration 20] [--workers 2] [--json]

``--data-dir`` must hold a published store (`kg build`); without it a fresh build of the curated graph is made
in a temporary folder. Only 127.0.0.1 is contacted. The server is started as a subprocess and stopped by its pid.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
JSON = "application/sparql-results+json, application/json;q=0.9"


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    json_body: dict | None = None
    form: dict | None = None
    accept: str = "application/json"


ENTITY_SLUGS = ("company/verkor", "facility/verkor-gigafactory-bourbourg", "initiative/investai",
                "programme/ai-gigafactories", "public-body/european-commission", "place/bourbourg")
MIX: list[tuple[int, Request]] = [
    (15, Request("graphql-lookup", "POST", "/graphql", json_body={
        "query": "query($id: ID!) { entity(id: $id) { id label kind sources { id } } }", "variables": {"id": "{slug}"}})),
    (15, Request("graphql-list", "POST", "/graphql", json_body={
        "query": "{ facilities(first: 20) { totalCount nodes { id label } pageInfo { endCursor } } }"})),
    (10, Request("graphql-claims", "POST", "/graphql", json_body={
        "query": "{ claims(first: 10) { totalCount nodes { id } } }"})),
    (15, Request("sparql-count-by-class", "POST", "/sparql", form={
        "query": "SELECT ?c (COUNT(?s) AS ?n) { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 20"}, accept=JSON)),
    (15, Request("sparql-label-search", "POST", "/sparql", form={
        "query": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?l { ?s rdfs:label ?l "
                 "FILTER(CONTAINS(LCASE(STR(?l)), \"giga\")) } LIMIT 50"}, accept=JSON)),
    (10, Request("sparql-describe", "GET", "/sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Feu-industrial-kg"
                 "%2Fid%2F{slug}%3E", accept="text/turtle")),
    (20, Request("entity-page", "GET", "/id/{slug}", accept="text/html")),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pick(rng: random.Random) -> Request:
    weights = [w for w, _ in MIX]
    request = rng.choices([r for _, r in MIX], weights)[0]
    slug = rng.choice(ENTITY_SLUGS)
    body = json.loads(json.dumps(request.json_body).replace("{slug}", slug)) if request.json_body else None
    return Request(request.kind, request.method, request.path.replace("{slug}", slug.replace("/", "%2F")
                   if "sparql" in request.path else slug), body, request.form, request.accept)


async def _client(http: httpx.AsyncClient, deadline: float, seed: int, out: list[tuple[str, float, int]]) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        request = _pick(rng)
        started = time.perf_counter()
        try:
            response = await http.request(request.method, request.path, json=request.json_body, data=request.form,
                                          headers={"accept": request.accept})
            status = response.status_code
            if status == 200 and request.kind.startswith("graphql") and response.json().get("errors"):
                status = 299  # a GraphQL error inside a 200: counted as an error
        except httpx.HTTPError:
            status = 0
        out.append((request.kind, (time.perf_counter() - started) * 1000, status))


async def _load(base: str, clients: int, duration_s: float) -> tuple[list[tuple[str, float, int]], float]:
    out: list[tuple[str, float, int]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        started = time.perf_counter()
        deadline = started + duration_s
        await asyncio.gather(*(_client(http, deadline, seed, out) for seed in range(clients)))
        return out, time.perf_counter() - started


def _figures(samples: list[tuple[str, float, int]], elapsed: float) -> dict:
    latencies = [ms for _, ms, _ in samples]
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return {"requests": len(samples), "requests_per_s": round(len(samples) / elapsed, 1),
            "p50_ms": round(cuts[49], 1), "p99_ms": round(cuts[98], 1),
            "errors": sum(1 for *_, status in samples if status != 200),
            "statuses": dict(Counter(status for *_, status in samples))}


def summarise(samples: list[tuple[str, float, int]], elapsed: float) -> dict:
    """Overall and per-kind figures of a run."""
    by_kind: dict[str, list] = defaultdict(list)
    for sample in samples:
        by_kind[sample[0]].append(sample)
    return {"overall": _figures(samples, elapsed),
            "per_kind": {kind: _figures(group, elapsed) for kind, group in sorted(by_kind.items())}}


def _serve(data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_DATA_DIR": str(data_dir), "KG_SPARQL_WORKERS": str(workers), "PYTHONPATH": str(ROOT)})
    server = subprocess.Popen([sys.executable, "-m", "kg.cli.app", "serve", "--host", "127.0.0.1", "--port",
                               str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
        if server.poll() is not None:
            raise RuntimeError(f"kg serve exited: {server.stderr.read().decode()[-2000:]}")
    server.kill()
    raise RuntimeError("kg serve did not become healthy within 60 s")


def _build(data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)})
    subprocess.run([sys.executable, "-m", "kg.cli.app", "build", "-q"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def run(data_dir: Path, clients: int, duration_s: float, workers: int) -> dict:
    """Serve ``data_dir`` on a free loopback port, load it, stop the server; the summary."""
    port = _free_port()
    server = _serve(data_dir, port, workers)
    try:
        samples, elapsed = asyncio.run(_load(f"http://127.0.0.1:{port}", clients, duration_s))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    result = summarise(samples, elapsed)
    result["setup"] = {"clients": clients, "duration_s": duration_s, "sparql_workers": workers,
                       "cpus": os.cpu_count(), "data_dir": str(data_dir)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-load-") as scratch:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(scratch)
            _build(data_dir)
        result = run(data_dir, args.clients, args.duration, args.workers)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{'kind':<24}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind, figures in [("ALL", result["overall"]), *result["per_kind"].items()]:
        print(f"{kind:<24}{figures['requests']:>9}{figures['requests_per_s']:>9}{figures['p50_ms']:>9}"
              f"{figures['p99_ms']:>9}{figures['errors']:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
