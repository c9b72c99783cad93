from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.config import get_settings
from kg.namespaces import EIP, EIP_ONTOLOGY_IRI

ONTOLOGY = Graph().parse(get_settings().ontology_dir / "eip.ttl")
TERMS = sorted(
    term for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in ONTOLOGY.subjects(RDF.type, kind) if str(term).startswith(str(EIP))
)


def test_ontology_has_version_iri_and_licence():
    ontology = URIRef(EIP_ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in ONTOLOGY
    assert str(ONTOLOGY.value(ontology, OWL.versionIRI)).startswith(EIP_ONTOLOGY_IRI + "/")


def test_ontology_declares_classes_and_properties():
    assert len(TERMS) > 100


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_ontology_term_has_english_and_french_label_and_definition(term):
    for predicate in (RDFS.label, SKOS.definition):
        languages = sorted(v.language for v in ONTOLOGY.objects(term, predicate))
        assert languages == ["en", "fr"], f"{term} {predicate}: {languages}"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_ontology_term_has_no_domain_or_range(term):
    assert ONTOLOGY.value(term, RDFS.domain) is None and ONTOLOGY.value(term, RDFS.range) is None
