import gzip
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli.app import app
from kg.config import Settings
from kg.namespaces import Minter
from kg.store import publish, write_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def test_cli_import_release_and_diff(tmp_path):
    settings = Settings(data_dir=tmp_path)
    minter = Minter(settings.base_iri)
    curated = Graph().parse(FIXTURES / "linking" / "curated-sample.ttl", format="turtle")
    publish(settings, write_store(settings, "b1", {minter.graph("curated"): [curated]}))
    common = ["--data-dir", str(tmp_path)]
    assert runner.invoke(app, [*common, "release", "1"]).exit_code == 0
    imported = runner.invoke(
        app, [*common, "import", "cordis", str(FIXTURES / "imports" / "cordis"), "--downloaded", "2026-11-25"]
    )
    assert imported.exit_code == 0, imported.output
    nt = tmp_path / "imports" / "cordis-horizon.nt"
    publish(
        settings,
        write_store(
            settings, "b2", {minter.graph("curated"): [curated], minter.graph("import/cordis-horizon"): [nt]}
        ),
    )
    assert runner.invoke(app, [*common, "release", "2"]).exit_code == 0
    again = runner.invoke(app, [*common, "release", "2"])
    assert again.exit_code == 1 and "already exists" in again.output
    diff = runner.invoke(app, [*common, "diff", "1", "2"])
    assert diff.exit_code == 0 and "facts: +22 -0 ~0" in diff.stdout


def test_cli_import_unknown_kind_is_an_error(tmp_path):
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "import", "fts", str(FIXTURES / "imports"),
                                 "--downloaded", "2026-11-25"])
    assert result.exit_code == 1 and "unknown import kind" in result.output


@pytest.fixture(scope="module")
def built_release(tmp_path_factory) -> Path:
    """A release of the real curated graph (which has decimal amounts and dates), as `kg release` writes it."""
    data = tmp_path_factory.mktemp("data")
    common = ["--data-dir", str(data)]
    assert runner.invoke(app, [*common, "build", "--quiet"]).exit_code == 0
    assert runner.invoke(app, [*common, "release", "0.1.0"]).exit_code == 0
    return data


@pytest.mark.parametrize("dump", ["eu-industrial-kg.ttl", "eu-industrial-kg.jsonld"])
def test_cli_diff_of_two_dumps_of_one_release_finds_no_change(built_release, dump):
    folder = built_release / "releases" / "0.1.0"
    assert '"176"^^<http://www.w3.org/2001/XMLSchema#decimal>' in gzip.decompress(
        (folder / "eu-industrial-kg.nt.gz").read_bytes()).decode()  # written 176.0 in the Turtle dump
    result = runner.invoke(app, ["--data-dir", str(built_release), "diff", str(folder / dump), "0.1.0"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == ["triples: +0 -0", "entities: +0 -0", "facts: +0 -0 ~0",
                                              "links: +0 -0"]


def test_cli_diff_of_a_damaged_dump_names_file_and_line(built_release, tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"open .\n")
    result = runner.invoke(app, ["--data-dir", str(built_release), "diff", str(bad), "0.1.0"])
    assert result.exit_code == 1 and f"{bad}:2" in result.output and "Traceback" not in result.output
    cut = tmp_path / "cut.nt.gz"
    cut.write_bytes((built_release / "releases" / "0.1.0" / "eu-industrial-kg.nt.gz").read_bytes()[:500])
    result = runner.invoke(app, ["--data-dir", str(built_release), "diff", str(cut), "0.1.0"])
    assert result.exit_code == 1 and "the dump cannot be read" in result.output


@pytest.mark.parametrize("args, message", [
    (["diff", "./nonexistent.nt", "0.1.0"], "no such dump file ./nonexistent.nt"),
    (["diff", "0.1.0", "9.9.9"], "no release 9.9.9"),
    (["release", "../evil"], "bad release version '../evil'"),
])
def test_cli_release_arguments_naming_nothing_are_usage_errors(built_release, args, message):
    result = runner.invoke(app, ["--data-dir", str(built_release), *args])
    assert result.exit_code == 2 and message in result.output
    assert "kg build" not in result.output and "fix the file" not in result.output
