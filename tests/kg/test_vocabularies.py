"""ontology/vocabularies.ttl: ten SKOS concept schemes, complete labels, and every code properties.yaml uses."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.config import get_settings
from kg.namespaces import PREFIXES, VOCAB, vocab

SCHEMES = sorted(iri[len(VOCAB):-1] for iri in PREFIXES.values() if iri.startswith(VOCAB))
LANGUAGES = ("en", "fr")


@pytest.fixture(scope="module")
def text() -> str:
    return (get_settings().ontology_dir / "vocabularies.ttl").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


@pytest.fixture(scope="module")
def properties() -> dict[str, dict]:
    return yaml.safe_load((get_settings().curated_dir / "properties.yaml").read_text(encoding="utf-8"))


def concepts(graph: Graph) -> Iterator[URIRef]:
    yield from sorted(graph.subjects(RDF.type, SKOS.Concept))


def literals(graph: Graph, node: URIRef, predicate: URIRef, lang: str) -> list[Literal]:
    return [o for o in graph.objects(node, predicate) if isinstance(o, Literal) and o.language == lang]


def scheme_codes(graph: Graph, scheme: str) -> set[str]:
    return {str(n) for c in graph.subjects(SKOS.inScheme, vocab(scheme)) for n in graph.objects(c, SKOS.notation)}


def test_vocabularies_file_has_no_imports(text: str) -> None:
    assert "owl:imports" not in text and "@base" not in text


def test_vocabularies_prefixes_match_namespaces(text: str) -> None:
    declared = dict(re.findall(r"^@prefix\s+([\w-]*):\s*<([^>]*)>\s*\.", text, flags=re.MULTILINE))
    shared = declared.keys() & PREFIXES.keys()
    assert {p: declared[p] for p in shared} == {p: PREFIXES[p] for p in shared}
    assert {p for p in PREFIXES if PREFIXES[p].startswith(VOCAB)} <= shared


def test_vocabularies_schemes_are_the_namespaced_ones(graph: Graph) -> None:
    assert set(graph.subjects(RDF.type, SKOS.ConceptScheme)) == {vocab(s) for s in SCHEMES}
    assert len(SCHEMES) == 10


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_has_labels_and_definition(graph: Graph, scheme: str) -> None:
    node = vocab(scheme)
    assert [len(literals(graph, node, SKOS.prefLabel, lang)) for lang in LANGUAGES] == [1, 1]
    assert literals(graph, node, SKOS.definition, "en")


def test_concept_has_one_preflabel_per_language(graph: Graph) -> None:
    bad = [c for c in concepts(graph) for lang in LANGUAGES if len(literals(graph, c, SKOS.prefLabel, lang)) != 1]
    assert not bad


def test_concept_has_english_definition(graph: Graph) -> None:
    assert not [c for c in concepts(graph) if len(literals(graph, c, SKOS.definition, "en")) != 1]


def test_concept_iri_is_scheme_plus_notation(graph: Graph) -> None:
    bad = []
    for c in concepts(graph):
        schemes = list(graph.objects(c, SKOS.inScheme))
        notations = [str(n) for n in graph.objects(c, SKOS.notation)]
        if len(schemes) != 1 or len(notations) != 1 or c != URIRef(f"{schemes[0]}/{notations[0]}"):
            bad.append(c)
    assert not bad


def test_concept_is_top_or_has_broader_in_its_scheme(graph: Graph) -> None:
    bad = []
    for c in concepts(graph):
        scheme = graph.value(c, SKOS.inScheme)
        tops = list(graph.objects(c, SKOS.topConceptOf))
        broader = list(graph.objects(c, SKOS.broader))
        listed = (scheme, SKOS.hasTopConcept, c) in graph
        if bool(tops) == bool(broader) or tops not in ([], [scheme]) or bool(tops) != listed:
            bad.append(c)
        bad += [b for b in broader if graph.value(b, SKOS.inScheme) != scheme]
    assert not bad


def test_broader_hierarchy_has_no_cycles(graph: Graph) -> None:
    for c in concepts(graph):
        seen, node = set(), c
        while (node := graph.value(node, SKOS.broader)) is not None:
            assert node not in seen and node != c, c
            seen.add(node)


def test_related_and_mappings_point_at_iris(graph: Graph) -> None:
    predicates = (SKOS.related, SKOS.exactMatch, SKOS.closeMatch)
    assert all(isinstance(o, URIRef) for p in predicates for o in graph.objects(None, p))


def test_figure_kind_top_concepts_are_money_jobs_quantity(graph: Graph) -> None:
    tops = set(graph.objects(vocab("figure-kind"), SKOS.hasTopConcept))
    assert tops == {vocab("figure-kind", code) for code in ("money", "jobs", "quantity")}


def test_properties_codes_exist_in_their_schemes(graph: Graph, properties: dict[str, dict]) -> None:
    missing = []
    for name, spec in properties.items():
        wanted = [("milestone-type" if spec["claim"] == "Milestone" else "figure-kind", spec.get("kind")),
                  ("unit", spec.get("unit")), ("figure-kind", spec.get("instrument"))]
        missing += [(name, scheme, code) for scheme, code in wanted
                    if code is not None and code not in scheme_codes(graph, scheme)]
        if "concepts" in spec and spec["concepts"] not in SCHEMES:
            missing.append((name, "scheme", spec["concepts"]))
    assert not missing


def test_model_lists_of_codes_exist(graph: Graph) -> None:
    expected = {
        "qualifier": {"exact", "approximately", "upTo", "atLeast", "moreThan", "range", "planned", "estimated"},
        "rank": {"preferred", "normal", "deprecated"},
        "precision": {"day", "month", "quarter", "halfYear", "partOfYear", "year", "decade"},
        "link-method": {"curated", "exact-name", "fuzzy-name", "reference-code", "review"},
        "identifier-scheme": {"wikidata", "lei", "nuts", "iso3166-1", "iso3166-2", "geonames", "siren", "website",
                              "eib-project"},
        "figure-kind": {"directJobs", "indirectJobs", "jobs", "currentEmployees", "grant", "loan", "equity",
                        "stateAid"},
    }
    assert {s: codes - scheme_codes(graph, s) for s, codes in expected.items()} == {s: set() for s in expected}
