"""Materialised aggregates: totals per programme, country and company, written at build time.

    graph = aggregates_graph([ontology, curated, links, inferred])       # the build's <base>graph/aggregates
    refresh_aggregates(store, aggregates_iri, groups, data_graphs)       # after an incremental change

Per group (``kg/queries/aggregates/members.rq``: a programme and what is part of or funded by it, a country
and what lies within it, a company and the facilities it operates):

- ``<group>#totals`` ``a eip:Aggregate``: ``eip:facilityCount``;
- ``<group>#investment-<qualifier>-<currency>`` ``a eip:InvestmentTotal``: ``schema:value`` = the sum of the
  best-ranked (preferred, else normal; never deprecated) eip:Investment amounts, ``eip:claimCount``; amounts
  "up to" and exact are separate nodes, as are currencies;
- ``<group>#jobs-<qualifier>`` ``a eip:JobsTotal``: the sum of best-ranked ``eip:jobs``.

Served by ``kg/queries/aggregates/lookup.rq`` (bind ``group``). docs/incremental.md says how they stay correct
after an incremental change: `affected_groups` finds the groups a change touches and `refresh_aggregates`
recomputes only theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from kg.namespaces import EIP
from kg.store import load_query
from kg.terms import graph_to_ntriples, to_oxigraph, to_rdflib, triples_to_graph

__all__ = [
    "AGGREGATE_QUERIES",
    "affected_groups",
    "aggregates_graph",
    "compute_aggregates",
    "refresh_aggregates",
]

AGGREGATE_QUERIES = ("aggregates/facility-counts", "aggregates/investment-totals", "aggregates/jobs-totals")


def aggregates_graph(graphs: Iterable[rdflib.Graph]) -> rdflib.Graph:
    """The aggregates of the union of ``graphs`` (ontology, curated, links and inferred triples)."""
    store = ox.Store()
    for graph in graphs:
        store.bulk_load(input=graph_to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    return compute_aggregates(store)


def compute_aggregates(
    store: ox.Store,
    groups: Iterable[URIRef] | None = None,
    default_graph: Sequence[ox.NamedNode] | None = None,
) -> rdflib.Graph:
    """Run the aggregate queries on ``store`` (its default graph, or the union of ``default_graph``).

    Args:
        groups: only these groups (programme, country or company IRIs); all by default.
    """
    graph = rdflib.Graph()
    for name in AGGREGATE_QUERIES:
        query = _query(name, groups)
        options = (
            {"default_graph": list(default_graph)} if default_graph else {"use_default_graph_as_union": True}
        )
        triples_to_graph(store.query(query, **options), graph)
    return graph


def refresh_aggregates(
    store: ox.Store,
    aggregates_iri: ox.NamedNode,
    groups: Iterable[URIRef],
    data_graphs: Sequence[ox.NamedNode],
) -> rdflib.Graph:
    """Replace the aggregates of ``groups`` in the graph ``aggregates_iri`` by freshly computed ones."""
    groups = sorted(set(groups))
    for group in groups:
        for node in list(
            store.quads_for_pattern(
                None, ox.NamedNode(str(EIP.aggregateOf)), to_oxigraph(group), aggregates_iri
            )
        ):
            for quad in list(store.quads_for_pattern(node.subject, None, None, aggregates_iri)):
                store.remove(quad)
    fresh = compute_aggregates(store, groups, data_graphs) if groups else rdflib.Graph()
    store.extend(ox.Quad(*(to_oxigraph(t) for t in triple), aggregates_iri) for triple in fresh)
    return fresh


def affected_groups(
    store: ox.Store, nodes: Iterable[rdflib.term.Node], default_graph: Sequence[ox.NamedNode] | None = None
) -> set[URIRef]:
    """The groups whose aggregates may change when ``nodes`` (subjects of changed triples, taken before and
    after the change) change: the groups of the nodes themselves, and of the subjects of claims among them."""
    roots = " ".join(f"<{n}>" for n in nodes if isinstance(n, URIRef))
    if not roots:
        return set()
    members = load_query("aggregates/members")
    query = (
        f"PREFIX eip: <{EIP}>\nSELECT DISTINCT ?group WHERE {{ VALUES ?node {{ {roots} }} "
        f"{{ BIND(?node AS ?member) }} UNION {{ ?node eip:subject ?member }} UNION "
        f"{{ ?node eip:investor|eip:underProgramme ?member }} {{ {members} }} }}"
    )
    options = (
        {"default_graph": list(default_graph)} if default_graph else {"use_default_graph_as_union": True}
    )
    found = {to_rdflib(row["group"]) for row in store.query(query, **options)}
    return {g for g in found if isinstance(g, URIRef)}


def _query(name: str, groups: Iterable[URIRef] | None) -> str:
    values = "" if groups is None else "VALUES ?group { " + " ".join(f"<{g}>" for g in groups) + " }"
    text = _fragment(name).replace("MEMBERS", _fragment("aggregates/members"))  # comments dropped first
    return text.replace("BEST_RANK", _fragment("aggregates/best-rank")).replace("GROUPS", values)


def _fragment(name: str) -> str:
    return "\n".join(line for line in load_query(name).splitlines() if not line.lstrip().startswith("#"))
