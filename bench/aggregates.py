"""Aggregates: a page of materialised totals against the live aggregation of the same page, side by side.

    python bench/aggregates.py --size 1e5 [--seed 42] [--runs 15] [--group COMPANY]

Uses the published synthetic store of bench/stores.py (ontology + the synthetic curated graph + inferred triples +
the aggregates graph, built inside Oxigraph once per size and seed). Then, per round, in the same process and
alternating:

- **materialised**: the GraphQL page's store query (kg/queries/graphql/aggregates.rq), sorted and cut in Python;
- **live**: the same totals computed from the claims (kg.aggregates.compute_aggregates restricted to the groups
  of the class), then sorted and cut the same way;
- **graphql**: the whole `aggregates` field through the schema in-process (strawberry, nodes batch included),
  on a fresh context (no kept orders: the first request after a publication);
- **graphql_kept**: the same with the server's kept orders (api/graphql/lists.py `kept`), i.e. every later request.

Prints one JSON line per size with medians (ms), the ratio live / materialised, and the build timings.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import emit  # noqa: E402
from bench.run import _label  # noqa: E402
from bench.stores import published_bench_store  # noqa: E402
from kg.config import Settings  # noqa: E402

PAGE_QUERY = """
query($by: AggregateGroup!, $kind: String) {
  aggregates(groupBy: $by, figureKind: $kind, currency: "EUR", first: 20) {
    totalCount nodes { id value claimCount group { id label } figureKind { code } }
  }
}
"""


def _materialised(store, group_class: str, kind: str) -> list[str]:
    from api.graphql.runner import QueryRunner
    from kg.namespaces import EIP, vocab
    from kg.terms import python_value

    rows = QueryRunner(store).select("aggregates", groupClass=EIP[group_class], kind=vocab("figure-kind", kind))
    rows = [r for r in rows if r.get("currency") is not None and r["currency"].value.endswith("/EUR")]
    rows.sort(key=lambda r: r["aggregate"].value)  # ties by IRI, as the GraphQL list orders them
    rows.sort(key=lambda r: python_value(r["value"]), reverse=True)
    return [r["aggregate"].value for r in rows[:20]]


def _live(store, group_class: str, kind: str) -> list[str]:
    from kg.aggregates import compute_aggregates
    from kg.namespaces import EIP, SCHEMA, vocab

    groups = [row["g"] for row in store.query(f"SELECT ?g WHERE {{ ?g a <{EIP[group_class]}> }}")]
    totals = compute_aggregates(store.raw, [g.value for g in groups], facility_counts=False)
    wanted = vocab("figure-kind", kind)
    nodes = [n for n in totals.subjects(EIP.figureKind, wanted) if str(n).endswith("-EUR")]
    nodes.sort(key=str)  # ties by IRI, as the GraphQL list orders them
    nodes.sort(key=lambda n: totals.value(n, SCHEMA.value).toPython(), reverse=True)
    return [str(n) for n in nodes[:20]]


def _graphql(settings: Settings, store, group: str, kind: str, orders=None) -> dict:
    """The page through the schema; with ``orders`` (the server's kept orders) after the first request."""
    from api.graphql.context import GraphQLContext
    from api.graphql.schema import schema

    result = asyncio.run(schema.execute(PAGE_QUERY, variable_values={"by": group, "kind": kind},
                                        context_value=GraphQLContext(store, settings, orders=orders)))
    if result.errors:
        raise RuntimeError(result.errors)
    return result.data


def _timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - start) * 1000, out


def measure(data_dir: Path, group: str, kind: str, runs: int) -> dict[str, object]:
    from kg.store import KgStore

    settings = Settings(data_dir=data_dir)
    store = KgStore.open_published(settings)
    group_class = group.capitalize()
    from api.graphql.lists import MAX_ORDERED_KEYS
    from api.graphql.memo import Lru

    orders: Lru = Lru(256, MAX_ORDERED_KEYS)
    times: dict[str, list[float]] = {"materialised": [], "live": [], "graphql": [], "graphql_kept": []}
    for i in range(runs + 1):  # the first round warms up and is dropped
        t_mat, page = _timed(_materialised, store, group_class, kind)
        t_live, live_page = _timed(_live, store, group_class, kind)
        t_gql, data = _timed(_graphql, settings, store, group, kind)
        t_kept, _ = _timed(_graphql, settings, store, group, kind, orders)
        if i == 0:
            total_count = data["aggregates"]["totalCount"]
            if [p.rsplit("#", 1)[0] for p in page] != [p.rsplit("#", 1)[0] for p in live_page]:
                raise RuntimeError(f"the live page differs from the materialised one: {live_page} / {page}")
            continue
        for name, value in (("materialised", t_mat), ("live", t_live), ("graphql", t_gql), ("graphql_kept", t_kept)):
            times[name].append(value)
    medians = {name: round(statistics.median(values), 2) for name, values in times.items()}
    return {"group": group, "figure_kind": kind, "total_count": total_count, "runs": runs,
            "median_ms": medians, "live_over_materialised": round(medians["live"] / medians["materialised"], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=float, default=1e5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--data-dir", type=Path, help="measure this published store instead of the size's own")
    parser.add_argument("--group", default="COMPANY", choices=["PROGRAMME", "COUNTRY", "COMPANY"])
    parser.add_argument("--kind", default="investment", help="figure-kind code")
    args = parser.parse_args(argv)
    size = int(args.size)
    data_dir = args.data_dir or published_bench_store(size, args.seed)
    print(f"measuring {args.runs} rounds on {data_dir} …", file=sys.stderr, flush=True)
    result = {"size": _label(size), "store": str(data_dir), **measure(data_dir, args.group, args.kind, args.runs)}
    emit(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
