"""The targets of issue 5 against a bench run: one row per target and size, with its same-run baseline and a verdict.

`bench/run.py` collects every step's JSON into ``results.json`` (size label → step → figures); this module turns
it into the "Targets" table at the top of ``results.md``. A target whose figures were not measured in the run
says so; a missed one keeps its figure (the profile and what would close it are in bench/README.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["TARGETS", "Target", "targets_markdown"]

Run = dict[str, Any]
GIB = 1024 ** 3


@dataclass(frozen=True)
class Verdict:
    """What one target measured: the figure, its baseline from the same run, and whether the bound holds."""

    measured: str
    baseline: str
    met: bool | None  # None: not measured in this run


@dataclass(frozen=True)
class Target:
    name: str
    bound: str
    sizes: tuple[str, ...]
    judge: Callable[[Run], Verdict]


def _get(run: Run, *path: str) -> Any:
    for key in path:
        if not isinstance(run, dict) or key not in run:
            return None
        run = run[key]
    return run


def _mib(kib: float | None) -> str:
    return "-" if not kib else f"{kib / 1024:,.0f} MiB"


def _build(limit_s: float, limit_gib: float) -> Callable[[Run], Verdict]:
    """Load + infer + aggregate + publish (bench/stores.py) plus full SHACL of the same graph (bench/load.py)."""
    def judge(run: Run) -> Verdict:
        store, shacl = _get(run, "store", "build_s"), _get(run, "validate", "shacl_s")
        parse = _get(run, "validate", "parse_s")
        baseline = _get(run, "rdflib", "load_s")
        base = f"rdflib parse alone {baseline} s" if baseline else "-"
        if store is None:
            return Verdict("not measured", base, None)
        peak = max(_get(run, "store", "peak_kib") or 0, _get(run, "validate", "peak_kib") or 0)
        if shacl is None:
            return Verdict(f"{store:.1f} s / {_mib(peak)} without SHACL (full SHACL not run at this size)",
                           base, False if store > limit_s else None)
        total = store + shacl + (parse or 0)
        return Verdict(f"{total:.1f} s / {_mib(peak)} (store {store:.1f} s + SHACL parse {parse or 0:.1f} s + "
                       f"validate {shacl:.1f} s)", base, total <= limit_s and peak * 1024 <= limit_gib * GIB)
    return judge


def _incremental(run: Run) -> Verdict:
    median = _get(run, "incremental", "median_ms")
    full = _get(run, "incremental", "full_ms") or _get(run, "validate", "shacl_s")
    base = "-" if full is None else (f"full validation {full:,.0f} ms" if _get(run, "incremental", "full_ms")
                                     else f"full validation {full:.1f} s")
    if median is None:
        return Verdict("not measured", base, None)
    return Verdict(f"{median:.0f} ms (same report as the full validation: "
                   f"{_get(run, 'incremental', 'same_report')})", base, median <= 100)


def _api_rows(run: Run, endpoint: str) -> list[dict[str, Any]]:
    return [r for r in _get(run, "api", "results") or [] if r.get("endpoint", "").startswith(endpoint)
            and "requests_per_s" in r]


def _plain(run: Run, connections: int) -> str:
    rows = [r for r in _get(run, "api", "results") or [] if r.get("server") == "plain"
            and r.get("connections") == connections]
    return f"plain FastAPI route {rows[0]['requests_per_s']:,.0f} req/s" if rows else "-"


def _graphql(endpoint: str, min_rps: float, max_p99: float | None) -> Callable[[Run], Verdict]:
    def judge(run: Run) -> Verdict:
        rows = [r for r in _api_rows(run, endpoint) if r["connections"] == 16]
        if not rows:
            return Verdict("not measured", "-", None)
        parts = [f"{r['server']} {r['requests_per_s']:,.0f} req/s, p99 {r['p99_ms']} ms" for r in rows]
        cold = [r for r in rows if r["server"] != "warm"]
        met = all(r["requests_per_s"] >= min_rps and (max_p99 is None or r["p99_ms"] <= max_p99) for r in cold)
        return Verdict("; ".join(parts), _plain(run, 16), met)
    return judge


def _aggregates(run: Run) -> Verdict:
    medians = _get(run, "aggregates", "median_ms")
    if not medians:
        return Verdict("not measured", "-", None)
    kept, first = medians.get("graphql_kept"), medians.get("graphql")
    return Verdict(f"{kept} ms kept (every request after the first of a publication); {first} ms first request",
                   f"live aggregation {medians['live']:,} ms", kept is not None and kept <= 50)


def _sparql(run: Run) -> Verdict:
    queries = _get(run, "sparql_http", "queries")
    if not queries:
        return Verdict("not measured", "-", None)
    parts = [f"{name.split('-')[0].upper()} {row['http_ms']} ms (bound {row['bound_ms']})"
             for name, row in queries.items()]
    floor = next(iter(queries.values()))["floor_ms"]
    return Verdict("; ".join(parts), f"in-process + HTTP floor {floor} ms",
                   all(row["met"] for row in queries.values()))


TARGETS = (
    Target("Build 10^6: load + validate + publish", "≤ 30 s, ≤ 1.5 GiB", ("1e6",), _build(30, 1.5)),
    Target("Build 10^7", "≤ 5 min, ≤ 4 GiB", ("1e7",), _build(300, 4)),
    Target("Incremental validation of 10 facts", "≤ 100 ms, same report", ("1e5", "1e6"), _incremental),
    Target("GraphQL entity lookup (c=16)", "≥ 3,000 req/s", ("1e5", "1e6"), _graphql("GraphQL lookup", 3000, None)),
    Target("GraphQL 50-item nested page (c=16)", "≥ 400 req/s, p99 ≤ 50 ms", ("1e6",),
           _graphql("GraphQL 50-item", 400, 50)),
    Target("Aggregates page (GraphQL, in-process)", "≤ 50 ms at 10^7", ("1e6", "1e7"), _aggregates),
    Target("SPARQL Q1–Q4 through /sparql", "≤ 1.2 × in-process + HTTP floor", ("1e5", "1e6"), _sparql),
)


def targets_markdown(runs: dict[str, Run]) -> str:
    """The targets table: a row per target and measured size (warm = answered by the response cache)."""
    lines = ["## Targets (issue 5)", "",
             "| target | size | bound | measured | baseline (same run) | met |", "|---|---|---|---|---|---|"]
    for target in TARGETS:
        for size in target.sizes:
            if size not in runs:
                continue
            verdict = target.judge(runs[size])
            met = {True: "yes", False: "**no**", None: "-"}[verdict.met]
            lines.append(f"| {target.name} | {size} | {target.bound} | {verdict.measured} | {verdict.baseline} "
                         f"| {met} |")
    return "\n".join(lines) + "\n"
