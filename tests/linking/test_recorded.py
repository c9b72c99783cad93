"""Identifiers recorded from cited public pages (kg/data/reference/recorded-identifiers.csv) as a reference
dataset: read, checked and matched like the other offline tables. The rows written here are fictional."""

import datetime as dt

import pytest

from kg.errors import LinkError
from kg.linking.linker import link_subjects
from kg.linking.records import Verdict
from kg.linking.reference import RECORDED_COLUMNS, RecordedIdentifiers, read_recorded
from kg.linking.run import offline_sources
from kg.linking.subjects import subjects_from_graph

HEADER = ",".join((*RECORDED_COLUMNS, "evidence"))
ROW = (
    "siren,999999991,EXEMPLE BATTERIES,Exemple Batteries SAS,company,FR,"
    "https://example.org/fictional-register-page,a fictional row for tests,2026-11-25"
)


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "recorded.csv"
    path.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    return path


def test_a_recorded_identifier_links_an_organisation_by_its_recorded_names(sample_graph, table):
    run = link_subjects(subjects_from_graph(sample_graph), {"siren": [RecordedIdentifiers("siren", table)]})
    sure = {d.subject.slug: d for d in run.by_verdict(Verdict.SURE)}
    best = sure["exemple-batteries"].best
    assert (best.candidate.notation, best.candidate.dataset) == ("999999991", "recorded")
    assert "https://example.org/fictional-register-page" in best.candidate.description
    assert not [d for d in run.decisions if d.subject.kind == "place" and d.verdict is not Verdict.NONE]


def test_offline_sources_ask_the_recorded_table_for_its_schemes(table):
    sources = offline_sources(recorded=table)
    assert [type(s).__name__ for s in sources["siren"]] == ["RecordedIdentifiers"]
    assert "lei" not in sources


def test_read_recorded_refuses_a_row_without_its_source(tmp_path):
    path = tmp_path / "recorded.csv"
    path.write_text(f"{HEADER}\n{ROW.replace('https://example.org/fictional-register-page', '')}\n")
    with pytest.raises(LinkError, match=r"recorded.csv:2: .*source_url"):
        read_recorded(path)


def test_read_recorded_refuses_an_identifier_its_scheme_rejects(tmp_path):
    path = tmp_path / "recorded.csv"
    path.write_text(f"{HEADER}\n{ROW.replace('999999991', '99999999')}\n")
    with pytest.raises(LinkError, match="'99999999' is not a valid siren identifier"):
        read_recorded(path)


def test_shipped_recorded_identifiers_each_cite_a_page_and_the_day_it_was_read():
    rows = read_recorded(RecordedIdentifiers("siren").path)
    assert rows
    for row in rows:
        assert row["source_url"].startswith("https://") and row["evidence"]
        assert dt.date.fromisoformat(row["retrieved"]) <= dt.date.today()


PAGE = "https://example.org/fictional-register-page"


def _recorded_links(folder):
    from rdflib import Graph, URIRef

    from kg.namespaces import ADMS, DCTERMS

    graph = Graph().parse(folder / "recorded.ttl", format="turtle")
    company = URIRef("https://w3id.org/eu-industrial-kg/id/company/exemple-batteries")
    return graph, graph.value(graph.value(company, ADMS.identifier), DCTERMS.source)


def test_a_recorded_link_cites_its_page_as_dct_source_and_keeps_it(sample_graph, table, tmp_path, minter):
    from kg.linking.datasets import load_datasets
    from kg.linking.run import link_graph
    from kg.linking.writer import read_links

    TODAY = dt.date(2026, 11, 25)
    sources = {"siren": [RecordedIdentifiers("siren", table)]}
    link_graph(sample_graph, sources, tmp_path, minter, today=TODAY)
    _, page = _recorded_links(tmp_path)
    assert str(page) == PAGE
    (link,) = read_links(tmp_path / "recorded.ttl", load_datasets(today=TODAY))
    assert link.source == PAGE


def test_a_recorded_link_made_before_pages_were_written_gets_its_page(sample_graph, table, tmp_path, minter):
    from dataclasses import replace

    from kg.linking.datasets import load_datasets
    from kg.linking.run import link_graph
    from kg.linking.writer import read_links, write_links

    TODAY = dt.date(2026, 11, 25)
    sources = {"siren": [RecordedIdentifiers("siren", table)]}
    link_graph(sample_graph, sources, tmp_path, minter, today=TODAY)
    datasets = load_datasets(today=TODAY)
    (link,) = read_links(tmp_path / "recorded.ttl", datasets)
    write_links(tmp_path, [replace(link, source=None)], minter, datasets)  # a file from before
    assert _recorded_links(tmp_path)[1] is None
    graph = sample_graph + _recorded_links(tmp_path)[0]  # the company now holds its SIREN: nothing new to link
    link_graph(graph, sources, tmp_path, minter, today=TODAY)
    assert str(_recorded_links(tmp_path)[1]) == PAGE
