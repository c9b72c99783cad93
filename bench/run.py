"""Run the storage benchmark: generate, load, validate and query at each size; write bench/out/results.md.

    make bench                                   # sizes 1e4,1e5
    make bench BENCH_ARGS="--sizes 1e5,1e6"
    python bench/run.py --sizes 1e5 --with-1e7   # adds 1e7 (pyoxigraph only: rdflib would need ~14 GB)
    python bench/run.py --sizes 1e5 --virtuoso   # adds Virtuoso over HTTP (scripts/virtuoso/start.sh first)

Every step runs in a fresh process (bench/load.py) so load time and peak memory belong to that step alone.
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

OUT_DIR = BENCH_DIR / "out"
DATA_DIR = ROOT / "var" / "bench"
RDFLIB_MAX = 1_000_000
"""Above this, rdflib is not run (baseline: ~14 GB and minutes of parsing projected at 1e7)."""


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


def _step(run: dict[str, Any], name: str, args: list[str], timeout_s: float) -> None:
    print(f"  {name} …", file=sys.stderr, flush=True)
    result = run_child(args, timeout_s)
    if result.ok:
        run[name] = {**result.data, "peak_kib": result.peak_mib * 1024, "wall_s": round(result.wall_s, 2)}
    elif "timeout" in result.data:
        run[name] = {**result.data, "peak_kib": result.peak_mib * 1024, "wall_s": round(result.wall_s, 2)}
        run.setdefault("errors", {})[name] = f"killed after {timeout_s:.0f} s (figures measured before are kept)"
    else:
        run.setdefault("errors", {})[name] = result.stderr.strip().splitlines()[-1] if result.stderr else "failed"
    print(f"    {json.dumps(run.get(name, run.get('errors', {}).get(name)))}", file=sys.stderr, flush=True)


def bench_size(size: int, seed: int, *, validate_max: int, timeout_s: float, virtuoso: bool) -> dict[str, Any]:
    """All steps at one size."""
    path = dataset(size, seed)
    run: dict[str, Any] = {}
    store_dir = Path(tempfile.mkdtemp(prefix="kg-bench-", dir=DATA_DIR))
    try:
        _step(run, "oxigraph", ["oxigraph", str(path), str(store_dir), "--queries"], timeout_s)
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)
    if size <= RDFLIB_MAX:
        _step(run, "rdflib", ["rdflib", str(path), "--queries"], timeout_s)
    if virtuoso:
        _step(run, "virtuoso", ["virtuoso", str(path), "--queries"], timeout_s)
    if size <= validate_max:
        _step(run, "validate", ["validate", str(path)], timeout_s)
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
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000], help="comma-separated, e.g. 1e5,1e6")
    parser.add_argument("--with-1e7", action="store_true", help="add 1e7 triples (pyoxigraph only)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--validate-max", type=lambda t: int(float(t)), default=100_000,
                        help="largest size to run full SHACL validation on (default 1e5)")
    parser.add_argument("--virtuoso", action="store_true",
                        help="also load and query the running Virtuoso (scripts/virtuoso/start.sh) over HTTP")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed to one step")
    args = parser.parse_args(argv)
    sizes = args.sizes + ([10_000_000] if args.with_1e7 else [])
    runs: dict[str, dict[str, Any]] = {}
    for size in sizes:
        print(f"size {_label(size)}", file=sys.stderr)
        runs[_label(size)] = bench_size(size, args.seed, validate_max=args.validate_max, timeout_s=args.timeout,
                                     virtuoso=args.virtuoso)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "results.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    (OUT_DIR / "results.md").write_text(results_markdown(runs, _header(args)), encoding="utf-8")
    print(f"wrote {OUT_DIR / 'results.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
