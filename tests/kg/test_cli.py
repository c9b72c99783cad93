from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli.app import app
from kg.config import Settings
from kg.store import published_path
from tests.kg.storetools import ID, FakeProblem, FakeReport, mini_graph, mini_settings, use_mini_pipeline

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return mini_settings(tmp_path)


def kg(settings: Settings, *args: str, input: str | None = None):
    options = ["--data-dir", str(settings.data_dir), "--ontology-dir", str(settings.ontology_dir)]
    return runner.invoke(app, [*options, *args], input=input)


@pytest.fixture
def built(settings: Settings, monkeypatch) -> Settings:
    use_mini_pipeline(monkeypatch)
    result = kg(settings, "build", "--quiet")
    assert result.exit_code == 0, result.output
    return settings


def test_help_lists_commands_and_exit_codes() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for word in ("build", "validate", "query", "export", "stats", "ontology", "serve", "Exit codes", "store"):
        assert word in result.stdout


@pytest.mark.parametrize("command", [["build"], ["validate"], ["query"], ["export"], ["stats"], ["ontology"],
                                     ["ontology", "check"], ["serve"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_no_arguments_shows_usage() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code in (0, 2)
    assert "Usage" in result.output


def test_unknown_option_exits_2(settings: Settings) -> None:
    assert kg(settings, "build", "--no-such-option").exit_code == 2


def test_build_prints_summary_on_stdout_and_progress_on_stderr(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    result = kg(settings, "build")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("published ")
    assert "curated" in result.stderr and "inferred" in result.stderr
    assert published_path(settings) is not None


def test_build_json_summary(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    summary = json.loads(kg(settings, "build", "-q", "--format", "json").stdout)
    assert summary["triples"]["curated"] == len(mini_graph())


def test_build_with_violations_exits_1_and_publishes_nothing(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch, FakeReport(violations=[FakeProblem(ID + "fact/x", "amount is missing")]))
    result = kg(settings, "build", "-q")
    assert result.exit_code == 1
    assert "amount is missing" in result.stderr
    assert "nothing was published" in result.stderr
    assert "Traceback" not in result.output
    assert published_path(settings) is None


def test_build_rollback_republishes_previous(built: Settings, monkeypatch) -> None:
    first = published_path(built)
    assert kg(built, "build", "-q").exit_code == 0
    result = kg(built, "build", "--rollback")
    assert result.exit_code == 0
    assert published_path(built) == first


def test_query_table_compacts_iris(built: Settings) -> None:
    result = kg(built, "query", f"SELECT ?place WHERE {{ <{ID}facility/verkor-2-3> eip:within ?place }} "
                                "ORDER BY ?place")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "id:place/dunkirk", "id:place/france", "id:place/hauts-de-france"]


def test_query_csv_and_json_formats(built: Settings) -> None:
    query = "SELECT ?claim WHERE { ?claim eip:disputed true }"
    csv = kg(built, "query", query, "--format", "csv").stdout.splitlines()
    assert csv[0] == "claim" and len(csv) == 3
    data = json.loads(kg(built, "query", query, "--format", "json").stdout)
    assert len(data["results"]["bindings"]) == 2


def test_query_ask_and_construct(built: Settings) -> None:
    assert kg(built, "query", "ASK { ?s eip:hasClaim ?c }").stdout == "true\n"
    turtle = kg(built, "query", "CONSTRUCT WHERE { ?s eip:hasClaim ?c }").stdout
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == 7


def test_query_from_file_stdin_and_named_query(built: Settings, tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?c eip:disputed true }")
    assert kg(built, "query", f"@{path}", "--format", "csv").stdout.splitlines()[1] == "2"
    assert kg(built, "query", "-", "--format", "csv", input=path.read_text()).stdout.splitlines()[1] == "2"
    named = kg(built, "query", "@stats/disputed-count", "--format", "csv")
    assert named.stdout.splitlines()[1].startswith("2,")


def test_query_bind_substitutes_a_variable(built: Settings) -> None:
    result = kg(built, "query", "@disputed-figures", "--bind", f"subject=<{ID}facility/verkor-2-3>",
                "--format", "json")
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert sorted(r["value"]["value"] for r in rows) == ["4000", "40000"]


def test_query_bad_bind_option_exits_2(built: Settings) -> None:
    result = kg(built, "query", "ASK {}", "--bind", "no-equals-sign")
    assert result.exit_code == 2
    assert "VAR=VALUE" in result.output


def test_query_malformed_exits_2_with_message(built: Settings) -> None:
    result = kg(built, "query", "SELECT WHERE {")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: SPARQL syntax error")
    assert "Traceback" not in result.output


def test_query_unknown_named_query_exits_2(built: Settings) -> None:
    assert kg(built, "query", "@no-such-query").exit_code == 2


def test_query_without_store_exits_3_with_build_hint(settings: Settings) -> None:
    result = kg(settings, "query", "ASK {}")
    assert result.exit_code == 3
    assert "hint: run `kg build`" in result.stderr


@pytest.mark.parametrize(("fmt", "rdf_format", "dataset"), [
    ("nt", "nt", False), ("ttl", "turtle", False), ("jsonld", "json-ld", False), ("trig", "trig", True),
    ("nq", "nquads", True)])
def test_export_writes_parseable_rdf(built: Settings, fmt: str, rdf_format: str, dataset: bool) -> None:
    result = kg(built, "export", "--format", fmt)
    assert result.exit_code == 0, result.output
    parsed = rdflib.Dataset() if dataset else rdflib.Graph()
    parsed.parse(data=result.stdout, format=rdf_format)
    count = len(list(parsed.quads())) if dataset else len(parsed)
    assert f"exported {count} " in result.stderr


def test_export_one_graph_to_a_file(built: Settings, tmp_path: Path) -> None:
    out = tmp_path / "curated.nt"
    result = kg(built, "export", "-f", "nt", "-g", "curated", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(rdflib.Graph().parse(out, format="nt")) == len(mini_graph())


def test_export_into_missing_folder_exits_1_without_traceback(built: Settings, tmp_path: Path) -> None:
    result = kg(built, "export", "-o", str(tmp_path / "nope" / "x.nt"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_stats_json_counts_disputed_claims(built: Settings) -> None:
    result = kg(built, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["disputed_claims"] == 2 and figures["disputed_groups"] == 1
    assert figures["entities_per_class"]["eip:BatteryGigafactory"] == 2
    assert set(figures["triples_per_graph"]) == {"ontology", "curated", "inferred", "aggregates"}


def test_stats_text(built: Settings) -> None:
    result = kg(built, "stats")
    assert "facts per source" in result.stdout
    assert "disputed claims" in result.stdout


def test_validate_turtle_syntax_error_names_file_and_line(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n")
    result = kg(settings, "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.stderr
    assert "Traceback" not in result.output


def test_validate_yaml_syntax_error_names_file_and_line(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "facts.yaml"
    bad.write_text("entities:\n- id: verkor\n  name_en: [Verkor\nfacts: []\n")
    result = kg(settings, "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr
    assert "YAML" in result.stderr


def test_validate_missing_file_exits_1(settings: Settings, tmp_path: Path) -> None:
    result = kg(settings, "validate", str(tmp_path / "missing.ttl"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_validate_reports_violations_with_exit_1(settings: Settings, monkeypatch, tmp_path: Path) -> None:
    use_mini_pipeline(monkeypatch, FakeReport(violations=[FakeProblem("x", "label missing")]))
    data = tmp_path / "data.ttl"
    mini_graph().serialize(data, format="turtle")
    result = kg(settings, "validate", str(data), "-q", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["violations"][0]["message"] == "label missing"


def test_validate_conforming_data_exits_0(settings: Settings, monkeypatch, tmp_path: Path) -> None:
    use_mini_pipeline(monkeypatch)
    data = tmp_path / "data.nt"
    mini_graph().serialize(data, format="nt", encoding="utf-8")
    result = kg(settings, "validate", str(data), "-q")
    assert result.exit_code == 0
    assert result.stdout.strip() == "conforms"


def test_validate_needs_a_path(settings: Settings) -> None:
    assert kg(settings, "validate").exit_code == 2


def test_serve_passes_settings_host_and_port_to_api(settings: Settings, monkeypatch, tmp_path: Path) -> None:
    import api.server

    calls = []
    monkeypatch.setattr(api.server, "run", lambda s, host, port: calls.append((s, host, port)))
    result = kg(settings, "serve", "--port", "8123", "--store", str(tmp_path / "elsewhere"))
    assert result.exit_code == 0, result.output
    served, host, port = calls[0]
    assert (host, port, served.data_dir) == ("127.0.0.1", 8123, tmp_path / "elsewhere")


def test_serve_refuses_a_bad_port(settings: Settings) -> None:
    assert kg(settings, "serve", "--port", "0").exit_code == 2


def test_ontology_check_without_java_exits_1_with_hint(settings: Settings, monkeypatch) -> None:
    from kg import ontology

    monkeypatch.setattr(ontology.shutil, "which", lambda name: None)
    result = kg(settings, "ontology", "check", "--tbox-only")
    assert result.exit_code == 1
    assert "Java" in result.stderr and "hint:" in result.stderr


def _run_kg(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg.cli.app", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_kg_build_subprocess_publishes_the_curated_graph(tmp_path: Path) -> None:
    result = _run_kg("build", data_dir=tmp_path)
    assert "Traceback" not in result.stderr
    assert "curated" in result.stderr  # progress lines
    current = tmp_path / "current"
    assert result.returncode == 0, result.stderr
    assert current.is_symlink() and result.stdout.startswith("published ")
    assert _run_kg("stats", "--format", "json", data_dir=tmp_path).returncode == 0


def test_kg_subprocess_without_store_exits_3(tmp_path: Path) -> None:
    result = _run_kg("stats", data_dir=tmp_path)
    assert result.returncode == 3
    assert "run `kg build`" in result.stderr
