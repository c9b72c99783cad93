"""Markdown tables of a bench run (bench/out/results.md): Oxigraph (on-disk store) beside rdflib, with ratios."""

from __future__ import annotations

from typing import Any

__all__ = ["results_markdown"]

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
    v = run.get("validate")
    if not v:
        return []
    if "timeout" in v:
        return [f"| {size} | timed out after {v['timeout']} s | | | | |"]
    return [f"| {size} | {v.get('parse_s')} | {v.get('infer_s')} ({v.get('inferred')} triples) | {v.get('shacl_s')} "
            f"| {_mib(v.get('peak_kib'))} | {v.get('violations')} / {v.get('warnings')} |"]


def results_markdown(runs: dict[str, dict[str, Any]], header: str) -> str:
    """The results page: load, queries and validation tables, one row per size."""
    lines = [header, "", "## Load (seconds / peak RSS of the process after loading)", "",
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
              "| size | parse | inference | SHACL | peak MiB | violations / warnings |", "|---|---|---|---|---|---|"]
    for size, run in runs.items():
        lines += _validate_rows(size, run)
    failures = [f"- {size} {step}: {info}" for size, run in runs.items()
                for step, info in run.get("errors", {}).items()]
    if failures:
        lines += ["", "## Steps that failed", "", *failures]
    return "\n".join(lines) + "\n"
