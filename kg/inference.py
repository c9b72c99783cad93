"""Materialise the inferences of docs/model.md with the CONSTRUCT rules in ``kg/queries/inference/*.rq``.

Rules run on an in-memory pyoxigraph store holding the ontology and the data in its default graph; what they
construct goes to a separate graph that the next round reads too (default graph = union). Rounds repeat until
nothing new appears (a fixpoint), so rules may build on each other: ``within-direct`` then
``within-transitive``; superclass types then the type tests of the other rules. Only triples not already
asserted are kept: the result is exactly what the build writes to ``<base>graph/inferred``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib

from kg.errors import KgError
from kg.store import QUERIES_DIR, load_query
from kg.terms import graph_to_ntriples, triples_to_graph

__all__ = ["InferenceResult", "RULES_DIR", "materialise", "materialise_in", "rule_names", "strata"]

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
    result = materialise_in(store, _INFERRED, rules)
    triples_to_graph(
        (q.triple for q in store.quads_for_pattern(None, None, None, _INFERRED)), result.graph)
    return result


def materialise_in(store: ox.Store, target: ox.NamedNode, rules: list[str] | None = None) -> InferenceResult:
    """Run the rules to a fixpoint over the union of ``store``'s graphs, adding what they infer to ``target``.

    The store may be an on-disk one holding the asserted graphs (``kg.store.write_store``'s ``derive`` step),
    so graphs too large for rdflib are inferred over without leaving Oxigraph. ``result.graph`` stays empty:
    the inferred triples are in ``target``.
    """
    names = rules if rules is not None else rule_names()
    queries = {name: load_query(name) for name in names}
    recursive, terminal = strata(queries)
    result = InferenceResult(rdflib.Graph())
    while recursive:
        result.rounds += 1
        added = {name: _run_rule(store, name, queries[name], result, target) for name in recursive}
        if not any(added.values()):
            break
        if result.rounds >= MAX_ROUNDS:
            still = ", ".join(f"{RULES_DIR / name.removeprefix('inference/')}.rq"
                              for name, count in added.items() if count)
            raise KgError(f"inference did not reach a fixpoint after {MAX_ROUNDS} rounds: {still} still add "
                          "triples", hint="such a rule keeps creating new terms; fix it")
    for name in terminal:
        _run_rule(store, name, queries[name], result, target)
    result.rounds += 1 if terminal else 0
    return result


def strata(queries: dict[str, str]) -> tuple[list[str], list[str]]:
    """Split rules into those run to a fixpoint and those run once, after it, in file order.

    A rule whose conclusions no rule reads (no rule's WHERE names a predicate its CONSTRUCT writes, and none
    has a variable predicate) cannot make any rule fire again, so running it once after the others' fixpoint
    gives exactly the naive fixpoint (tests/kg/test_inference.py compares them) at a fraction of the cost:
    the heavy rules (disputes, search text) no longer run a second, empty round.
    """
    writes = {name: _template_predicates(query) for name, query in queries.items()}
    reads = {name: _pattern_predicates(query) for name, query in queries.items()}
    read_by_any = set().union(*reads.values()) if reads else set()
    recursive = [n for n in queries if ANY_PREDICATE in read_by_any or writes[n] & read_by_any]
    return recursive, [n for n in queries if n not in recursive]


ANY_PREDICATE = "?"
"""Stands for a variable (or unparsed) predicate: whoever reads it may read anything."""
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PREFIX = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_COMMENT = re.compile(r"(<[^>\s]*>|\"(?:[^\"\\\\]|\\\\.)*\")|#[^\n]*")
_PROJECTION = re.compile(r"\b(?:SELECT|GROUP\s+BY|ORDER\s+BY)\b[^{}]*?(?=\bWHERE\b|[{}])", re.IGNORECASE)
_TERM = re.compile(r"<([^>\s]*)>|(?<![\w?$])([A-Za-z][\w.-]*)?:([\w.-]*)|(?<![\w?$:])(a)(?![\w:])")


def _template_predicates(query: str) -> set[str]:
    """Predicates in the CONSTRUCT template (every IRI there counts: a superset is safe)."""
    text = _uncommented(query)
    template = text[text.upper().index("CONSTRUCT"):text.upper().index("WHERE")]
    return _iris(template, _prefixes(text))


def _pattern_predicates(query: str) -> set[str]:
    """IRIs named in the WHERE clause, plus ANY_PREDICATE when a triple pattern has a variable predicate."""
    text = _uncommented(query)
    where = _PROJECTION.sub(" ", text[text.upper().index("WHERE"):])
    found = _iris(where, _prefixes(text))
    if re.search(r"[?$]\w+\s+[?$]\w+\s+[?$<\w\"]", where):  # ?s ?p ?o: a variable predicate
        found.add(ANY_PREDICATE)
    return found


def _uncommented(query: str) -> str:
    """The query without its comments (a ``#`` inside an IRI or a string is kept)."""
    return _COMMENT.sub(lambda match: match.group(1) or "", query)


def _prefixes(text: str) -> dict[str, str]:
    return {prefix: iri for prefix, iri in _PREFIX.findall(text)}


def _iris(text: str, prefixes: dict[str, str]) -> set[str]:
    found = set()
    for match in _TERM.finditer(_PREFIX.sub("", text)):
        iri, prefix, local, keyword = match.groups()
        if keyword:
            found.add(_RDF_TYPE)
        elif iri is not None:
            found.add(iri)
        elif (prefix or "") in prefixes:
            found.add(prefixes[prefix or ""] + local)
    return found


def _run_rule(store: ox.Store, name: str, query: str, result: InferenceResult, target: ox.NamedNode) -> int:
    new = [t for t in store.query(query, use_default_graph_as_union=True) if not _known(store, t)]
    new = list({(t.subject, t.predicate, t.object): t for t in new}.values())
    store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in new)
    result.per_rule[name] = result.per_rule.get(name, 0) + len(new)
    return len(new)


def _known(store: ox.Store, triple: ox.Triple) -> bool:
    quads = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    return next(iter(quads), None) is not None
