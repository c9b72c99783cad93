"""What a change to the data can reach through the shapes, derived from the shapes and the inference rules.

`derive_reach` reads the shapes (``sh:class``, ``sh:node``, qualified value shapes, ``sh:or``, paths, and the
triple patterns of SPARQL constraints) and the inference rules whose output the shapes read, and returns the
`Reach` that `kg.incremental.IncrementalValidator` follows from a change: the predicates whose values a shape
inspects (inbound nodes), the predicates that make their objects focus nodes, and the sibling groups (claims
that share the objects of every predicate of a group, e.g. ``eip:subject`` and ``eip:sourceProperty``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import rdflib
from rdflib import URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.paths import AlternativePath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery

from kg.inference import rule_names
from kg.namespaces import PREFIXES, curie
from kg.store import load_query

__all__ = ["Reach", "Triple", "derive_reach"]

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
        rows = [("inbound", curie(p)) for p in sorted(self.inbound)]
        rows += [("target-objects", curie(p)) for p in sorted(self.target_objects)]
        rows += [("sibling-group", " + ".join(curie(p) for p in g)) for g in sorted(self.sibling_groups)]
        rows += [("rule-output", curie(p)) for p in sorted(self.rule_outputs)]
        rows += [("rule", r) for r in self.rules]
        return rows



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
