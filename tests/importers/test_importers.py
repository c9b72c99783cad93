import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from kg import namespaces as ns
from kg.cli.app import app
from kg.config import Settings
from kg.errors import MappingError, SourceError
from kg.importers import import_file
from kg.importers.cordis import read_cordis
from kg.importers.eurohpc import read_ai_factories
from kg.importers.kohesio import read_kohesio
from kg.namespaces import EIP, PROV, RDF, RDFS, SCHEMA
from kg.validate import validate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
DAY = dt.date(2026, 11, 25)
BASE = "https://w3id.org/eu-industrial-kg/"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture(scope="module")
def cordis_graph(tmp_path_factory) -> Graph:
    result = import_file(
        "cordis", FIXTURES / "cordis", Settings(data_dir=tmp_path_factory.mktemp("d")), downloaded=DAY
    )
    return Graph().parse(result.path, format="nt")


def test_read_cordis_reads_projects_and_participants_by_column_name():
    records = read_cordis(FIXTURES / "cordis" / "project.csv", DAY)
    ids = {e.id for e in records.entities}
    assert {"cordis-999999001", "cordis-999999002", "cordis-org-999999991", "horizon-europe"} <= ids
    assert records.dataset.version == "2025-06-01" and records.dataset.downloaded == DAY


def test_read_cordis_reads_comma_decimals():
    records = read_cordis(FIXTURES / "cordis", DAY)
    funding = [f.value for f in records.facts if f.property == "project_eu_funding"]
    assert 4250000.5 in funding


def test_read_cordis_refuses_a_table_without_its_columns(tmp_path):
    (tmp_path / "project.csv").write_text("id;acronym\n1;X\n")
    (tmp_path / "organization.csv").write_text("projectID\n1\n")
    with pytest.raises(SourceError, match="columns missing"):
        read_cordis(tmp_path, DAY)


def test_cordis_import_cites_the_dataset_with_version_and_download_date(cordis_graph):
    dataset = URIRef(BASE + "id/dataset/cordis-horizon-2025-06-01")
    assert (dataset, RDF.type, EIP.Dataset) in cordis_graph
    assert cordis_graph.value(dataset, EIP.retrievedAt) == Literal("2026-11-25", datatype=ns.XSD.date)
    claims = set(cordis_graph.subjects(EIP.sourceProperty, None))
    assert claims and all((c, PROV.wasDerivedFrom, dataset) in cordis_graph for c in claims)


def test_cordis_import_maps_partners_and_eu_funding(cordis_graph):
    project = URIRef(BASE + "id/organisation/cordis-999999001")
    assert (project, EIP.partner, URIRef(BASE + "id/company/cordis-org-999999991")) in cordis_graph
    amounts = {str(v) for v in cordis_graph.objects(None, SCHEMA.value)}
    assert "4250000.5" in amounts


def test_import_writes_the_file_atomically_under_imports(settings):
    result = import_file(
        "eurohpc-ai-factories", FIXTURES / "eurohpc-ai-factories.csv", settings, downloaded=DAY
    )
    assert result.path == settings.data_dir / "imports" / "eurohpc-ai-factories.nt"
    assert not [p for p in result.path.parent.iterdir() if p.name.endswith(".tmp")]
    graph = Graph().parse(result.path, format="nt")
    assert (URIRef(BASE + "id/facility/eurohpc-bsc-aif-ai-factory-spain"), RDF.type, EIP.AIFactory) in graph


def test_read_ai_factories_refuses_a_bad_date(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "name;country;host;site;batch;selectionDate;supercomputer;source\nX;FR;;;1;10/12/2024;;\n"
    )
    with pytest.raises(SourceError, match="list.csv:2"):
        read_ai_factories(path, DAY)


def test_import_file_refuses_an_unknown_kind(settings):
    with pytest.raises(SourceError, match="unknown import kind"):
        import_file("fts", FIXTURES / "cordis", settings, downloaded=DAY)


KOHESIO = FIXTURES / "kohesio" / "FR-pp21-27-20990101.csv"


@pytest.fixture(scope="module")
def kohesio_graph(tmp_path_factory) -> Graph:
    result = import_file("kohesio", KOHESIO, Settings(data_dir=tmp_path_factory.mktemp("k")), downloaded=DAY)
    return Graph().parse(result.path, format="nt")


def _facts(records, subject: str) -> dict:
    return {f.property: f for f in records.facts if f.subject == subject}


def test_read_kohesio_takes_country_period_and_snapshot_from_the_file_name():
    info = read_kohesio(KOHESIO, DAY).dataset
    assert (info.name, info.version, info.downloaded) == ("kohesio-fr-pp21-27", "2099-01-01", DAY)
    assert info.title == "Kohesio - EU cohesion policy projects, 2021-2027, France"


def test_read_kohesio_reads_quoted_multiline_cells_as_one_row_each():
    records = read_kohesio(KOHESIO, DAY)
    operations = sorted(e.id for e in records.entities if e.id.startswith("kohesio-q"))
    assert operations == ["kohesio-q999999101", "kohesio-q999999102", "kohesio-q999999103"]
    lines = sorted({f.location.line for f in records.facts})
    assert lines == [3, 4, 5]  # the first row's summary spans lines 2-3


def test_read_kohesio_converts_day_month_year_dates_and_plans_the_end():
    facts = _facts(read_kohesio(KOHESIO, DAY), "kohesio-q999999101")
    assert (facts["project_start"].value, facts["project_start"].qualifier) == ("2024-03-01", "exact")
    assert (facts["project_end"].value, facts["project_end"].qualifier) == ("2027-12-31", "planned")
    later = _facts(read_kohesio(KOHESIO, DAY), "kohesio-q999999102")
    assert later["project_start"].qualifier == "planned" and "project_end" not in later


def test_read_kohesio_keeps_amounts_rate_and_place_as_stated():
    facts = _facts(read_kohesio(KOHESIO, DAY), "kohesio-q999999101")
    assert (facts["project_total_cost"].value, facts["project_total_cost"].unit) == (2500000.5, "EUR")
    assert facts["operation_eu_budget"].value == 1500000.3
    assert facts["cofinancing_rate"].value == 60
    assert facts["located_in"].value == "Lille, Nord, NUTS FRE11, France"
    several = _facts(read_kohesio(KOHESIO, DAY), "kohesio-q999999102")["located_in"].value
    assert several == "Lille, Arras, Nord, Pas-de-Calais, NUTS FRE11, NUTS FRE12, France"


def test_read_kohesio_names_an_operation_without_english_name_by_its_id():
    records = read_kohesio(KOHESIO, DAY)
    entity = next(e for e in records.entities if e.id == "kohesio-q999999102")
    assert entity.names == {"en": "Kohesio operation Q999999102"}
    title = _facts(records, "kohesio-q999999102")["project_title"].value
    assert title == "OPÉRATION DE TEST FICTIVE : formation"


def test_read_kohesio_skips_the_beneficiary_of_a_row_without_one():
    records = read_kohesio(KOHESIO, DAY)
    assert "partner" not in _facts(records, "kohesio-q999999103")
    assert {e.id for e in records.entities if e.id.startswith("kohesio-beneficiary")} == {
        "kohesio-beneficiary-q999999901"
    }


def test_kohesio_import_passes_the_shapes_and_cites_the_dataset(kohesio_graph):
    assert validate(kohesio_graph, Settings()).conforms
    dataset = URIRef(BASE + "id/dataset/kohesio-fr-pp21-27-2099-01-01")
    assert kohesio_graph.value(dataset, EIP.retrievedAt) == Literal("2026-11-25", datatype=ns.XSD.date)
    assert str(kohesio_graph.value(dataset, ns.DCAT.landingPage)) == "https://kohesio.ec.europa.eu/en/data"
    claims = set(kohesio_graph.subjects(EIP.sourceProperty, None))
    assert claims and all((c, PROV.wasDerivedFrom, dataset) in kohesio_graph for c in claims)


def test_kohesio_import_links_beneficiary_and_fund(kohesio_graph):
    beneficiary = URIRef(BASE + "id/organisation/kohesio-beneficiary-q999999901")
    operations = set(kohesio_graph.subjects(EIP.partner, beneficiary))
    assert operations == {URIRef(BASE + f"id/organisation/kohesio-q99999910{i}") for i in (1, 2)}
    fund = URIRef(BASE + "id/fund/kohesio-fund-erdf")
    assert (fund, RDF.type, EIP.Fund) in kohesio_graph
    assert (URIRef(BASE + "id/organisation/kohesio-q999999101"), EIP.fundedBy, fund) in kohesio_graph
    assert kohesio_graph.value(fund, RDFS.label) == Literal("European Regional Development Fund", lang="en")


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    path = tmp_path / name
    text = KOHESIO.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_read_kohesio_refuses_a_file_without_its_columns(tmp_path):
    path = _variant(tmp_path, "FR-pp21-27-20990101.csv", '"Beneficiary_Name"', '"Beneficiary"')
    with pytest.raises(SourceError, match=r"columns missing: \['Beneficiary_Name'\]"):
        read_kohesio(path, DAY)


def test_read_kohesio_names_the_line_of_a_bad_identifier(tmp_path):
    path = _variant(tmp_path, "FR-pp21-27-20990101.csv", "entity/Q999999102", "entity/X2")
    with pytest.raises(SourceError, match="Operation_Unique_Identifier") as caught:
        read_kohesio(path, DAY)
    assert "FR-pp21-27-20990101.csv:4" in str(caught.value)


def test_read_kohesio_refuses_an_impossible_date(tmp_path):
    path = _variant(tmp_path, "FR-pp21-27-20990101.csv", "31/12/2027", "31/02/2027")
    with pytest.raises(SourceError, match="'31/02/2027' is not a date"):
        read_kohesio(path, DAY)


def test_read_kohesio_needs_the_snapshot_date(tmp_path):
    path = _variant(tmp_path, "projects.csv", "FICTIONAL", "FICTIONAL")
    with pytest.raises(SourceError, match="snapshot date"):
        read_kohesio(path, DAY)
    assert read_kohesio(path, DAY, "2099-01-02").dataset.version == "2099-01-02"


def test_kohesio_import_refuses_a_currency_the_mapping_cannot_convert(settings, tmp_path):
    path = _variant(tmp_path, "FR-pp21-27-20990101.csv", '"EUR"', '"SEK"')
    with pytest.raises(MappingError, match="wrong unit 'SEK'"):
        import_file("kohesio", path, settings, downloaded=DAY)
    assert not (settings.data_dir / "imports").exists()


def test_cli_imports_a_kohesio_export_and_names_what_it_wrote(tmp_path):
    args = ["--data-dir", str(tmp_path), "import", "kohesio", str(KOHESIO), "--downloaded", "2026-11-25"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "kohesio-fr-pp21-27.nt" in result.output and "8 entities, 25 facts" in result.output
    assert (tmp_path / "imports" / "kohesio-fr-pp21-27.nt").stat().st_size > 0


def test_read_cordis_refuses_a_truncated_row_naming_file_and_line(tmp_path):
    for table in ("project.csv", "organization.csv"):
        (tmp_path / table).write_bytes((FIXTURES / "cordis" / table).read_bytes())
    lines = (tmp_path / "project.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = ";".join(lines[2].split(";")[:5]) + "\n"  # the second project cut after its fifth field
    (tmp_path / "project.csv").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SourceError, match="5 fields where the header has 20") as caught:
        read_cordis(tmp_path, DAY)
    assert caught.value.location == "project.csv:3"


def test_read_kohesio_refuses_a_ragged_row_naming_file_and_line(tmp_path):
    text = KOHESIO.read_text(encoding="utf-8-sig")
    path = tmp_path / KOHESIO.name
    path.write_text(text.rstrip("\n") + ',"one field too many"\n', encoding="utf-8")  # on the last row
    with pytest.raises(SourceError, match="fields where the header has") as caught:
        read_kohesio(path, DAY)
    assert caught.value.location == f"{KOHESIO.name}:{text.rstrip(chr(10)).count(chr(10)) + 1}"


def test_cli_import_needs_the_download_date(tmp_path):
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "import", "kohesio", str(KOHESIO)])
    assert result.exit_code == 2 and "--downloaded" in result.output
    assert not (tmp_path / "imports").exists()


def test_cli_import_refuses_a_download_date_in_the_future(tmp_path):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    args = ["--data-dir", str(tmp_path), "import", "kohesio", str(KOHESIO), "--downloaded", tomorrow]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and f"the download date {tomorrow} is in the future" in result.output
    assert not (tmp_path / "imports").exists()


def test_import_file_refuses_a_download_date_in_the_future(settings):
    with pytest.raises(SourceError, match="in the future"):
        import_file("kohesio", KOHESIO, settings, downloaded=dt.date.today() + dt.timedelta(days=1))
    assert not (settings.data_dir / "imports").exists()
