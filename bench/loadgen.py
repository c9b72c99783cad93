"""Bounded HTTP load on loopback: `wrk` when installed, else a small httpx async generator. Same figures either way.

Both run for a fixed duration at a fixed number of connections and report requests/s, p50 and p99 latency (ms)
and the number of answers that were not 2xx/3xx.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["Load", "Target", "run_load"]

WRK = shutil.which("wrk")
TIMEOUT_S = 10
"""A request slower than this counts as an error (wrk's own default, 2 s, cut off slow GraphQL pages)."""
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Target:
    """One request to repeat."""

    name: str
    url: str
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Load:
    """What one load run measured."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def run_load(target: Target, connections: int, duration_s: float, *, cpu: int | None = None) -> Load:
    """Load ``target`` for ``duration_s`` with ``connections`` (wrk pinned to ``cpu`` when given)."""
    if WRK:
        return _wrk(target, connections, duration_s, cpu)
    return asyncio.run(_httpx(target, connections, duration_s))


def _lua(target: Target) -> str:
    lines = [f'wrk.method = "{target.method}"']
    if target.body is not None:
        lines.append(f"wrk.body = [==[{target.body}]==]")
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in target.headers]
    return "\n".join(lines) + "\n"


def _wrk(target: Target, connections: int, duration_s: float, cpu: int | None) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(target))
    command = [WRK, "-t1", f"-c{connections}", f"-d{duration_s:g}s", f"--timeout={TIMEOUT_S}s", "--latency", "-s",
               script.name, target.url]
    if cpu is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(cpu), *command]
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration_s + 30).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    if rate == 0:  # nothing completed within the duration: no latency figures
        return Load(0.0, float("nan"), float("nan"), 0, "wrk")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors[1]) if errors else 0
    failed += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Load(round(rate, 1), _percentile(out, "50"), _percentile(out, "99"), failed, "wrk")


def _percentile(out: str, which: str) -> float:
    match = re.search(rf"^\s+{which}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    return round(float(match[1]) * _UNITS[match[2]], 3) if match else float("nan")


async def _httpx(target: Target, connections: int, duration_s: float) -> Load:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration_s
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, headers=dict(target.headers), timeout=TIMEOUT_S) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.request(target.method, target.url, content=target.body)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code >= 400

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return Load(round(len(latencies) / elapsed, 1), round(cuts[49], 3), round(cuts[98], 3), errors, "httpx")
