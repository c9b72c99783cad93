"""One benchmark step in a fresh process; prints one JSON line (timings, rows, peak RSS in KiB).

    python bench/load.py oxigraph FILE.nt STORE_DIR [--queries]    load into the on-disk store (kg.store), query it
    python bench/load.py rdflib FILE.nt [--queries] [--skip q3-join] parse into rdflib's memory store, query it
    python bench/load.py validate FILE.nt [--engine turbo|pyshacl]  inference + full SHACL (kg.build.check_data)
    python bench/load.py virtuoso FILE.nt [--queries]               load into the running Virtuoso (scripts/virtuoso),
                                                                    query it over HTTP (kg.remote_store)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import ROOT, emit, peak_kib, query_path, time_reps  # noqa: E402
from kg.config import DEFAULT_BASE_IRI, Settings  # noqa: E402
from kg.errors import KgError  # noqa: E402
from kg.namespaces import Minter  # noqa: E402

VIRTUOSO_STORE = "sparql+http://127.0.0.1:18890/sparql"
QUERIES = ("q1-lookup", "q2-page-sum", "q3-join", "q4-group-by")
_MINTER = Minter(DEFAULT_BASE_IRI)
BINDINGS: dict[str, dict[str, str]] = {
    "q1-lookup": {"entity": str(_MINTER.entity("company", "syn-company-0000028"))},
    "q3-join": {"country": str(_MINTER.entity("place", "syn-country-0000001"))},
}
"""The first synthetic company and country (bench/synth.py numbers entities in order): big ones, by design."""


def _oxigraph(file: Path, store_dir: Path, queries: bool) -> dict[str, Any]:
    from rdflib import URIRef

    from kg.store import KgStore, write_store

    settings = Settings(data_dir=store_dir)
    baseline = peak_kib()
    started = time.perf_counter()
    staged = write_store(settings, "bench", {str(_MINTER.graph("curated")): [file]})
    result: dict[str, Any] = {"load_s": round(time.perf_counter() - started, 3), "triples": sum(staged.triples.values()),
                              "import_kib": baseline, "load_peak_kib": peak_kib(), "disk_mib": round(_du(staged.path) / 2**20, 1)}
    if queries:
        store = KgStore.open(staged.path)
        for name in QUERIES:
            text = query_path(name).read_text(encoding="utf-8")
            bindings = {k: URIRef(v) for k, v in BINDINGS.get(name, {}).items()}
            result[name] = time_reps(lambda: sum(1 for _ in store.query(text, bindings)))
    return result


def _rdflib(file: Path, queries: bool, skip: list[str]) -> dict[str, Any]:
    import rdflib

    baseline = peak_kib()
    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(str(file), format="nt")
    result: dict[str, Any] = {"load_s": round(time.perf_counter() - started, 3), "triples": len(graph),
                              "import_kib": baseline, "load_peak_kib": peak_kib()}
    if queries:
        emit(result)
        for name in QUERIES:
            if name in skip:
                result[name] = "skipped"
                continue
            text = query_path(name).read_text(encoding="utf-8")
            bindings = {k: rdflib.URIRef(v) for k, v in BINDINGS.get(name, {}).items()}
            result[name] = "killed (step timeout)"
            emit(result)  # progress: if this query outlives the step's timeout, the figures so far survive
            result[name] = time_reps(lambda: sum(1 for _ in graph.query(text, initBindings=bindings)),
                                     max_reps=5, budget_s=20.0)
    return result


def _virtuoso(file: Path, queries: bool) -> dict[str, Any]:
    import subprocess

    from rdflib import URIRef

    from kg.remote_store import RemoteStore

    graph = str(_MINTER.graph(f"bench-{file.stem}"))
    started = time.perf_counter()
    out = subprocess.run([str(ROOT / "scripts" / "virtuoso" / "load.sh"), str(file), graph], check=True,
                         capture_output=True, text=True).stdout
    result: dict[str, Any] = {"load_s": round(time.perf_counter() - started, 3), "triples": int(out.split()[0]),
                              "server_kib": _server_kib()}
    if queries:
        store = RemoteStore(VIRTUOSO_STORE, timeout_s=600, graphs=[graph])
        for name in QUERIES:
            text = query_path(name).read_text(encoding="utf-8")
            bindings = {k: URIRef(v) for k, v in BINDINGS.get(name, {}).items()}
            try:
                result[name] = time_reps(lambda: sum(1 for _ in store.query(text, bindings)))
            except KgError as exc:
                result[name] = f"error: {exc.message[:160]}"
    return result


def _server_kib() -> dict[str, int]:
    """Resident and peak resident memory of the Virtuoso server (VmRSS, VmHWM), KiB."""
    pid = (ROOT / "var" / "virtuoso" / "virtuoso.pid").read_text().strip()
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")}


def _validate(file: Path, shacl_engine: str) -> dict[str, Any]:
    from kg.build import check_data
    from kg.rdfio import read_rdf

    marks: dict[str, float] = {}
    started = time.perf_counter()
    graph = read_rdf(file)
    marks["parse_s"] = time.perf_counter() - started

    def progress(line: str) -> None:
        marks[line.split("]", 1)[1].split()[0] + "_at"] = time.perf_counter() - started

    checked = check_data(Settings(shacl_engine=shacl_engine), graph, progress=progress)
    total = time.perf_counter() - started
    infer = marks.get("inferred_at", total) - marks["parse_s"]
    return {"parse_s": round(marks["parse_s"], 3), "infer_s": round(infer, 3),
            "shacl_s": round(total - marks["parse_s"] - infer, 3), "triples": len(graph),
            "inferred": len(checked.inferred.graph), "violations": len(checked.report.violations),
            "warnings": len(checked.report.warnings), "shacl_engine": shacl_engine}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["oxigraph", "rdflib", "validate", "virtuoso"])
    parser.add_argument("file", type=Path)
    parser.add_argument("store_dir", type=Path, nargs="?")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--skip", action="append", default=[])
    parser.add_argument("--engine", dest="shacl_engine", choices=["turbo", "pyshacl"], default="turbo",
                        help="SHACL engine of the validate step")
    args = parser.parse_args()
    if args.engine == "oxigraph":
        emit(_oxigraph(args.file, args.store_dir, args.queries))
    elif args.engine == "rdflib":
        emit(_rdflib(args.file, args.queries, args.skip))
    elif args.engine == "virtuoso":
        emit(_virtuoso(args.file, args.queries))
    else:
        emit(_validate(args.file, args.shacl_engine))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
