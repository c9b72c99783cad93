"""Time IncrementalValidator.apply for changes of 10 facts, per SHACL engine, on the curated graph or an
N-Triples file (synthetic); the engines take turns on the same changes in the same process.

    python bench/incremental.py [FILE.nt | --size 1e5 [--seed 42]] [--engines turbo,pyshacl] [--rounds 12]
                                [--json] [--profile OUT.html]

On the curated graph the full validation (inference + SHACL) is timed per engine too, as the baseline, and the
report after a change is compared with a full pySHACL validation of the changed data (``same_report``). At
10^5–10^6 the full baseline is ``bench/load.py validate FILE --engine E`` (a process of its own). ``--json``
prints one JSON line (the first engine's figures at the top level, every engine's under ``engines``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import Graph, Literal, Namespace  # noqa: E402

from kg.config import Settings  # noqa: E402
from kg.curated import load_curated  # noqa: E402
from kg.incremental import Change, IncrementalValidator, problem_key  # noqa: E402
from kg.inference import materialise  # noqa: E402
from kg.namespaces import EIP, SCHEMA, VOCAB, XSD, Minter  # noqa: E402
from kg.terms import to_rdflib  # noqa: E402
from kg.validate import load_ontology, validate  # noqa: E402

EIPR = Namespace(VOCAB + "rank/")
WARM_UP = 2  # the first round (a change and its undo) per engine fills caches


def changes(validator: IncrementalValidator, n_facts: int, rng: random.Random, rounds: int) -> list[Change]:
    """``rounds`` changes of ``n_facts`` facts each: amounts made negative, ranks flipped (from the store)."""
    def rows(query: str) -> list[Any]:
        return list(validator.store.query(query, default_graph=[validator.data_graph]))

    amounts = rows("SELECT ?a ?v WHERE { ?a <https://schema.org/value> ?v } LIMIT 20000")
    ranks = rows("SELECT ?c ?r WHERE { ?c <https://w3id.org/eu-industrial-kg/ontology#rank> ?r } LIMIT 20000")
    out = []
    for _ in range(rounds):
        removed, added = set(), set()
        for i in range(n_facts):
            if i % 2 == 0:
                row = rng.choice(amounts)
                amount, value = to_rdflib(row["a"]), to_rdflib(row["v"])
                removed.add((amount, SCHEMA.value, value))
                added.add((amount, SCHEMA.value, Literal(str(-1 - i), datatype=XSD.decimal)))
            else:
                row = rng.choice(ranks)
                claim, rank = to_rdflib(row["c"]), to_rdflib(row["r"])
                removed.add((claim, EIP.rank, rank))
                added.add((claim, EIP.rank, EIPR.normal if rank != EIPR.normal else EIPR.preferred))
        out.append(Change(frozenset(removed), frozenset(added - removed)))
    return out


def _setup(settings: Settings, file: Path | None) -> IncrementalValidator:
    if file is not None:
        return IncrementalValidator.from_ntriples(settings, file)
    curated = load_curated(Path(settings.curated_dir), Minter(settings.base_iri))
    return IncrementalValidator.from_graph(settings, curated)


def _full(settings: Settings, data: Any, engine: str) -> tuple[float, Any]:
    """Seconds and report of inference + a full validation of ``data`` with ``engine``."""
    started = time.perf_counter()
    report = validate(data + materialise([load_ontology(settings), data]).graph,
                      settings.model_copy(update={"shacl_engine": engine}))
    return time.perf_counter() - started, report


def _curated_checks(settings: Settings, validator: IncrementalValidator, change: Change,
                    engines: list[str]) -> dict[str, Any]:
    """Full validation time per engine, and whether the report after ``change`` equals a full pySHACL one."""
    data = load_curated(Path(settings.curated_dir), Minter(settings.base_iri))
    out: dict[str, Any] = {f"full_ms_{engine}": round(_full(settings, data, engine)[0] * 1000)
                           for engine in engines}
    validator.settings = settings
    incremental = validator.apply(change).report
    changed = Graph()
    for triple in (*(t for t in data if t not in change.removed), *change.added):
        changed.add(triple)
    reference = _full(settings, changed, "pyshacl")[1]
    validator.apply(Change(change.added, change.removed))
    keys = [{problem_key(p) for p in report.problems} for report in (incremental, reference)]
    out["same_report"] = keys[0] == keys[1]
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path, nargs="?", help="N-Triples file (default: the curated graph)")
    parser.add_argument("--size", help="the synthetic graph of this size (bench/run.py's cached dataset)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--engines", default="turbo,pyshacl", help="SHACL engines, comma-separated")
    parser.add_argument("--rounds", type=int, default=12, help="changes per engine (each applied and undone)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--profile", type=Path,
                        help="pyinstrument profile of the first engine's timed runs (.html, else text)")
    args = parser.parse_args()
    file = args.file
    if args.size:
        from bench.run import dataset

        file = dataset(int(float(args.size)), args.seed)
    engines = args.engines.split(",")
    settings = Settings(shacl_engine=engines[0])
    started = time.perf_counter()
    validator = _setup(settings, file)
    result: dict[str, Any] = {
        "size": args.size or ("curated" if file is None else file.name),
        "setup_s": round(time.perf_counter() - started, 1),
        "triples": sum(1 for _ in validator.store.quads_for_pattern(None, None, None, validator.data_graph)),
        "normalised_literals": sum(len(x) for x in validator._originals.values())}
    rounds = changes(validator, 10, random.Random(7), args.rounds)
    if file is None:
        result.update(_curated_checks(settings, validator, rounds[0], engines))
        result["full_ms"] = result[f"full_ms_{engines[0]}"]
    else:  # no full report to compare with at this size: the property test and the curated run check it
        result["same_report"] = "checked on the curated graph"
    profiler = _profiler() if args.profile else None
    laps: dict[str, list[dict[str, float]]] = {engine: [] for engine in engines}
    last = {}
    for change in rounds:
        for engine in engines:  # the engines take turns on each change
            validator.settings = settings.model_copy(update={"shacl_engine": engine})
            if profiler and engine == engines[0] and len(laps[engine]) >= WARM_UP:
                profiler.start()
            last[engine] = validator.apply(change)
            back = validator.apply(Change(change.added, change.removed))
            if profiler and profiler.is_running:
                profiler.stop()
            laps[engine] += [last[engine].timings, back.timings]
    result["engines"] = {engine: _summary(laps[engine][WARM_UP:], last[engine]) for engine in engines}
    result.update(result["engines"][engines[0]])
    if profiler:
        html = args.profile.suffix == ".html"
        args.profile.write_text(profiler.output_html() if html else profiler.output_text(), encoding="utf-8")
    print(json.dumps(result) if args.json else _text(result))
    return 0


def _summary(laps: list[dict[str, float]], outcome: Any) -> dict[str, Any]:
    times = sorted(sum(lap.values()) * 1000 for lap in laps)
    return {"runs": len(times), "median_ms": round(statistics.median(times), 1),
            "p90_ms": round(times[int(len(times) * 0.9) - 1], 1), "min_ms": round(times[0], 1),
            "max_ms": round(times[-1], 1), "affected": len(outcome.affected),
            "closure_triples": outcome.closure_triples,
            "steps_ms": {step: round(statistics.median(lap[step] for lap in laps) * 1000, 1)
                         for step in laps[0]}}


def _text(result: dict[str, Any]) -> str:
    lines = [(f"{result['size']}: {result['triples']} data triples, setup {result['setup_s']} s, "
              f"normalised literals kept {result['normalised_literals']}")]
    lines += [f"full validation (inference + SHACL), {key[8:]}: {value} ms"
              for key, value in result.items() if key.startswith("full_ms_")]
    if "same_report" in result:
        lines.append(f"report after a change == full pySHACL report of the changed data: "
                     f"{result['same_report']}")
    for engine, figures in result["engines"].items():
        lines.append(f"{engine}: apply (10 facts) over {figures['runs']} runs: median "
                     f"{figures['median_ms']:.0f} ms, p90 {figures['p90_ms']:.0f} ms, "
                     f"min {figures['min_ms']:.0f} ms, max {figures['max_ms']:.0f} ms; "
                     f"affected {figures['affected']}, closure {figures['closure_triples']} triples")
        lines += [f"  {step:16s} median {ms:6.1f} ms" for step, ms in figures["steps_ms"].items()]
    return "\n".join(lines)


def _profiler() -> Any:
    from pyinstrument import Profiler  # measuring only: pip install pyinstrument

    return Profiler(interval=0.0005)


if __name__ == "__main__":
    raise SystemExit(main())
