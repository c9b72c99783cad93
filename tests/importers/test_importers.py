import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg import namespaces as ns
from kg.config import Settings
from kg.errors import SourceError
from kg.importers import import_file
from kg.importers.cordis import read_cordis
from kg.importers.eurohpc import read_ai_factories
from kg.namespaces import EIP, PROV, RDF, SCHEMA

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
        import_file("kohesio", FIXTURES / "cordis", settings)
