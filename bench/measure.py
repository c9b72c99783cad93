"""Measuring helpers shared by the bench scripts: a child process with its peak memory, and median timings.

A step runs in a fresh Python process (``bench/load.py …``) that prints one JSON object on its last stdout line,
including its own ``ru_maxrss`` (peak resident set, KiB on Linux), so each figure belongs to one step and one engine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BENCH_DIR", "ROOT", "ChildResult", "emit", "peak_kib", "query_path", "run_child", "time_reps"]

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


@dataclass(frozen=True)
class ChildResult:
    """What a child step printed, its wall time, peak RSS (MiB) and exit status."""

    data: dict[str, Any]
    wall_s: float
    peak_mib: float
    returncode: int
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_child(args: Sequence[str], timeout_s: float, script: str = "load.py") -> ChildResult:
    """Run ``python bench/<script> *args``; kill it past ``timeout_s`` (returncode -9, data {"timeout": …})."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(BENCH_DIR / script), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        timed_out = True
    # RUSAGE_CHILDREN only gives the maximum over all children, so each child reports its own ru_maxrss;
    # a child may print progress lines: the last one holds everything measured so far.
    lines = [line for line in out.splitlines() if line.startswith("{")]
    data = json.loads(lines[-1]) if lines else {}
    peak = data.pop("peak_kib", 0) / 1024
    if timed_out:
        data["timeout"] = timeout_s
    return ChildResult(data, time.perf_counter() - started, round(peak, 1), -9 if timed_out else proc.returncode,
                       err[-2000:])


def time_reps(call: Callable[[], int], *, max_reps: int = 15, budget_s: float = 20.0) -> tuple[float, int, int]:
    """Median milliseconds of ``call`` after one warm-up (≤ max_reps runs or budget_s); also rows and runs."""
    rows = call()
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < max_reps and (not times or time.perf_counter() < deadline):
        started = time.perf_counter()
        rows = call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3), rows, len(times)


def query_path(name: str) -> Path:
    return BENCH_DIR / "queries" / f"{name}.rq"


def peak_kib() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def emit(data: dict[str, Any]) -> None:
    """Print the child's result line, adding its peak RSS."""
    print(json.dumps({**data, "peak_kib": peak_kib()}), flush=True)
