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

`derive_reach` computes predicates and groups from the shapes graph and the inference rules, not by hand. The
affected nodes' bounded closure is extracted with one CONSTRUCT (``kg/queries/incremental/closure.rq``), the
rules the shapes read are re-run on it, the affected nodes are validated on it (`kg.validate.validate`, either
engine), and the previous report's problems on the affected nodes are replaced by the new ones. See
docs/incremental.md for the limits.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, nullcontext
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.paths import AlternativePath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery

from kg.aggregates import compute_aggregates, refreshing_aggregates
from kg.config import Settings
from kg.inference import materialise, materialise_in, rule_names
from kg.namespaces import EIP, PREFIXES, Minter
from kg.store import load_query
from kg.terms import to_oxigraph, to_rdflib
from kg.validate import Problem, Report, load_ontology, load_shapes, validate

__all__ = ["Change", "IncrementalValidator", "Outcome", "Reach", "derive_reach", "problem_key"]

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]
_THIS = Variable("this")
# rdf:type values are classes: what the shapes read of them (rdfs:subClassOf) is ontology, not data.
_NOT_DATA = frozenset({RDF.type})


@dataclass(frozen=True)
class Reach:
    """What reaches what: derived from the shapes and the inference rules by `derive_reach`.

    Attributes:
        inbound: predicates ``p`` such that the results of ``?x`` may change when a node ``?x p ?n`` points
            at changes (``?n``'s own triples are read); also the one-step closure extracted around a focus
            node.
        target_objects: predicates of ``sh:targetObjectsOf``: the object of such a triple is a focus node.
        sibling_groups: predicate tuples; nodes sharing the objects of all of them read each other's triples.
        rule_outputs: predicates the relevant inference rules write and the shapes read (``eip:disputed``…).
        rules: the inference rules (``inference/<name>``) re-run on the affected closure.
    """

    inbound: frozenset[URIRef]
    target_objects: frozenset[URIRef]
    sibling_groups: frozenset[tuple[URIRef, ...]]
    rule_outputs: frozenset[URIRef]
    rules: tuple[str, ...]

    def table(self) -> list[tuple[str, str]]:
        """The reach table as (kind, entry) rows with prefixed names, for docs/incremental.md."""
        rows = [("inbound", _curie(p)) for p in sorted(self.inbound)]
        rows += [("target-objects", _curie(p)) for p in sorted(self.target_objects)]
        rows += [("sibling-group", " + ".join(_curie(p) for p in g)) for g in sorted(self.sibling_groups)]
        rows += [("rule-output", _curie(p)) for p in sorted(self.rule_outputs)]
        rows += [("rule", r) for r in self.rules]
        return rows


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


def derive_reach(shapes: rdflib.Graph, rules: Iterable[str] | None = None) -> Reach:
    """The reach table of a shapes graph and of the inference rules (default: all of kg/queries/inference).

    Only rules that write a predicate the shapes read (through a ``sh:path`` or a SPARQL constraint) count.
    """
    inbound: set[URIRef] = set()
    groups: set[tuple[URIRef, ...]] = set()
    read: set[URIRef] = set()
    for shape in set(shapes.subjects(SH.path, None)):
        path_iris = set(_path_iris(shapes, shapes.value(shape, SH.path)))
        read |= path_iris
        if _reads_value_triples(shapes, shape):
            inbound |= path_iris
    for shape, select in _sparql_constraints(shapes):
        patterns = _patterns(select)
        read |= {p for _, p, _ in patterns if isinstance(p, URIRef)}
        more_inbound, more_groups = _pattern_reach(patterns, _THIS)
        inbound |= more_inbound
        groups |= more_groups
    chosen, outputs = [], set()
    for name in rules if rules is not None else rule_names():
        query = prepareQuery(load_query(name))
        template = query.algebra.get("template") or []
        written = {p for _, p, _ in template if isinstance(p, URIRef)}
        if not written & (read | {RDF.type}):
            continue
        chosen.append(name)
        outputs |= written
        for subject in {s for s, _, _ in template if isinstance(s, Variable)}:
            more_inbound, more_groups = _pattern_reach(_patterns_of(query.algebra), subject)
            inbound |= more_inbound
            groups |= more_groups
    target_objects = frozenset(o for o in shapes.objects(None, SH.targetObjectsOf) if isinstance(o, URIRef))
    ordered = frozenset(_selective_first(shapes, group) for group in groups)
    return Reach(frozenset(inbound - _NOT_DATA), target_objects, ordered, frozenset(outputs), tuple(chosen))


def _selective_first(shapes: rdflib.Graph, group: tuple[URIRef, ...]) -> tuple[URIRef, ...]:
    """The group's predicates, those whose values the shapes say are IRIs first: an entity shared by a few
    claims narrows the sibling query sooner than a string shared by many ("jobs_expected")."""

    def iri_valued(predicate: URIRef) -> bool:
        return any(
            shapes.value(shape, SH.nodeKind) == SH.IRI or shapes.value(shape, SH["class"]) is not None
            for shape in shapes.subjects(SH.path, predicate)
        )

    return tuple(sorted(group, key=lambda p: (not iri_valued(p), str(p))))


def _reads_value_triples(shapes: rdflib.Graph, shape: rdflib.term.Node, depth: int = 0) -> bool:
    """Whether a constraint of ``shape`` on its value nodes reads their triples (sh:class, nested sh:path…)
    rather than only the value term (sh:datatype, sh:languageIn, sh:pattern…)."""
    if depth and any(shapes.value(shape, p) is not None for p in (SH.path, SH.closed, SH.sparql)):
        return True
    if shapes.value(shape, SH["class"]) is not None:
        return True
    for parameter in (SH.node, SH.qualifiedValueShape, SH["not"], SH.property):
        if any(_reads_value_triples(shapes, inner, depth + 1) for inner in shapes.objects(shape, parameter)):
            return True
    for parameter in (SH["or"], SH["and"], SH.xone):
        for members in shapes.objects(shape, parameter):
            if any(_reads_value_triples(shapes, m, depth + 1) for m in Collection(shapes, members)):
                return True
    return False


def _path_iris(shapes: rdflib.Graph, path: rdflib.term.Node | None) -> Iterator[URIRef]:
    """Every predicate IRI of a SHACL path (sequence, alternative, inverse, repetitions)."""
    if path is None:
        return
    if isinstance(path, URIRef):
        yield path
        return
    if shapes.value(path, RDF.first) is not None:
        for step in Collection(shapes, path):
            yield from _path_iris(shapes, step)
        return
    for predicate in (
        SH.inversePath,
        SH.zeroOrMorePath,
        SH.oneOrMorePath,
        SH.zeroOrOnePath,
        SH.alternativePath,
    ):
        inner = shapes.value(path, predicate)
        if inner is not None:
            yield from _path_iris(shapes, inner)


def _sparql_constraints(shapes: rdflib.Graph) -> Iterator[tuple[rdflib.term.Node, str]]:
    """(shape, SELECT text with $PATH replaced by the shape's path) for each SPARQL-based constraint."""
    for shape, constraint in shapes.subject_objects(SH.sparql):
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        path = shapes.value(shape, SH.path)
        text = str(select)
        if isinstance(path, URIRef):
            text = text.replace("$PATH", f"<{path}>")
        yield shape, text


def _patterns(select: str) -> list[Triple]:
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    return _patterns_of(prepareQuery(prefixes + select).algebra)


def _patterns_of(node: object) -> list[Triple]:
    """Every triple pattern of a query algebra, FILTER (NOT) EXISTS included (and FILTERs nested in them)."""
    found: list[Triple] = []
    if isinstance(node, dict):
        # rdflib keeps the translated pattern of a (NOT) EXISTS as an attribute; the item left in the dict has
        # lost the FILTERs nested in it (their triples would be missed)
        translated = {k: v for k, v in getattr(node, "__dict__", {}).items() if k == "graph"}
        for key, value in {**node, **translated}.items():
            if key == "triples" and isinstance(value, list):
                # a BGP holds (s, p, o) tuples; an unparsed block is flat: [s, p, o, s, p, o…]
                for item in value:
                    found += [tuple(item[i : i + 3]) for i in range(0, len(item) - 2, 3)]
            elif key != "template":
                found += _patterns_of(value)
    elif isinstance(node, list | tuple):
        for item in node:
            found += _patterns_of(item)
    return found


def _first_steps(predicate: object) -> set[URIRef]:
    """The predicates that can be the first step of a SPARQL property path."""
    if isinstance(predicate, URIRef):
        return {predicate}
    if isinstance(predicate, SequencePath):
        return _first_steps(predicate.args[0])
    if isinstance(predicate, AlternativePath):
        return set().union(*(_first_steps(a) for a in predicate.args))
    if isinstance(predicate, MulPath):
        return _first_steps(predicate.path)
    return set()  # inverse and negated paths start from the other end


def _hops(predicate: object) -> set[URIRef]:
    """The first steps of a property path that another step follows (their values' triples are read)."""
    if isinstance(predicate, SequencePath):
        return _first_steps(predicate.args[0])
    if isinstance(predicate, AlternativePath):
        return set().union(*(_hops(a) for a in predicate.args))
    if isinstance(predicate, MulPath):
        return _first_steps(predicate.path)
    return set()


def _pattern_reach(patterns: list[Triple], this: Variable) -> tuple[set[URIRef], set[tuple[URIRef, ...]]]:
    """Inbound predicates and sibling groups of a set of triple patterns read from the focus ``this``.

    ``this p ?v`` where ``?v``'s own triples are matched (``?v q ?w``), or ``p`` is a path of several steps,
    makes ``p`` inbound. ``this p ?v . ?other p ?v`` makes ``?other`` a sibling through ``p``; the predicates
    shared with one ``?other`` form a group.
    """
    subjects = {s for s, _, _ in patterns}
    inbound: set[URIRef] = set()
    shared: dict[Variable, set[URIRef]] = {}
    from_this = [(p, o) for s, p, o in patterns if s == this]
    for predicate, obj in from_this:
        inbound |= _hops(predicate)
        if isinstance(obj, Variable) and obj in subjects:
            inbound |= _first_steps(predicate)
    for s, p, o in patterns:
        if (
            s == this
            or not isinstance(s, Variable)
            or not isinstance(p, URIRef)
            or not isinstance(o, Variable)
        ):
            continue
        if (p, o) in from_this:
            shared.setdefault(s, set()).add(p)
    groups = {tuple(sorted(found)) for found in shared.values()}
    return inbound, groups


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


def _curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


class _Timer:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 4)
        self._last = now
