from pathlib import Path

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
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "import", "fts", str(FIXTURES / "imports")])
    assert result.exit_code == 1 and "unknown import kind" in result.output
