"""Incremental SHACL validation: validate what a change can affect, merge with the previous full report.

    validator = IncrementalValidator.from_graph(settings, curated)   # full inference + validation once
    outcome = validator.apply(Change.between(old_fragment, new_fragment))
    outcome.report                                                     # == a full validation of the new data

A change (triples removed / added in the asserted data) reaches the focus nodes whose results may differ:

1. its *seeds*: the subjects of changed triples, and their objects when the predicate makes the object a focus
   node (``sh:targetObjectsOf``);
2. *inbound* nodes: ``?x p seed`` where ``p`` is a predicate whose values a shape inspects (``sh:class``,
   ``sh:node``, qualified value shapes, ``sh:or``… and the nested patterns of SPARQL constraints);
3. *siblings*: nodes sharing with a seed or an inbound node the objects of every predicate of a *sibling
   group* (claims with the same ``eip:subject`` and ``eip:sourceProperty``), taken from the SPARQL
   constraints and the inference rules whose output the shapes read (``eip:disputed``), before and after the
   change.

`kg.shape_reach.derive_reach` computes predicates and groups from the shapes graph and the inference rules, not by hand. The
affected nodes' bounded closure is extracted with one CONSTRUCT (``kg/queries/incremental/closure.rq``), the
rules the shapes read are re-run on it, the affected nodes are validated on it (`kg.validate.validate`, either
engine), and the previous report's problems on the affected nodes are replaced by the new ones. See
docs/incremental.md for the limits.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.aggregates import compute_aggregates, refreshing_aggregates
from kg.config import Settings
from kg.inference import materialise, materialise_in
from kg.namespaces import EIP, Minter
from kg.shape_reach import Reach, Triple, derive_reach
from kg.store import load_query
from kg.terms import to_oxigraph, to_rdflib
from kg.validate import Problem, Report, load_ontology, load_shapes, validate

__all__ = ["Change", "IncrementalValidator", "Outcome", "problem_key"]



@dataclass(frozen=True)
class Change:
    """Triples removed from and added to the asserted data (a triple in both is left alone)."""

    removed: frozenset[Triple] = frozenset()
    added: frozenset[Triple] = frozenset()

    @classmethod
    def between(cls, old: Iterable[Triple], new: Iterable[Triple]) -> Change:
        """The change that turns ``old`` into ``new`` (e.g. a curated record mapped before and after)."""
        before, after = set(old), set(new)
        return cls(frozenset(before - after), frozenset(after - before))

    @property
    def triples(self) -> frozenset[Triple]:
        return self.removed | self.added


@dataclass(frozen=True)
class Outcome:
    """The merged report after a change, the affected focus nodes and where the time went (seconds)."""

    report: Report
    affected: frozenset[str]
    closure_triples: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def problem_key(problem: Problem) -> tuple[str, str | None, str, str, str]:
    """What a report comparison looks at: (focus, path, constraint component, severity, message)."""
    return problem.focus_node, problem.path, problem.constraint, problem.severity, problem.message


# --- deriving the reach table -------------------------------------------------------------------------------




# --- the validator ------------------------------------------------------------------------------------------


class IncrementalValidator:
    """A writable pyoxigraph store of the data (asserted, inferred and ontology graphs) and its last report.

    Args:
        settings: base IRI, ontology and shapes directories.
        store: the store; its graphs ``curated`` (and ``links``) hold the asserted data, ``inferred`` the
            inferences, ``ontology`` the ontology (graph IRIs from `kg.namespaces.Minter.graph`).
        report: the full report of the data currently in the store.
    """

    def __init__(self, settings: Settings, store: ox.Store, report: Report) -> None:
        minter = Minter(settings.base_iri)
        self.settings, self.store, self.report = settings, store, report
        self.data_graph = ox.NamedNode(minter.graph("curated"))
        self.inferred_graph = ox.NamedNode(minter.graph("inferred"))
        self.ontology_graph = ox.NamedNode(minter.graph("ontology"))
        self.aggregates_graph = ox.NamedNode(minter.graph("aggregates"))
        self.keeps_aggregates = False  # set by `from_graph`, which computes them (kg.aggregates)
        # What changes are looked up in and closures extracted from: the asserted data. The ontology is not in
        # it: kg.validate merges the ontology's structure itself, and no ontology triple points at data.
        self.asserted = [self.data_graph, ox.NamedNode(minter.graph("links"))]
        self.reach = _reach(settings)
        self._queries = _Queries(self.reach)
        # Oxigraph normalises some literals when it stores them ("650"^^xsd:nonNegativeInteger is read back as
        # "650"^^xsd:integer; oxigraph issue #526), which changes what sh:datatype sees. The asserted literals
        # it changes are kept here, by (subject, predicate, stored literal), and put back in the closure.
        self._originals: dict[Triple, set[Literal]] = {}

    @classmethod
    def from_graph(
        cls, settings: Settings, data: rdflib.Graph, report: Report | None = None
    ) -> IncrementalValidator:
        """Load ``data`` (the asserted triples) into a new in-memory store, infer, and validate it in full
        (unless ``report``, the full report of ``data``, is given)."""
        ontology = load_ontology(settings)
        inferred = materialise([ontology, data]).graph
        if report is None:
            report = validate(data + inferred, settings)
        validator = cls(settings, ox.Store(), report)
        validator._put(data, validator.data_graph)
        validator._put(ontology, validator.ontology_graph)
        validator.store.extend(
            ox.Quad(*(to_oxigraph(t) for t in triple), validator.inferred_graph) for triple in inferred
        )
        totals = compute_aggregates(validator.store, default_graph=validator._data_graphs())
        validator.store.extend(ox.Quad(*(to_oxigraph(t) for t in triple), validator.aggregates_graph)
                               for triple in totals)
        validator.keeps_aggregates = True
        return validator

    @classmethod
    def from_ntriples(
        cls, settings: Settings, path: Path, report: Report | None = None
    ) -> IncrementalValidator:
        """Bulk-load an N-Triples file as the asserted data, without inference or full validation (for large
        graphs: ``report`` is taken as the previous full report, empty by default; the inferred graph starts
        empty and is filled for the nodes that changes reach)."""
        validator = cls(settings, ox.Store(), report or Report())
        validator.store.bulk_load(
            path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=validator.data_graph
        )
        validator._put(load_ontology(settings), validator.ontology_graph)
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            obj = triple.object
            if isinstance(obj, ox.Literal) and obj.datatype.value not in _KEPT_DATATYPES:
                literal = to_rdflib(obj)
                stored = _stored_form(literal)
                if stored != literal:
                    key = (to_rdflib(triple.subject), to_rdflib(triple.predicate), stored)
                    validator._originals.setdefault(key, set()).add(literal)
        return validator

    def apply(self, change: Change) -> Outcome:
        """Write ``change`` to the store, update the inferences and the report; return the outcome."""
        clock = _Timer()
        seeds = self._seeds(change)
        before = self._siblings(seeds)
        clock.lap("siblings-before")
        with self._aggregates_kept(change):
            self._write(change)
            clock.lap("write")
            inbound = self._select(self._queries.inbound, seeds) if self.reach.inbound else set()
            affected = seeds | inbound | before | self._siblings(seeds | inbound)
            clock.lap("affected")
            found = self._closure_triples(affected)
            closure = self._rdflib_closure(found)
            clock.lap("closure")
            inferred = self._infer(found, affected)
            self._update_inferred(change, affected, inferred)
            clock.lap("infer")
        clock.lap("aggregates")
        closure += inferred
        # Only the affected nodes' problems count: their neighbours' are unreliable (the closure lacks the
        # neighbours' own neighbours). turbo validates the affected nodes only; pySHACL validates the whole
        # closure (its focus_nodes option would skip nested shapes' value nodes: kg.validate.validate).
        partial = validate(closure, self.settings, focus=affected)
        clock.lap("validate")
        keys = {_text(node) for node in affected}
        self.report = _merged(self.report, partial, keys)
        clock.lap("merge")
        return Outcome(self.report, frozenset(keys), len(closure), clock.laps)

    # --- steps ----------------------------------------------------------------------------------------------

    def _data_graphs(self) -> list[ox.NamedNode]:
        """What the aggregates are computed from: asserted, inferred and ontology graphs."""
        return [*self.asserted, self.inferred_graph, self.ontology_graph]

    def _aggregates_kept(self, change: Change) -> AbstractContextManager[object]:
        """Around the write and the inference update: recompute the totals of the groups the change touches
        (kg.aggregates.refreshing_aggregates), when this validator keeps aggregates."""
        if not self.keeps_aggregates:
            return nullcontext()
        return refreshing_aggregates(self.store, {s for s, _, _ in change.triples}, self.aggregates_graph,
                                     self._data_graphs())

    def _seeds(self, change: Change) -> set[rdflib.term.Node]:
        seeds = {s for s, _, _ in change.triples}
        seeds |= {
            o for _, p, o in change.triples if p in self.reach.target_objects and not isinstance(o, Literal)
        }
        return seeds

    def _siblings(self, roots: set[rdflib.term.Node]) -> set[rdflib.term.Node]:
        found: set[rdflib.term.Node] = set()
        for query in self._queries.siblings:
            found |= self._select(query, roots)
        return found

    def _select(self, template: str, roots: set[rdflib.term.Node]) -> set[rdflib.term.Node]:
        if not roots:
            return set()
        solutions = self.store.query(_with_roots(template, roots), default_graph=self.asserted)
        return {to_rdflib(row["node"]) for row in solutions}

    def _write(self, change: Change) -> None:
        for subject, predicate, obj in change.removed:
            key = (subject, predicate, _stored_form(obj))
            originals = self._originals.get(key)
            if originals:
                originals.discard(obj)
                if originals and key[2] != obj:  # another asserted literal is stored as the same term
                    continue
                self._originals.pop(key, None)
            self.store.remove(ox.Quad(*(to_oxigraph(t) for t in (subject, predicate, obj)), self.data_graph))
        self._put(change.added, self.data_graph)

    def _put(self, triples: Iterable[Triple], graph: ox.NamedNode) -> None:
        quads = []
        for subject, predicate, obj in triples:
            if isinstance(obj, Literal) and obj.datatype is not None:
                stored = _stored_form(obj)
                if stored != obj:
                    self._originals.setdefault((subject, predicate, stored), set()).add(obj)
            quads.append(ox.Quad(to_oxigraph(subject), to_oxigraph(predicate), to_oxigraph(obj), graph))
        self.store.extend(quads)

    def _closure_triples(self, roots: set[rdflib.term.Node]) -> list[ox.Triple]:
        """The affected nodes' bounded closure in the asserted data, as stored."""
        if not roots:
            return []
        return list(self.store.query(_with_roots(self._queries.closure, roots), default_graph=self.asserted))

    def _rdflib_closure(self, triples: list[ox.Triple]) -> rdflib.Graph:
        """The closure as an rdflib graph, with the asserted literals Oxigraph normalised put back."""
        graph = rdflib.Graph(store="SimpleMemory")  # faster to fill than the default store (no contexts)
        for triple in triples:
            found = (_rdflib_term(triple.subject), _rdflib_term(triple.predicate),
                     _rdflib_term(triple.object))
            originals = self._originals.get(found) if isinstance(found[2], Literal) else None
            if originals:
                for original in originals:
                    graph.add((found[0], found[1], original))
            else:
                graph.add(found)
        return graph

    def _infer(self, closure: list[ox.Triple], affected: set[rdflib.term.Node]) -> rdflib.Graph:
        """The inferences the shapes read, for the affected nodes, from their closure and the ontology.

        The rules run in a scratch store filled with Oxigraph terms (no N-Triples round trip through rdflib).
        """
        scratch = ox.Store()
        scratch.extend(_ontology_structure(self.settings))
        scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in closure)
        materialise_in(scratch, _SCRATCH_INFERRED, list(self.reach.rules))
        subjects = {to_oxigraph(node) for node in affected}
        inferred = rdflib.Graph()
        for quad in scratch.quads_for_pattern(None, None, None, _SCRATCH_INFERRED):
            if quad.subject in subjects:
                inferred.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate),
                              _rdflib_term(quad.object)))
        return inferred

    def _update_inferred(
        self, change: Change, affected: set[rdflib.term.Node], inferred: rdflib.Graph
    ) -> None:
        """Replace the affected nodes' inferences of the re-run rules; keep eip:hasClaim the inverse of
        eip:subject. (eip:within is left to the next full build: no shape reads it; docs/incremental.md.)"""
        outputs = self.reach.rule_outputs
        for node in affected:
            for quad in list(
                self.store.quads_for_pattern(to_oxigraph(node), None, None, self.inferred_graph)
            ):
                if to_rdflib(quad.predicate) in outputs:
                    self.store.remove(quad)
        self.store.extend(
            ox.Quad(*(to_oxigraph(t) for t in triple), self.inferred_graph) for triple in inferred
        )
        has_claim, subject = str(EIP.hasClaim), str(EIP.subject)
        for triples, add in ((change.removed, False), (change.added, True)):
            for claim, predicate, entity in triples:
                if str(predicate) != subject or isinstance(entity, Literal):
                    continue
                quad = ox.Quad(
                    to_oxigraph(entity), ox.NamedNode(has_claim), to_oxigraph(claim), self.inferred_graph
                )
                self.store.add(quad) if add else self.store.remove(quad)


@dataclass(frozen=True)
class _Queries:
    closure: str
    inbound: str
    siblings: tuple[str, ...]

    def __init__(self, reach: Reach) -> None:
        alternatives = "|".join(f"<{p}>" for p in sorted(reach.inbound)) or "<urn:x-kg:none>"
        targets = "|".join(f"<{p}>" for p in sorted(reach.target_objects)) or "<urn:x-kg:none>"
        closure = load_query("incremental/closure").replace("REACH", f"({alternatives})")
        object.__setattr__(self, "closure", closure.replace("TARGET_OBJECTS", f"({targets})"))
        object.__setattr__(
            self, "inbound", load_query("incremental/inbound").replace("REACH", f"({alternatives})")
        )
        siblings = load_query("incremental/siblings")
        object.__setattr__(
            self,
            "siblings",
            tuple(siblings.replace("PATTERN", _group_pattern(g)) for g in sorted(reach.sibling_groups)),
        )


def _group_pattern(group: tuple[URIRef, ...]) -> str:
    """The root's values first, then the nodes sharing them, in the group's order (most selective first)."""
    roots = " ".join(f"?root <{p}> ?v{i} ." for i, p in enumerate(group))
    return roots + " " + " ".join(f"?node <{p}> ?v{i} ." for i, p in enumerate(group))


_REACH: dict[int, tuple[rdflib.Graph, Reach]] = {}


def _reach(settings: Settings) -> Reach:
    """The reach table of the configured shapes (kg.validate caches the shapes graph by path, size, mtime)."""
    shapes = load_shapes(settings)
    cached = _REACH.get(id(shapes))
    if cached is None or cached[0] is not shapes:
        cached = _REACH[id(shapes)] = (shapes, derive_reach(shapes))
    return cached[1]


_KEPT_DATATYPES = frozenset({str(XSD.string), str(RDF.langString)})
_SCRATCH = ox.Store()
_SCRATCH_IRI = ox.NamedNode("urn:x-kg:scratch")
_SCRATCH_INFERRED = ox.NamedNode("urn:x-kg:scratch-inferred")


# Converting a term builds and checks a new rdflib term (URIRef validates the IRI): the closures of successive
# changes share most of their predicates, classes and neighbours, so conversions are memoised.
_rdflib_term = lru_cache(maxsize=65536)(to_rdflib)


@lru_cache(maxsize=65536)
def _stored_form(term: rdflib.term.Node) -> rdflib.term.Node:
    """The term as Oxigraph stores and returns it (typed literals may be normalised; others are unchanged)."""
    if not isinstance(term, Literal) or term.datatype is None:
        return term
    quad = ox.Quad(_SCRATCH_IRI, _SCRATCH_IRI, to_oxigraph(term), _SCRATCH_IRI)
    _SCRATCH.add(quad)
    stored = next(iter(_SCRATCH.quads_for_pattern(_SCRATCH_IRI, _SCRATCH_IRI, None, _SCRATCH_IRI))).object
    _SCRATCH.remove(ox.Quad(_SCRATCH_IRI, _SCRATCH_IRI, stored, _SCRATCH_IRI))
    return to_rdflib(stored)


_STRUCTURE: dict[int, tuple[rdflib.Graph, list[ox.Quad]]] = {}


def _ontology_structure(settings: Settings) -> list[ox.Quad]:
    """The ontology's types and hierarchy as default-graph quads: all the re-run rules read of it (cached)."""
    ontology = load_ontology(settings)
    cached = _STRUCTURE.get(id(ontology))
    if cached is None or cached[0] is not ontology:
        structure = [ox.Quad(*(to_oxigraph(t) for t in triple)) for triple in ontology
                     if triple[1] in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf)]
        cached = _STRUCTURE[id(ontology)] = (ontology, structure)
    return cached[1]


def _with_roots(template: str, roots: set[rdflib.term.Node]) -> str:
    values = " ".join(_sparql_term(node) for node in roots if not isinstance(node, Literal))
    return template.replace("ROOTS", values)


def _sparql_term(node: rdflib.term.Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else f"<{node}>"


def _text(node: rdflib.term.Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _merged(previous: Report, partial: Report, affected: set[str]) -> Report:
    """The previous report without the affected nodes' problems, plus the partial report's on those nodes."""
    kept = [p for p in previous.problems if p.focus_node not in affected]
    new = [p for p in partial.problems if p.focus_node in affected]
    by_severity: dict[str, list[Problem]] = {"Violation": [], "Warning": [], "Info": []}
    for problem in dict.fromkeys(kept + new):
        by_severity[problem.severity].append(problem)
    key = _order
    return Report(
        violations=sorted(by_severity["Violation"], key=key),
        warnings=sorted(by_severity["Warning"], key=key),
        infos=sorted(by_severity["Info"], key=key),
        base_iri=previous.base_iri or partial.base_iri,
    )


def _order(problem: Problem) -> tuple[str, str, str]:
    return problem.focus_node, problem.path or "", problem.source_shape


class _Timer:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 4)
        self._last = now
