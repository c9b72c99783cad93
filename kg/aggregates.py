"""Materialised aggregates: totals per programme, country and company, written at build time.

    graph = aggregates_graph([ontology, curated, links, inferred])       # the build's <base>graph/aggregates
    with refreshing_aggregates(store, nodes, aggregates_iri, data_graphs):  # around an incremental change
        ...write the change...

Per group (``kg/queries/aggregates/members.rq``: a programme and what is part of or funded by it, a country
and what lies within it, a company and the facilities it operates):

- ``<group>#totals`` ``a eip:Aggregate``: ``eip:facilityCount``;
- ``<group>#investment-<kind>-<qualifier>-<currency>`` ``a eip:InvestmentTotal``: ``schema:value`` = the sum of
  the amounts of the chosen eip:Investment claims of that figure kind (`choose`: one claim per statement, so a
  figure stated by several sources adds once), ``eip:claimCount``, ``eip:entityCount``;
  kinds (total cost, state aid, loan…), qualifiers and currencies are never added together;
- ``<group>#jobs-<kind>-<qualifier>`` ``a eip:JobsTotal``: the same for ``eip:jobs``.

Served by ``kg/queries/aggregates/lookup.rq`` (bind ``group``) and, for frontends, by the GraphQL field
``aggregates`` (api/graphql/aggregates.py). docs/incremental.md §2 says how they stay correct after a change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.namespaces import EIP, SCHEMA, vocab
from kg.store import load_query
from kg.terms import graph_to_ntriples, to_oxigraph, to_rdflib, triples_to_graph

__all__ = [
    "affected_groups",
    "aggregates_graph",
    "choose",
    "compute_aggregates",
    "refresh_aggregates",
    "refreshing_aggregates",
]

_RANK_SCORE = {str(vocab("rank", "preferred")): 2, str(vocab("rank", "normal")): 1}
_EXACT = str(vocab("qualifier", "exact"))
_TOTALS = {str(EIP.Investment): ("investment", EIP.InvestmentTotal, XSD.decimal),
           str(EIP.EmploymentFigure): ("jobs", EIP.JobsTotal, XSD.integer)}


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
    *,
    facility_counts: bool = True,
) -> rdflib.Graph:
    """The aggregates of ``store`` (its default graph, or the union of ``default_graph``).

    Args:
        groups: only these groups (programme, country or company IRIs); all by default.
        facility_counts: also the ``<group>#totals`` nodes (facility counts).
    """
    groups = None if groups is None else sorted(set(groups))
    dataset = _dataset(default_graph)
    graph = rdflib.Graph()
    if facility_counts:
        triples_to_graph(store.query(_query("aggregates/facility-counts", groups), **dataset), graph)
    figures = _select(store, _query("aggregates/figure-claims", groups), dataset)
    subjects = None if groups is None else {row["subject"] for row in figures}
    chosen = choose(_select(store, _statements_query(subjects), dataset))
    _add_totals(graph, (row for row in figures if row["claim"] in chosen))
    return graph


def choose(claims: Iterable[dict[str, str | None]]) -> set[str]:
    """The claim that counts of each statement (the claims with the same subject and property): the best by
    rank (preferred over normal), then the latest as-of date (as text: "2025-12" is later than "2025"; none is
    earliest), then an exact qualifier, then the smallest IRI. Deprecated claims are not given."""
    best: dict[tuple, tuple] = {}
    for row in claims:
        key = (_RANK_SCORE.get(row["rank"] or "", 0), row["asOf"] or "", row["qualifier"] == _EXACT)
        statement, claim = (row["subject"], row["property"]), row["claim"]
        current = best.get(statement)
        if current is None or key > current[0] or (key == current[0] and claim < current[1]):
            best[statement] = (key, claim)
    return {claim for _, claim in best.values()}


def _add_totals(graph: rdflib.Graph, figures: Iterable[dict[str, str | None]]) -> None:
    """One total node per group, class, kind, qualifier and currency: sum, claims and entities."""
    totals: dict[tuple, list] = defaultdict(lambda: [Decimal(0), set(), set()])
    for row in figures:
        key = (row["group"], row["class"], row["kind"], row["qualifier"], row["currency"])
        entry = totals[key]
        if row["claim"] not in entry[1]:
            entry[0] += Decimal(row["value"])
            entry[1].add(row["claim"])
            entry[2].add(row["subject"])
    for (group, cls, kind, qualifier, currency), (total, claims, subjects) in totals.items():
        label, total_class, datatype = _TOTALS[cls]
        codes = [c.rstrip("/").rsplit("/", 1)[-1] for c in (kind, qualifier, currency) if c]
        node = URIRef(f"{group}#{label}-" + "-".join(codes))
        graph.add((node, RDF.type, total_class))
        graph.add((node, EIP.aggregateOf, URIRef(group)))
        graph.add((node, EIP.figureKind, URIRef(kind)))
        graph.add((node, EIP.qualifier, URIRef(qualifier)))
        if currency:
            graph.add((node, EIP.currency, URIRef(currency)))
        graph.add((node, SCHEMA.value, Literal(str(total if datatype == XSD.decimal else int(total)),
                                               datatype=datatype)))
        graph.add((node, EIP.claimCount, Literal(len(claims), datatype=XSD.integer)))
        graph.add((node, EIP.entityCount, Literal(len(subjects), datatype=XSD.integer)))


def _select(store: ox.Store, query: str, dataset: dict[str, object]) -> list[dict[str, str | None]]:
    solutions = store.query(query, **dataset)
    names = [v.value for v in solutions.variables]
    return [{n: (None if t is None else t.value) for n, t in zip(names, row)} for row in solutions]


def _statements_query(subjects: set[str | None] | None) -> str:
    values = "" if subjects is None else "VALUES ?subject { " + " ".join(f"<{s}>" for s in sorted(subjects)) + " }"
    return _fragment("aggregates/statements").replace("SUBJECTS", values)


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
    """The groups whose aggregates may change when the triples of ``nodes`` change
    (``kg/queries/aggregates/affected-groups.rq``: the groups of the nodes themselves, and of the subjects and
    programmes of the claims of the same statement as a node or its amount)."""
    roots = " ".join(f"<{n}>" for n in nodes if isinstance(n, URIRef))
    if not roots:
        return set()
    query = _query("aggregates/affected-groups", None).replace("ROOTS", f"VALUES ?root {{ {roots} }}")
    found = {to_rdflib(row["group"]) for row in store.query(query, **_dataset(default_graph))}
    return {g for g in found if isinstance(g, URIRef)}


@contextmanager
def refreshing_aggregates(
    store: ox.Store,
    nodes: Iterable[rdflib.term.Node],
    aggregates_iri: ox.NamedNode,
    data_graphs: Sequence[ox.NamedNode],
) -> Iterator[set[URIRef]]:
    """Around a change of the triples of ``nodes`` (the subjects of the removed and added triples) in
    ``data_graphs``: recompute afterwards the aggregates of every group they touched, before or after.

    Yields the set of groups found before the change; on exit it holds all the groups refreshed. Nothing is
    refreshed when the body raises.
    """
    nodes = list(nodes)
    groups = affected_groups(store, nodes, data_graphs)
    yield groups
    groups |= affected_groups(store, nodes, data_graphs)
    refresh_aggregates(store, aggregates_iri, groups, data_graphs)


def _dataset(default_graph: Sequence[ox.NamedNode] | None) -> dict[str, object]:
    return {"default_graph": list(default_graph)} if default_graph else {"use_default_graph_as_union": True}


def _query(name: str, groups: Iterable[URIRef] | None) -> str:
    values = "" if groups is None else "VALUES ?group { " + " ".join(f"<{g}>" for g in groups) + " }"
    text = _fragment(name).replace("MEMBERS", _fragment("aggregates/members"))  # comments dropped first
    return text.replace("GROUPS", values)


def _fragment(name: str) -> str:
    return "\n".join(line for line in load_query(name).splitlines() if not line.lstrip().startswith("#"))
