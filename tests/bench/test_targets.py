"""The targets table of a bench run: verdicts follow the figures, unmeasured targets say so."""

from __future__ import annotations

from bench.targets import targets_markdown


def _row(table: str, name: str, size: str) -> list[str]:
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == name and cells[1] == size:
            return cells
    raise AssertionError(f"no row {name} {size} in\n{table}")


def _api(cold_rps: float, p99: float) -> dict:
    row = {"endpoint": "GraphQL 50-item nested page", "connections": 16, "p50_ms": 1, "errors": 0}
    return {"results": [{**row, "server": "warm", "requests_per_s": 5000, "p99_ms": 5},
                        {**row, "server": "cold", "requests_per_s": cold_rps, "p99_ms": p99}]}


def test_a_cold_page_under_its_bound_is_missed_even_when_the_cache_answers_fast() -> None:
    table = targets_markdown({"1e6": {"api": _api(cold_rps=5, p99=900)}})
    assert _row(table, "GraphQL 50-item nested page (c=16)", "1e6")[-1] == "**no**"
    table = targets_markdown({"1e6": {"api": _api(cold_rps=450, p99=40)}})
    assert _row(table, "GraphQL 50-item nested page (c=16)", "1e6")[-1] == "yes"


def test_build_sums_store_and_validation_and_checks_memory() -> None:
    run = {"store": {"build_s": 10.0, "peak_kib": 1_000_000}, "validate": {"parse_s": 5.0, "shacl_s": 10.0,
                                                                         "peak_kib": 1_000_000}}
    assert _row(targets_markdown({"1e6": run}), "Build 10^6: load + validate + publish", "1e6")[-1] == "yes"
    run["validate"]["peak_kib"] = 2_000_000  # 1.9 GiB > 1.5 GiB
    assert _row(targets_markdown({"1e6": run}), "Build 10^6: load + validate + publish", "1e6")[-1] == "**no**"


def test_a_target_without_figures_is_not_measured_rather_than_met() -> None:
    cells = _row(targets_markdown({"1e6": {}}), "Incremental validation of 10 facts", "1e6")
    assert cells[3] == "not measured" and cells[-1] == "-"
