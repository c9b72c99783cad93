"""Materialise the inferences of docs/model.md with the CONSTRUCT rules in ``kg/queries/inference/*.rq``.

Rules run on an in-memory pyoxigraph store holding the ontology and the data in its default graph; what they
construct goes to a separate graph that the next round reads too (default graph = union). Rounds repeat until
nothing new appears (a fixpoint), so rules may build on each other: ``within-direct`` then
``within-transitive``; superclass types then the type tests of the other rules. Only triples not already
asserted are kept: the result is exactly what the build writes to ``<base>graph/inferred``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib

from kg.errors import KgError
from kg.store import QUERIES_DIR, load_query
from kg.terms import graph_to_ntriples, triples_to_graph

__all__ = ["InferenceResult", "RULES_DIR", "materialise", "rule_names"]

RULES_DIR = QUERIES_DIR / "inference"
MAX_ROUNDS = 25
_INFERRED = ox.NamedNode("urn:x-kg:inferred")


@dataclass
class InferenceResult:
    """The inferred triples, how many each rule added and how many rounds the fixpoint took."""

    graph: rdflib.Graph
    per_rule: dict[str, int] = field(default_factory=dict)
    rounds: int = 0


def rule_names() -> list[str]:
    """The inference rules, by file name, in the order they run within a round."""
    return sorted(f"inference/{p.stem}" for p in RULES_DIR.glob("*.rq"))


def materialise(graphs: Iterable[rdflib.Graph], rules: list[str] | None = None) -> InferenceResult:
    """Run the inference rules to a fixpoint over ``graphs`` (ontology and data together).

    Args:
        graphs: the asserted triples: the ontology graph and the data graph(s).
        rules: rule names (``inference/<file stem>``); all of ``kg/queries/inference`` by default.

    Returns:
        the new triples (none of them already asserted), with per-rule counts.
    """
    store = ox.Store()
    for graph in graphs:
        store.bulk_load(input=graph_to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    names = rules if rules is not None else rule_names()
    queries = {name: load_query(name) for name in names}
    result = InferenceResult(rdflib.Graph())
    while True:
        if result.rounds >= MAX_ROUNDS:
            raise KgError(f"inference did not reach a fixpoint after {MAX_ROUNDS} rounds",
                          hint="a rule in kg/queries/inference keeps creating new terms; fix it")
        result.rounds += 1
        added = sum(_run_rule(store, name, query, result) for name, query in queries.items())
        if not added:
            break
    triples_to_graph(
        (q.triple for q in store.quads_for_pattern(None, None, None, _INFERRED)), result.graph)
    return result


def _run_rule(store: ox.Store, name: str, query: str, result: InferenceResult) -> int:
    new = [t for t in store.query(query, use_default_graph_as_union=True) if not _known(store, t)]
    new = list({(t.subject, t.predicate, t.object): t for t in new}.values())
    store.extend(ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in new)
    result.per_rule[name] = result.per_rule.get(name, 0) + len(new)
    return len(new)


def _known(store: ox.Store, triple: ox.Triple) -> bool:
    quads = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    return next(iter(quads), None) is not None
