"""SHACL validation of a data graph against ``shapes/*.ttl``, returning a typed report.

The engine is ``Settings.shacl_engine``: ``turbo`` (pyshacl-turbo, a Rust engine with pySHACL's API; the
shapes are compiled once per shapes files and base IRI) or ``pyshacl`` (pySHACL 0.40.1, the reference). Both
give the same report on every shapes fixture, the curated graph and synthetic data (tests/shapes,
tests/kg/test_validate.py); `_engine_results` is the one place that calls either.

The structure of the ontology and its concept schemes (``ontology/*.ttl``: types, class hierarchy, scheme
membership and ``skos:broader``; not labels or definitions) is merged into a copy of the data graph before
the engine runs, so ``sh:targetClass`` and ``sh:class`` follow ``rdfs:subClassOf`` and the closed-value-set
rules see ``skos:inScheme``. (pySHACL's ``ont_graph`` would copy only RDFS/OWL axioms, not the SKOS concepts.)
No RDFS/OWL inference is run (``inference="none"``): SHACL itself walks ``rdf:type/rdfs:subClassOf*``, which
is all the shapes need; on the curated graph the report is the same as with ``inference="rdfs"`` and
pySHACL is about 1.5 times faster (``tests/kg/test_validate.py`` checks the equality).

Shape files write the configured base IRI as the placeholder ``{BASE}`` in ``sh:pattern``; it is replaced by
the regex-escaped ``Settings.base_iri`` when the shapes are loaded.

>>> from kg.config import Settings
>>> report = validate(rdflib.Graph(), Settings())
>>> report.conforms, report.text()
(True, '')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import pyshacl
import pyshacl_turbo
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from kg.config import Settings
from kg.errors import SourceError, ValidationFailed
from kg.namespaces import curie
from kg.rdfio import read_rdf, read_rdf_files

__all__ = [
    "BASE_PLACEHOLDER", "Problem", "Report", "load_ontology", "load_shapes", "validate", "validate_files",
]

BASE_PLACEHOLDER = "{BASE}"
INFERENCE = "none"
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Problem:
    """One SHACL result.

    Attributes:
        focus_node: the resource the rule is about (IRI, or blank-node label).
        path: the property (or property path, SPARQL syntax) the rule looks at; None for node-level rules.
        value: the offending value (IRI or literal lexical form), when the rule names one.
        message: what is wrong, in English, from the shape's ``sh:message``.
        severity: ``Violation``, ``Warning`` or ``Info``.
        source_shape: IRI of the shape that reported it (``…/shapes#Claim-subject``).
        constraint: IRI of the SHACL constraint component (``sh:MinCountConstraintComponent``…).
    """

    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: str
    source_shape: str
    constraint: str

    @property
    def rule(self) -> str:
        """The short name of the rule: the local name of its shape (``Claim-subject``)."""
        return re.split(r"[#/]", self.source_shape)[-1]


@dataclass(frozen=True)
class Report:
    """What validation found, split by severity; ``conforms`` is True when there is no violation."""

    violations: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    infos: list[Problem] = field(default_factory=list)
    base_iri: str | None = field(default=None, compare=False)

    @property
    def conforms(self) -> bool:
        """True when no rule of severity Violation failed (warnings and infos are allowed)."""
        return not self.violations

    @property
    def problems(self) -> list[Problem]:
        """Every problem, violations first."""
        return [*self.violations, *self.warnings, *self.infos]

    def text(self) -> str:
        """One line per problem: severity, entity, property, rule, message (and the value, when there is one).

        Entities under ``<base>id/`` are shown as ``<kind>/<slug>``, other IRIs as prefixed names.
        """
        lines = (_line(problem, self.base_iri) for problem in self.problems)
        return "\n".join(dict.fromkeys(lines))  # two constraints of one rule failing on one value: one line

    def summary(self) -> str:
        """``3 violations, 1 warning, 0 infos``."""
        counts = ((len(self.violations), "violation"), (len(self.warnings), "warning"),
                  (len(self.infos), "info"))
        return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON-ready dict: ``{"conforms", "summary", "violations", "warnings", "infos"}``."""
        return {"conforms": self.conforms, "summary": self.summary(),
                "violations": [asdict(p) for p in self.violations],
                "warnings": [asdict(p) for p in self.warnings], "infos": [asdict(p) for p in self.infos]}

    def raise_for_violations(self) -> None:
        """Raise ValidationFailed (carrying this report) when there is at least one violation."""
        if self.violations:
            first = self.violations[0]
            raise ValidationFailed(f"SHACL: {self.summary()}; first: {first.focus_node} "
                                   f"{first.path or ''} [{first.rule}] {first.message}", report=self)


def validate(data: rdflib.Graph, settings: Settings, *, shapes: list[Path] | None = None,
             focus: Iterable[rdflib.term.Node] | None = None) -> Report:
    """Validate ``data`` against the shapes, with the ontology and vocabularies loaded.

    Args:
        data: the graph to check (a Dataset or ConjunctiveGraph is validated as the union of its graphs).
        settings: base IRI, ontology and shapes directories, SHACL engine.
        shapes: shape files to use instead of every ``*.ttl`` of ``settings.shapes_dir``.
        focus: report only the problems of these focus nodes (turbo validates only them; pySHACL validates
            everything and the report is filtered, as its ``focus_nodes`` option skips nested value nodes).

    Returns:
        the report; ``report.conforms`` is False when a rule of severity Violation failed.

    Raises:
        SourceError: a shapes or ontology file is missing or has a syntax error.
    """
    fingerprint = _shapes_fingerprint(settings, shapes)
    structure = _ontology_structure(_ontology_fingerprint(settings))
    nodes = None if focus is None else list(focus)
    results = _engine_results(settings.shacl_engine, data, structure, fingerprint, settings.base_iri, nodes)
    keep = None if nodes is None else {_term_text(node) for node in nodes}
    return _report(results, settings.base_iri, keep)


def validate_files(paths: Iterable[Path], settings: Settings, *, shapes: list[Path] | None = None) -> Report:
    """Validate RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML by extension) as one graph.

    Raises:
        SourceError: a file is missing, has an unknown extension or a syntax error (location
            ``file:line:col``).
    """
    return validate(read_rdf_files(Path(p) for p in paths), settings, shapes=shapes)


def load_shapes(settings: Settings, paths: Sequence[Path] | None = None) -> rdflib.Graph:
    """The shapes graph: the given files (default ``settings.shapes_dir/*.ttl``), ``{BASE}`` substituted."""
    return _load_shapes(_shapes_fingerprint(settings, paths), settings.base_iri)


def load_ontology(settings: Settings) -> rdflib.Graph:
    """The ontology and concept schemes: every ``*.ttl`` of ``settings.ontology_dir``."""
    return _load_graph(_ontology_fingerprint(settings))


def _shapes_fingerprint(settings: Settings, paths: Sequence[Path] | None) -> tuple[tuple[str, int, int], ...]:
    files = sorted(Path(settings.shapes_dir).glob("*.ttl")) if paths is None else [Path(p) for p in paths]
    if not files:
        raise SourceError("no SHACL shapes file found", location=str(settings.shapes_dir),
                          hint="point KG_SHAPES_DIR at the shapes/ folder")
    return _fingerprint(files)


def _ontology_fingerprint(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    return _fingerprint(sorted(Path(settings.ontology_dir).glob("*.ttl")))


# --- loading (cached by path, size and modification time) ----------------------------------------------

def _fingerprint(files: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in files:
        try:
            stat = path.stat()
        except OSError as exc:
            raise SourceError(f"cannot read the file: {exc.strerror or exc}", location=str(path)) from exc
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


@lru_cache(maxsize=8)
def _load_graph(fingerprint: tuple[tuple[str, int, int], ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path, _, _ in fingerprint:
        read_rdf(Path(path), graph)
    return graph


# What the shapes read from the ontology: types and class/property hierarchy (sh:targetClass, sh:class) and
# the structure of the concept schemes (skos:inScheme, skos:broader*). Labels and definitions (three quarters
# of the ontology's triples) are left out of the copy pySHACL works on.
_STRUCTURE = frozenset({RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, SKOS.inScheme, SKOS.broader,
                        SKOS.topConceptOf})


@lru_cache(maxsize=8)
def _ontology_structure(fingerprint: tuple[tuple[str, int, int], ...]) -> rdflib.Graph:
    structure = rdflib.Graph()
    for triple in _load_graph(fingerprint):
        if triple[1] in _STRUCTURE:
            structure.add(triple)
    return structure


@lru_cache(maxsize=8)
def _load_shapes(fingerprint: tuple[tuple[str, int, int], ...], base_iri: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path, _, _ in fingerprint:
        read_rdf(Path(path), graph)
    for subject, predicate, obj in list(graph):
        if isinstance(obj, Literal) and BASE_PLACEHOLDER in obj:
            base = re.escape(base_iri) if predicate == SH.pattern else base_iri
            graph.remove((subject, predicate, obj))
            graph.add((subject, predicate, Literal(str(obj).replace(BASE_PLACEHOLDER, base),
                                                   lang=obj.language, datatype=obj.datatype)))
    return graph


# --- the engines --------------------------------------------------------------------------------------------

def _engine_results(engine: str, data: rdflib.Graph, structure: rdflib.Graph,
                    shapes: tuple[tuple[str, int, int], ...], base_iri: str,
                    focus: list[rdflib.term.Node] | None = None) -> rdflib.Graph:
    """The SHACL results graph of ``data`` + the ontology's ``structure`` with the given shapes files (turbo:
    of the ``focus`` nodes only, when given; pySHACL: of every node)."""
    if engine == "turbo":  # rdflib's SimpleMemory store: 2–3 times faster to fill, no context index to keep
        merged = _merged(data, structure, rdflib.Graph(store="SimpleMemory"))
        _, results, _ = _compiled_shapes(shapes, base_iri).validate(merged, focus_nodes=focus)
    else:
        merged = _merged(data, structure, _PreparedQueryGraph())
        shapes_graph = _load_shapes(shapes, base_iri)
        _, results, _ = pyshacl.validate(merged, shacl_graph=shapes_graph, inference=INFERENCE, inplace=True,
                                         advanced=False, abort_on_first=False)
    return results


@lru_cache(maxsize=8)
def _compiled_shapes(fingerprint: tuple[tuple[str, int, int], ...], base_iri: str) -> Any:
    """The shapes compiled by pyshacl-turbo, once per shapes files (path, size, mtime) and base IRI."""
    return pyshacl_turbo.compile_shapes(_load_shapes(fingerprint, base_iri), advanced=False)


def _merged(data: rdflib.Graph, ontology: rdflib.Graph, merged: rdflib.Graph) -> rdflib.Graph:
    """``merged`` (a new, empty graph) filled with the data (the union of its graphs, for a Dataset) and the
    ontology's structure.

    pySHACL's own ``ont_graph`` copies only RDFS/OWL axioms, not the SKOS concepts the value-set rules need,
    so the ontology is merged here and the engine validates the copy (the caller's graph is untouched).
    """
    if isinstance(data, rdflib.ConjunctiveGraph):
        for subject, predicate, obj, _ in data.quads((None, None, None, None)):
            merged.add((subject, predicate, obj))
    else:
        for triple in data:
            merged.add(triple)
    for triple in ontology:
        merged.add(triple)
    return merged


class _PreparedQueryGraph(rdflib.Graph):
    """A graph that parses each distinct SPARQL text once.

    pySHACL sends the same query text of a SPARQL-based constraint once per focus node, and rdflib parses it
    every time (about 14 ms per call: 90% of validation time on the curated graph); the parsed query is
    reused. Parsed queries are also shared across validations (``_parsed``: the texts come from the shapes,
    and every instance has rdflib's default prefixes, so a text parses the same in each); kg.incremental
    validates small graphs often and would otherwise spend ~130 ms per call parsing.
    """

    _parsed: ClassVar[dict[str, Query]] = {}

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[str, Query] = {}

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Result:  # type: ignore[override]
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._parsed.get(query_object)
                if prepared is None:
                    prepared = prepareQuery(query_object, initNs=dict(self.namespaces()))
                    self._parsed[query_object] = prepared
                self._prepared[query_object] = prepared
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


# --- results graph → Report -----------------------------------------------------------------------------

def _report(results: rdflib.Graph, base_iri: str, focus: set[str] | None = None) -> Report:
    """The report of a results graph (only the problems of the ``focus`` nodes, as `_term_text`, if given)."""
    found: dict[str, list[Problem]] = {"Violation": [], "Warning": [], "Info": []}
    report = results.value(predicate=RDF.type, object=SH.ValidationReport)
    # top-level results only: nested ones (sh:detail of an sh:node result) are explained by their parent
    for node in results.objects(report, SH.result):
        problem = _problem(results, node)
        if focus is None or problem.focus_node in focus:
            found[problem.severity].append(problem)
    key = _sort_key
    return Report(violations=sorted(found["Violation"], key=key), warnings=sorted(found["Warning"], key=key),
                  infos=sorted(found["Info"], key=key), base_iri=base_iri)


def _problem(results: rdflib.Graph, node: rdflib.term.Node) -> Problem:
    path = results.value(node, SH.resultPath)
    value = results.value(node, SH.value)
    return Problem(
        focus_node=_term_text(results.value(node, SH.focusNode)),
        path=None if path is None else _path_text(results, path),
        value=None if value is None else _term_text(value),
        message=_message(results, node),
        severity=_SEVERITIES.get(results.value(node, SH.resultSeverity), "Violation"),
        source_shape=str(results.value(node, SH.sourceShape)),
        constraint=str(results.value(node, SH.sourceConstraintComponent)),
    )


def _term_text(term: rdflib.term.Node | None) -> str:
    """An IRI as is, a blank node as ``_:label``, a literal as Turtle (``"4"^^xsd:integer``, ``"x"@fr``)."""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        quoted = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        return quoted if term.datatype in (None, XSD.string) else f"{quoted}^^{curie(term.datatype)}"
    return str(term)


def _message(results: rdflib.Graph, node: rdflib.term.Node) -> str:
    messages = sorted(results.objects(node, SH.resultMessage),
                      key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
    return str(messages[0]) if messages else ""


def _path_text(graph: rdflib.Graph, path: rdflib.term.Node) -> str:
    """A SHACL property path in SPARQL syntax with prefixed names (``eip:amount/schema:value``)."""
    if isinstance(path, URIRef):
        return curie(path)
    if (graph.value(path, RDF.first) is not None) or path == RDF.nil:
        return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    return str(path)


def _short(iri: str, base_iri: str | None) -> str:
    if base_iri and iri.startswith(base_iri + "id/"):
        return iri[len(base_iri) + 3:]
    return iri if iri.startswith("_:") or not iri.startswith(("http:", "https:", "urn:")) else curie(iri)


def _line(problem: Problem, base_iri: str | None) -> str:
    shown = problem.value is not None and problem.value != problem.focus_node
    value = f" (value: {_short(problem.value, base_iri)})" if shown else ""
    return (f"{problem.severity:<9} {_short(problem.focus_node, base_iri)}  {problem.path or '-'}  "
            f"[{problem.rule}]  {problem.message}{value}")


def _sort_key(problem: Problem) -> tuple[int, str, str, str, str, str, str]:
    """Severity, entity, property, rule, then the rest: the order does not depend on the engine's."""
    return (_ORDER[problem.severity], problem.focus_node, problem.path or "", problem.rule,
            problem.value or "", problem.constraint, problem.message)

