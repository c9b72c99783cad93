"""kg.aggregates: materialised totals equal a live SPARQL aggregation, stay apart by qualifier, are refreshed
for the affected groups only, and are served by the lookup query."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef

from kg.aggregates import affected_groups, compute_aggregates, refresh_aggregates
from kg.config import Settings
from kg.curated import load_curated
from kg.inference import materialise
from kg.namespaces import EIP, PREFIXES, Minter
from kg.store import load_query
from kg.terms import graph_to_ntriples, python_value, to_oxigraph
from kg.validate import load_ontology

SCHEMA = Namespace("https://schema.org/")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")

# Written apart from kg/queries/aggregates (FILTER EXISTS per group kind instead of a members fragment).
LIVE_INVESTMENTS = """
SELECT ?group ?qualifier ?currency (SUM(?value) AS ?total) (COUNT(?claim) AS ?claims) WHERE {
  VALUES ?kind { eip:Programme eip:Country eip:Company }
  ?group a ?kind .
  ?claim a eip:Investment ; eip:subject ?s ; eip:sourceProperty ?sp ; eip:rank ?rank ;
         eip:qualifier ?qualifier ;
         eip:amount ?amount .
  ?amount schema:value ?value ; eip:currency ?currency .
  FILTER(?s = ?group
         || (?kind = eip:Country && EXISTS { ?s eip:within ?group })
         || (?kind = eip:Company && EXISTS { ?s eip:operatedBy ?group })
         || (?kind = eip:Programme && EXISTS { ?s eip:partOf|eip:fundedBy ?group })
         || (?kind = eip:Programme && EXISTS { ?claim eip:investor|eip:underProgramme ?group }))
  FILTER(?rank = eipr:preferred
         || (?rank = eipr:normal
             && NOT EXISTS { ?o eip:subject ?s ; eip:sourceProperty ?sp ; eip:rank eipr:preferred }))
} GROUP BY ?group ?qualifier ?currency
"""
LIVE_FACILITIES = """
SELECT ?group (COUNT(DISTINCT ?f) AS ?n) WHERE {
  VALUES ?kind { eip:Programme eip:Country eip:Company }
  ?group a ?kind .
  OPTIONAL { ?f a eip:Facility .
    FILTER((?kind = eip:Country && EXISTS { ?f eip:within ?group })
           || (?kind = eip:Company && EXISTS { ?f eip:operatedBy ?group })
           || (?kind = eip:Programme && EXISTS { ?f eip:partOf|eip:fundedBy ?group })) }
} GROUP BY ?group
"""
MATERIALISED_INVESTMENTS = """
SELECT ?group ?qualifier ?currency ?total ?claims WHERE {
  ?node a eip:InvestmentTotal ; eip:aggregateOf ?group ; eip:qualifier ?qualifier ; eip:currency ?currency ;
        schema:value ?total ; eip:claimCount ?claims .
}
"""


@pytest.fixture(scope="module")
def kg_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def curated(kg_settings: Settings) -> rdflib.Graph:
    return load_curated(Path(kg_settings.curated_dir), Minter(kg_settings.base_iri))


def _store(settings: Settings, data: rdflib.Graph) -> ox.Store:
    ontology = load_ontology(settings)
    store = ox.Store()
    for graph in (ontology, data, materialise([ontology, data]).graph):
        store.bulk_load(input=graph_to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    return store


def _rows(store: ox.Store, query: str) -> set[tuple]:
    return {
        tuple(python_value(row[v]) for v in range(len(row))) for row in store.query(query, prefixes=PREFIXES)
    }


def _with_aggregates(store: ox.Store) -> ox.Store:
    with_totals = ox.Store()
    with_totals.extend(store.quads_for_pattern(None, None, None, None))
    with_totals.extend(ox.Quad(*(to_oxigraph(t) for t in triple)) for triple in compute_aggregates(store))
    return with_totals


@pytest.fixture(scope="module")
def store(kg_settings: Settings, curated: rdflib.Graph) -> ox.Store:
    return _store(kg_settings, curated)


def test_investment_totals_equal_live_sparql_aggregation(store: ox.Store) -> None:
    live = _rows(store, LIVE_INVESTMENTS)
    assert live  # the curated graph has investments per company, country and programme
    assert _rows(_with_aggregates(store), MATERIALISED_INVESTMENTS) == live


def test_facility_counts_equal_live_sparql_aggregation(store: ox.Store) -> None:
    live = _rows(store, LIVE_FACILITIES)
    materialised = _rows(
        _with_aggregates(store),
        "SELECT ?group ?n WHERE { ?a a eip:Aggregate ; eip:aggregateOf ?group ; eip:facilityCount ?n }",
    )
    assert materialised == live
    assert any(n > 0 for _, n in live)


def test_jobs_totals_keep_qualifiers_apart(store: ox.Store) -> None:
    totals = compute_aggregates(store)
    jobs_nodes = list(totals.subjects(RDF_TYPE, EIP.JobsTotal))
    assert jobs_nodes
    for node in [*jobs_nodes, *totals.subjects(RDF_TYPE, EIP.InvestmentTotal)]:
        qualifiers = list(totals.objects(node, EIP.qualifier))
        assert len(qualifiers) == 1
        # one node per qualifier: upTo and exact never share one
        assert f"-{str(qualifiers[0]).rsplit('/', 1)[1]}" in str(node)


def test_lookup_query_serves_the_totals_of_one_group(store: ox.Store) -> None:
    with_totals = _with_aggregates(store)
    group = next(iter(r[0] for r in _rows(store, LIVE_INVESTMENTS)))
    rows = list(
        with_totals.query(
            load_query("aggregates/lookup"), substitutions={ox.Variable("group"): ox.NamedNode(group)}
        )
    )
    kinds = {row["kind"].value for row in rows}
    assert str(EIP.Aggregate) in kinds and str(EIP.InvestmentTotal) in kinds


def test_refresh_aggregates_of_affected_groups_equals_full_recompute(
    kg_settings: Settings, curated: rdflib.Graph
) -> None:
    data_iri, totals_iri = ox.NamedNode("urn:x-test:data"), ox.NamedNode("urn:x-test:aggregates")
    store = _store(kg_settings, curated)
    moved = ox.Store()  # the same data, in a named graph, next to its aggregates graph
    moved.extend(
        ox.Quad(q.subject, q.predicate, q.object, data_iri) for q in store.quads_for_pattern(None, None, None)
    )
    moved.extend(
        ox.Quad(*(to_oxigraph(t) for t in triple), totals_iri) for triple in compute_aggregates(store)
    )
    amount, value = min(curated.subject_objects(SCHEMA.value))
    claim = curated.value(predicate=EIP.amount, object=amount)
    old, new = (
        (amount, SCHEMA.value, value),
        (amount, SCHEMA.value, Literal("123456789", datatype=XSD_DECIMAL)),
    )
    groups = affected_groups(moved, [claim, amount], [data_iri])
    moved.remove(ox.Quad(*(to_oxigraph(t) for t in old), data_iri))
    moved.add(ox.Quad(*(to_oxigraph(t) for t in new), data_iri))
    refresh_aggregates(moved, totals_iri, groups, [data_iri])
    assert groups
    changed = rdflib.Graph()
    for triple in curated:
        changed.add(new if triple == old else triple)
    expected = {
        (t.subject, t.predicate, t.object)
        for t in (
            ox.Triple(*(to_oxigraph(x) for x in tr))
            for tr in compute_aggregates(_store(kg_settings, changed))
        )
    }
    refreshed = {
        (q.subject, q.predicate, q.object) for q in moved.quads_for_pattern(None, None, None, totals_iri)
    }
    assert refreshed == expected
