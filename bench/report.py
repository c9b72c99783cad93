"""Markdown tables of a bench run (bench/out/results.md): Oxigraph (on-disk store) beside rdflib, with ratios."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["results_markdown"]

RowsOf = Callable[[str, dict[str, Any]], list[str]]
"""Markdown rows of one table for one size's run."""

QUERY_TITLES = {"q1-lookup": "Q1 lookup", "q2-page-sum": "Q2 page+sum", "q3-join": "Q3 2-hop join",
                "q4-group-by": "Q4 group-by"}


def _mib(kib: float | None) -> str:
    return "-" if not kib else f"{kib / 1024:.0f}"


def _ratio(slow: float | None, fast: float | None) -> str:
    if not slow or not fast:
        return "-"
    return f"×{slow / fast:.1f}" if slow >= fast else f"×1/{fast / slow:.1f}"


def _load_rows(size: str, run: dict[str, Any]) -> list[str]:
    ox, rd = run.get("oxigraph", {}), run.get("rdflib", {})
    return [f"| {size} | {ox.get('triples', '-')} | {ox.get('load_s', '-')} s / {_mib(ox.get('load_peak_kib'))} MiB "
            f"({ox.get('disk_mib', '-')} MiB disk) | {rd.get('load_s', '-')} s / {_mib(rd.get('load_peak_kib'))} MiB "
            f"| {_ratio(rd.get('load_s'), ox.get('load_s'))} | {_ratio(rd.get('load_peak_kib'), ox.get('load_peak_kib'))} |"]


def _cell(result: Any) -> tuple[float | None, Any, str]:
    """(median ms, rows, shown text) of one engine's query result: a [ms, rows, runs] list or a note."""
    if isinstance(result, list):
        return result[0], result[1], str(result[0])
    return None, "-", str(result or "-")


def _query_rows(size: str, run: dict[str, Any]) -> list[str]:
    rows = []
    engines = [run.get(e, {}) for e in ("oxigraph", "rdflib", "virtuoso")]
    for name, title in QUERY_TITLES.items():
        (o_ms, o_rows, o_text), (r_ms, r_rows, r_text), (v_ms, v_rows, v_text) = (_cell(e.get(name)) for e in engines)
        counts = {n for n in (o_rows, r_rows, v_rows) if n != "-"}
        same = "" if len(counts) <= 1 else " **rows differ**"
        rows.append(f"| {title} | {size} | {o_text} | {r_text} | {_ratio(r_ms, o_ms)} | {v_text} | {_ratio(v_ms, o_ms)} "
                    f"| {o_rows} / {r_rows} / {v_rows}{same} |")
    return rows


def _validate_rows(size: str, run: dict[str, Any]) -> list[str]:
    rows = []
    for step in ("validate", "validate_pyshacl"):
        v = run.get(step)
        if not v:
            continue
        engine = v.get("shacl_engine", "pyshacl" if step == "validate_pyshacl" else "turbo")
        if "timeout" in v:
            rows.append(f"| {size} | {engine} | timed out after {v['timeout']} s | | | | |")
            continue
        rows.append(f"| {size} | {engine} | {v.get('parse_s')} | {v.get('infer_s')} ({v.get('inferred')} triples) "
                    f"| {v.get('shacl_s')} | {_mib(v.get('peak_kib'))} | {v.get('violations')} / {v.get('warnings')} |")
    return rows


def _step_row(step: str, required: str, cells: Callable[[dict[str, Any]], list[Any]]) -> RowsOf:
    """Rows of one step's figures: a single row per size, none when the step (or its key figure) is missing."""
    def rows(size: str, run: dict[str, Any]) -> list[str]:
        data = run.get(step)
        if not data or required not in data:
            return []
        return ["| " + " | ".join(str(cell) for cell in [size, *cells(data)]) + " |"]
    return rows


_store_rows = _step_row("store", "build_s", lambda b: [
    b.get("triples"), b.get("load_s"), b.get("infer_s"), b.get("aggregate_s"), b.get("store_s"), b.get("build_s"),
    _mib(b.get("peak_kib"))])
_incremental_rows = _step_row("incremental", "median_ms", lambda i: [
    i.get("median_ms"), i.get("p90_ms", "-"), i.get("full_ms", "-"), i.get("same_report", "-")])
_aggregate_rows = _step_row("aggregates", "median_ms", lambda a: [
    a.get("total_count"), *(a["median_ms"].get(k) for k in ("live", "materialised", "graphql", "graphql_kept")),
    f"×{a.get('live_over_materialised')}"])


def _sparql_http_rows(size: str, run: dict[str, Any]) -> list[str]:
    queries = (run.get("sparql_http") or {}).get("queries") or {}
    return [f"| {name} | {size} | {q['in_process_ms']} | {q['http_ms']} | {q['floor_ms']} | ×{q['ratio']} "
            f"| {'yes' if q['met'] else '**no**'} |" for name, q in queries.items()]


def _api_rows(size: str, run: dict[str, Any]) -> list[str]:
    return [f"| {r['endpoint']} | {size} | {r['server']} | {r.get('connections', '')} | {r.get('requests_per_s', '')} "
            f"| {r.get('x_plain', '')} | {r.get('p50_ms', '')} | {r.get('p99_ms', '')} | {r.get('errors', r.get('note'))} |"
            for r in (run.get("api") or {}).get("results", [])]


SECTIONS = (
    ("Build inside Oxigraph without SHACL (bench/stores.py, seconds)",
     "| size | triples | load | inference | aggregates | copy to disk store | total | peak |", _store_rows),
    ("Incremental validation of 10 changed facts (bench/incremental.py, ms)",
     "| size | median | p90 | full validation | same report as full |", _incremental_rows),
    ("Aggregates page: 20 largest EUR investment totals per company (bench/aggregates.py, median ms)",
     "| size | totals | live aggregation | materialised query | GraphQL first request | GraphQL kept | live/materialised |",
     _aggregate_rows),
    ("SPARQL through /sparql beside in-process (bench/sparql_http.py, median ms)",
     "| query | size | in-process | /sparql | HTTP floor | (http−floor)/in | within 1.2× |", _sparql_http_rows),
    ("HTTP on loopback (bench/api.py; warm = response cache, cold = cache off, uncached = kept orders off too)",
     "| endpoint | size | server | connections | req/s | × plain | p50 ms | p99 ms | errors |", _api_rows),
)


def _section(runs: dict[str, dict[str, Any]], title: str, header: str, rows_of: Any) -> list[str]:
    rows = [row for size, run in runs.items() for row in rows_of(size, run)]
    if not rows:
        return []
    return ["", f"## {title}", "", header, "|" + "---|" * (header.count("|") - 1), *rows]


def results_markdown(runs: dict[str, dict[str, Any]], header: str, targets: str = "") -> str:
    """The results page: the targets, then load, queries, validation, build, API tables, one row per size."""
    lines = [header, "", *([targets] if targets else []), "## Load (seconds / peak RSS of the process after loading)", "",
             "| size | triples | pyoxigraph on-disk store (kg.store.write_store) | rdflib Graph().parse | "
             "time rdflib/ox | memory rdflib/ox |", "|---|---|---|---|---|---|"]
    for size, run in runs.items():
        lines += _load_rows(size, run)
    lines += ["", "## SPARQL (median ms after one warm-up; rows materialised)", "",
              "| query | size | pyoxigraph | rdflib | rdflib/ox | Virtuoso (HTTP) | Virtuoso/ox | rows ox / rdflib / virt |",
              "|---|---|---|---|---|---|---|---|"]
    for size, run in runs.items():
        lines += _query_rows(size, run)
    virtuoso = [f"| {size} | {v['triples']} | {v['load_s']} s | {_mib(v['server_kib']['VmRSS'])} / "
                f"{_mib(v['server_kib']['VmHWM'])} MiB |" for size, run in runs.items()
                if (v := run.get("virtuoso")) and "load_s" in v]
    if virtuoso:
        lines += ["", "## Virtuoso bulk load (scripts/virtuoso/load.sh: ld_dir + rdf_loader_run + checkpoint)", "",
                  "| size | triples | load | server RSS / peak |", "|---|---|---|---|", *virtuoso]
    lines += ["", "## Inference + full SHACL validation (kg.build.check_data, seconds)", "",
              "| size | engine | parse | inference | SHACL | peak | violations / warnings |",
              "|---|---|---|---|---|---|---|"]
    for size, run in runs.items():
        lines += _validate_rows(size, run)
    for title, columns, rows_of in SECTIONS:
        lines += _section(runs, title, columns, rows_of)
    failures = [f"- {size} {step}: {info}" for size, run in runs.items()
                for step, info in run.get("errors", {}).items()]
    if failures:
        lines += ["", "## Steps that failed", "", *failures]
    return "\n".join(lines) + "\n"
