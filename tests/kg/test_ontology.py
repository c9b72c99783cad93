from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg import ontology
from kg.build import build
from kg.config import Settings
from kg.errors import KgError, SourceError, StoreError
from kg.ontology import abox_for_reasoner, check_consistency, load_ontology_graph
from tests.kg.storetools import mini_settings, use_mini_pipeline

EX = "http://example.org/x#"
HEADER = """@prefix ex: <http://example.org/x#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/x> a owl:Ontology .
ex:A a owl:Class . ex:B a owl:Class ; owl:disjointWith ex:A .
"""


def _ontology_dir(tmp_path: Path, body: str) -> Settings:
    folder = tmp_path / "onto"
    folder.mkdir()
    (folder / "x.ttl").write_text(HEADER + body)
    return Settings(ontology_dir=folder, data_dir=tmp_path / "data")


def test_load_ontology_graph_reads_eip_and_vocabularies() -> None:
    graph = load_ontology_graph(Settings())
    eip = "https://w3id.org/eu-industrial-kg/ontology#"
    assert (URIRef(eip + "Facility"), RDF.type, OWL.Class) in graph
    assert any(graph.subjects(RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme")))


def test_load_ontology_graph_without_turtle_files_raises(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="no ontology found"):
        load_ontology_graph(Settings(ontology_dir=tmp_path))


def test_load_ontology_graph_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    settings = _ontology_dir(tmp_path, "ex:C a owl:Class ;\n")
    with pytest.raises(SourceError) as caught:
        load_ontology_graph(settings)
    assert "x.ttl:" in caught.value.location


def test_abox_for_reasoner_keeps_what_owl_can_take() -> None:
    declarations = "ex:knows a owl:ObjectProperty . ex:age a owl:DatatypeProperty ."
    tbox = rdflib.Graph().parse(data=HEADER + declarations, format="turtle")
    data = rdflib.Graph()
    i, j = URIRef(EX + "i"), URIRef(EX + "j")
    kept = {(i, RDF.type, URIRef(EX + "A")), (i, URIRef(EX + "knows"), j),
            (i, URIRef(EX + "age"), Literal(3))}
    dropped = {(i, RDFS.label, Literal("i")), (i, RDF.type, URIRef(EX + "Undeclared")),
               (i, URIRef(EX + "knows"), Literal("text")), (i, URIRef(EX + "age"), j)}
    for triple in kept | dropped:
        data.add(triple)
    abox, skipped = abox_for_reasoner(data, tbox)
    assert set(abox) == kept
    assert skipped == len(dropped)


def test_check_consistency_without_java_raises_with_install_hint(monkeypatch) -> None:
    monkeypatch.setattr(ontology.shutil, "which", lambda name: None)
    with pytest.raises(KgError) as caught:
        check_consistency(Settings(), include_graph=False)
    assert "java" in caught.value.message.lower()
    assert "install" in caught.value.hint


def test_check_consistency_of_graph_with_nothing_published_raises_store_error(tmp_path: Path,
                                                                             monkeypatch) -> None:
    monkeypatch.setattr(ontology.shutil, "which", lambda name: "/usr/bin/java")
    with pytest.raises(StoreError):
        check_consistency(Settings(data_dir=tmp_path), include_graph=True)


@pytest.mark.java
def test_check_consistency_of_the_project_ontology() -> None:
    result = check_consistency(Settings(), include_graph=False)
    assert result.ok, result.text()
    assert result.tbox_triples > 500


@pytest.mark.java
def test_check_consistency_reports_unsatisfiable_class(tmp_path: Path) -> None:
    settings = _ontology_dir(tmp_path, "ex:C a owl:Class ; rdfs:subClassOf ex:A , ex:B .\n")
    result = check_consistency(settings, include_graph=False)
    assert result.consistent
    assert result.unsatisfiable == [EX + "C"]
    assert not result.ok


@pytest.mark.java
def test_check_consistency_reports_inconsistent_individual(tmp_path: Path) -> None:
    settings = _ontology_dir(tmp_path, "ex:i a ex:A , ex:B .\n")
    result = check_consistency(settings, include_graph=False)
    assert not result.consistent
    assert "consistent: NO" in result.text()


@pytest.mark.java
def test_check_consistency_includes_the_published_graph(tmp_path: Path, monkeypatch) -> None:
    settings = mini_settings(tmp_path)
    use_mini_pipeline(monkeypatch)
    build(settings)
    result = check_consistency(settings, include_graph=True)
    assert result.ok, result.text()
    assert result.abox_triples > 0 and result.abox_skipped > 0
    assert result.to_json()["ok"] is True
