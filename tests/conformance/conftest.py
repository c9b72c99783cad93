"""Prints the W3C SPARQL 1.1 Protocol score at the end of a run that included the manifest tests."""

from __future__ import annotations

import pytest

_RESULTS: dict[str, bool] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "test_protocol_manifest.py::test_protocol" not in report.nodeid:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _RESULTS[report.nodeid] = report.passed


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _RESULTS:
        return
    scores = []
    for kind in ("query", "dataset"):
        ran = {node: ok for node, ok in _RESULTS.items() if f"[{kind}-" in node}
        scores.append(f"{sum(ran.values())}/{len(ran)} {kind} tests")
    terminalreporter.write_line("W3C SPARQL 1.1 Protocol: " + ", ".join(scores) + " passed")
