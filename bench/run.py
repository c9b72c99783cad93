"""Run the storage benchmark: generate, load, validate and query at each size; write bench/out/results.md.

    make bench                                   # sizes 1e5,1e6: every step, targets table first
    make bench BENCH_ARGS="--with-1e7"           # adds 1e7 (no rdflib, no SHACL, no HTTP: see --help)
    python bench/run.py --sizes 1e4              # a quick run
    python bench/run.py --sizes 1e5 --virtuoso   # adds Virtuoso over HTTP (scripts/virtuoso/start.sh first)

Every step runs in a fresh process (bench/load.py, stores.py, incremental.py, aggregates.py, sparql_http.py,
api.py) so its time and peak memory belong to that step alone; results.md opens with the issue's targets
(bench/targets.py), each beside its baseline from the same run.
Generated graphs are cached in var/bench/ (same size and seed, same file).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import BENCH_DIR, ROOT, run_child  # noqa: E402
from bench.report import results_markdown  # noqa: E402
from bench.targets import targets_markdown  # noqa: E402

OUT_DIR = BENCH_DIR / "out"
DATA_DIR = ROOT / "var" / "bench"
RDFLIB_MAX = 1_000_000
"""Above this, rdflib is not run (baseline: ~14 GB and minutes of parsing projected at 1e7)."""
RDFLIB_QUADRATIC_FROM = 1_000_000
"""From this size rdflib's Q3 is skipped: its join is quadratic (4 s at 1e5, over 600 s at 1e6)."""


def _label(size: int) -> str:
    exponent = len(str(size)) - 1
    return f"1e{exponent}" if size == 10 ** exponent else str(size)


GENERATOR_INPUTS = ("bench/generate.py", "bench/synth.py", "kg/mapping", "kg/curated", "kg/data/curated",
                    "kg/namespaces.py")
"""What the synthetic graph is made from: a change to any of them makes a new cached file."""


def generator_fingerprint() -> str:
    """8 hex digits of a hash over the generator's code and the curated data it takes its templates from."""
    digest = hashlib.sha256()
    for name in GENERATOR_INPUTS:
        root = ROOT / name
        for path in sorted(root.rglob("*") if root.is_dir() else [root]):
            if path.is_file() and path.suffix in {".py", ".yaml", ".md"}:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


def dataset(size: int, seed: int) -> Path:
    """The cached synthetic graph of ``size`` triples, generated if missing (or made by older generator code)."""
    path = DATA_DIR / f"synthetic-{_label(size)}-s{seed}-{generator_fingerprint()}.nt"
    if not path.exists():
        # In a child process: Linux carries a parent's peak RSS over into the ru_maxrss of the children it
        # starts afterwards, so the parent must stay small for the children's peaks to mean anything.
        partial = path.with_suffix(".part")
        subprocess.run([sys.executable, str(BENCH_DIR / "generate.py"), str(size), "--seed", str(seed),
                        "-o", str(partial)], check=True)
        partial.rename(path)
    return path


def _step(run: dict[str, Any], name: str, args: list[str], timeout_s: float, script: str = "load.py") -> None:
    print(f"  {name} …", file=sys.stderr, flush=True)
    result = run_child(args, timeout_s, script)
    if result.ok:
        run[name] = {**result.data, "peak_kib": result.peak_mib * 1024, "wall_s": round(result.wall_s, 2)}
    elif "timeout" in result.data:
        run[name] = {**result.data, "peak_kib": result.peak_mib * 1024, "wall_s": round(result.wall_s, 2)}
        run.setdefault("errors", {})[name] = f"killed after {timeout_s:.0f} s (figures measured before are kept)"
    else:
        run.setdefault("errors", {})[name] = result.stderr.strip().splitlines()[-1] if result.stderr else "failed"
    print(f"    {json.dumps(run.get(name, run.get('errors', {}).get(name)))[:400]}", file=sys.stderr, flush=True)


def bench_size(size: int, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    """All steps at one size, each in a fresh process."""
    path, timeout_s = dataset(size, seed), args.timeout
    run: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-", dir=DATA_DIR) as scratch:
        _step(run, "oxigraph", ["oxigraph", str(path), f"{scratch}/load", "--queries"], timeout_s)
        _step(run, "store", [str(path), f"{scratch}/build"], timeout_s, "stores.py")
    if size <= RDFLIB_MAX:
        skip = ["--skip", "q3-join"] if size >= RDFLIB_QUADRATIC_FROM else []
        _step(run, "rdflib", ["rdflib", str(path), "--queries", *skip], timeout_s)
    if args.virtuoso:
        _step(run, "virtuoso", ["virtuoso", str(path), "--queries"], timeout_s)
    if size <= args.validate_max:
        _step(run, "validate", ["validate", str(path)], timeout_s)
    if size <= args.pyshacl_max:
        _step(run, "validate_pyshacl", ["validate", str(path), "--engine", "pyshacl"], timeout_s)
    if size <= args.validate_max:
        _step(run, "incremental", ["--size", _label(size), "--json"], timeout_s, "incremental.py")
    size_args = ["--size", _label(size), "--seed", str(seed)]
    runs = "10" if size <= 100_000 else "5" if size <= 1_000_000 else "3"  # the live side takes ~20 s at 1e6
    _step(run, "aggregates", [*size_args, "--runs", runs], timeout_s, "aggregates.py")
    if size <= args.http_max:
        _step(run, "sparql_http", size_args, timeout_s, "sparql_http.py")
        _step(run, "api", [*size_args, "--json", "--duration", str(args.api_duration),
                           "--out", str(OUT_DIR / f"api-{_label(size)}.md")], timeout_s, "api.py")
    return run


def _header(args: argparse.Namespace) -> str:
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("pyoxigraph", "rdflib", "pyshacl"))
    return (f"# Storage benchmark results\n\nCommand: `python bench/run.py {' '.join(sys.argv[1:])}` "
            f"(seed {args.seed}), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Python "
            f"{platform.python_version()}, {versions}, {platform.machine()}, load average at the end "
            f"{Path('/proc/loadavg').read_text().split()[:3]}. Each cell comes from a fresh process; "
            "the machine is shared, so compare ratios rather than absolutes.")


def _sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[100_000, 1_000_000], help="comma-separated, e.g. 1e5,1e6")
    parser.add_argument("--with-1e7", action="store_true", help="add 1e7 triples (pyoxigraph only)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--validate-max", type=lambda t: int(float(t)), default=1_000_000,
                        help="largest size to run full SHACL (default engine) and incremental validation on")
    parser.add_argument("--pyshacl-max", type=lambda t: int(float(t)), default=100_000,
                        help="largest size to run the pySHACL baseline on (56 s at 1e5, ~10 min projected at 1e6)")
    parser.add_argument("--http-max", type=lambda t: int(float(t)), default=1_000_000,
                        help="largest size to run the HTTP benchmarks (API, /sparql) on")
    parser.add_argument("--api-duration", type=float, default=5.0, help="seconds of load per API row")
    parser.add_argument("--virtuoso", action="store_true",
                        help="also load and query the running Virtuoso (scripts/virtuoso/start.sh) over HTTP")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed to one step")
    args = parser.parse_args(argv)
    sizes = args.sizes + ([10_000_000] if args.with_1e7 else [])
    runs: dict[str, dict[str, Any]] = {}
    for size in sizes:
        print(f"size {_label(size)}", file=sys.stderr)
        runs[_label(size)] = bench_size(size, args.seed, args)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "results.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    (OUT_DIR / "results.md").write_text(results_markdown(runs, _header(args), targets_markdown(runs)),
                                        encoding="utf-8")
    print(f"wrote {OUT_DIR / 'results.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
