"""The SPARQL 1.1 Service Description of the endpoint, answered to ``GET /sparql`` without a query.

It states the endpoint, the language (SPARQL 1.1 Query only), every result format, the union default
graph, the named graphs of the published store and, in ``rdfs:comment``, the limits (time, rows, query
size) and the CSV formula-injection rule, so clients can discover them instead of hitting them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from api.sparql.jobs import (
    CSV, JSONLD, NTRIPLES, RDFXML, RESULTS_JSON, RESULTS_XML, SOLUTIONS, TSV, TURTLE, Job, Outcome,
)
from kg.config import Settings

__all__ = [
    "FORMATS", "MEDIA_TYPES", "NAMED_GRAPHS_QUERY", "SD", "describe", "named_graphs_job", "read_named_graphs",
    "serialise",
]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

NAMED_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
_MAX_LISTED_GRAPHS = 1000

_RESULT_FORMATS = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "JSON-LD", "RDF_XML",
)
_RDFLIB_FORMATS = {TURTLE: "turtle", NTRIPLES: "nt", JSONLD: "json-ld", RDFXML: "xml"}
MEDIA_TYPES = (RESULTS_JSON, RESULTS_XML, CSV, TSV, TURTLE, NTRIPLES, JSONLD, RDFXML)


def named_graphs_job(base_iri: str) -> Job:
    """The job listing the store's named graphs (capped, never failing on the cap)."""
    return Job(query=NAMED_GRAPHS_QUERY, base_iri=base_iri, formats={SOLUTIONS: RESULTS_JSON},
               union_default_graph=False, max_rows=_MAX_LISTED_GRAPHS, truncate=True)


def read_named_graphs(outcome: Outcome) -> list[str]:
    """The graph IRIs of the ``named_graphs_job`` outcome (empty when it failed)."""
    if outcome.error:
        return []
    bindings = json.loads(outcome.body)["results"]["bindings"]
    return [row["g"]["value"] for row in bindings if row.get("g", {}).get("type") == "uri"]


def _limits_comment(settings: Settings) -> str:
    return (
        f"Read-only SPARQL 1.1 Query endpoint. Limits: {settings.sparql_timeout_s:g} s per query "
        f"(the query is stopped, 503), {settings.sparql_max_rows} result rows (400 past it), "
        f"{settings.sparql_max_query_bytes} bytes of query text (413). The default graph is the union of "
        "the named graphs. CSV cells starting with = + - @ (unless a plain number) are prefixed with ' "
        "against spreadsheet formula injection; use TSV or JSON for exact values."
    )


def describe(endpoint: str, settings: Settings, graphs: Sequence[str]) -> Graph:
    """The service description graph of the endpoint at ``endpoint``."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service, dataset, default = BNode(), BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.service_allowlist:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, RDFS.comment, Literal(_limits_comment(settings), lang="en")))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for iri in graphs:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
    return graph


def serialise(graph: Graph, media_type: str) -> bytes:
    """``graph`` written as ``media_type`` (one of the RDF types of ``GRAPH_OFFERS``)."""
    return graph.serialize(format=_RDFLIB_FORMATS[media_type], encoding="utf-8")
