"""Published stores of the synthetic graphs, built without rdflib: load, infer and aggregate inside Oxigraph.

    python bench/stores.py FILE.nt DATA_DIR      build and publish; print one JSON line (phases, peak RSS)

`kg build` maps curated YAML through rdflib and validates with SHACL before loading; at 10^6-10^7 triples the
rdflib graph alone would take 1.4-14 GB. The bench stores take the synthetic N-Triples (which *are* a curated
graph, bench/generate.py) straight into the staging store: the ontology and the file are bulk-loaded, the
inference rules run to their fixpoint over the on-disk store (`kg.inference.materialise_in`), the aggregates are
computed from it (`kg.aggregates.compute_aggregates`), and the store is published as `kg build` publishes. The
graphs and their names are those of `kg build`; only SHACL is not run here (bench/load.py `validate` measures it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from bench.measure import emit  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.namespaces import Minter  # noqa: E402

__all__ = ["build_store", "main", "published_bench_store"]


def build_store(file: Path, data_dir: Path) -> dict[str, Any]:
    """Load, infer, aggregate and publish ``file`` as the store of ``data_dir``; the seconds of each phase."""
    from kg.aggregates import compute_aggregates
    from kg.build import load_ontology_graph
    from kg.inference import materialise_in
    from kg.store import new_build_id, publish, write_store
    from kg.terms import graph_to_ntriples

    settings = Settings(data_dir=data_dir)
    minter = Minter(settings.base_iri)
    names = {name: str(minter.graph(name)) for name in ("ontology", "curated", "inferred", "aggregates")}

    def graph(name: str) -> ox.NamedNode:
        return ox.NamedNode(names[name])

    phases: dict[str, Any] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[f"{name}_s"] = round(now - clock[0], 3)
        clock[0] = now

    memory = ox.Store()  # Oxigraph's memory store evaluates these rules ~10x faster than its on-disk one
    memory.bulk_load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=graph("curated"))
    memory.bulk_load(input=graph_to_ntriples(load_ontology_graph(settings)), format=ox.RdfFormat.N_TRIPLES,
                     to_graph=graph("ontology"))
    lap("load")
    phases["inferred_rounds"] = materialise_in(memory, graph("inferred")).rounds
    lap("infer")
    totals = compute_aggregates(memory, default_graph=[graph(n) for n in ("ontology", "curated", "inferred")])
    memory.bulk_load(input=graph_to_ntriples(totals), format=ox.RdfFormat.N_TRIPLES, to_graph=graph("aggregates"))
    lap("aggregate")

    def copy(store: ox.Store) -> None:
        store.bulk_load(input=memory.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)

    staged = write_store(settings, new_build_id(), {}, copy)
    lap("store")
    publish(settings, staged)
    lap("publish")
    phases["triples"] = sum(staged.triples.values())
    phases["graphs"] = {name: staged.triples.get(iri, 0) for name, iri in names.items()}
    return phases


def published_bench_store(size: int, seed: int) -> Path:
    """The data directory holding the published store of the synthetic graph of ``size`` and ``seed``.

    Built on first use under var/bench/store-<size>-s<seed>-<generator fingerprint>/, in a child process (its
    peak memory is its own), and shared by bench/api.py, bench/sparql_http.py and bench/aggregates.py.
    """
    from bench.run import DATA_DIR, _label, dataset, generator_fingerprint

    data_dir = DATA_DIR / f"store-{_label(size)}-s{seed}-{generator_fingerprint()}"
    if not (data_dir / "current").exists():
        file = dataset(size, seed)
        print(f"building {data_dir} from {file} …", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, str(Path(__file__)), str(file), str(data_dir)], check=True)
    return data_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="synthetic N-Triples (bench/generate.py)")
    parser.add_argument("data_dir", type=Path, help="KG data directory to publish into")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    phases = build_store(args.file, args.data_dir)
    emit({**phases, "build_s": round(time.perf_counter() - started, 3)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
