"""The SHACL shapes: well-formed SHACL, a message on every rule, a valid and an invalid fixture per rule.

Fixtures follow the W3C data-shapes test suite: ``tests/shapes/<rule>-NNN.ttl`` holds the data and, under the
node ``tst:case`` (``sht:Validate``), the rule it exercises (``mf:action [ sht:shape … ]``) and the expected
``sh:ValidationReport`` (``mf:result``). The data is validated together with ``background.ttl`` against all
the shape files; the results must be exactly the expected ones (no more, no fewer), with the configured engine
(``KG_SHACL_ENGINE``, turbo by default), and pySHACL must report the same problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SH

from kg.config import Settings
from kg.validate import Problem, _path_text, _term_text, load_shapes, validate

HERE = Path(__file__).resolve().parent
SHAPES_DIR = Settings().shapes_dir
SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
FIXTURES = sorted(HERE.glob("*-[0-9][0-9][0-9].ttl"))
SHP = Namespace("https://w3id.org/eu-industrial-kg/shapes#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
TST = Namespace("urn:x-eip-test:")
NODE_PARAMETERS = (SH.pattern, SH.closed, SH.nodeKind, SH.sparql, SH["class"], SH.datatype, SH["in"],
                   SH["or"], SH["and"], SH["not"], SH.node, SH.hasValue)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
FILE_SEVERITIES = {"core.ttl": {SH.Violation}, "ranges.ttl": {SH.Violation},
                   "vocabularies.ttl": {SH.Violation}, "recommended.ttl": {SH.Warning, SH.Info}}


@cache
def settings() -> Settings:
    return Settings()


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in SHAPE_FILES:
        graph.parse(path)
    return graph


@cache
def background() -> Graph:
    return Graph().parse(HERE / "background.ttl")


def rules(graph: Graph) -> Iterator[URIRef]:
    """Every shape that reports results: targeted node shapes with node-level constraints, the property
    shapes of node shapes, and property shapes with their own target."""
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        if targeted(graph, shape) and any(graph.value(shape, p) is not None for p in NODE_PARAMETERS):
            yield shape
    yield from {o for o in graph.objects(None, SH.property) if isinstance(o, URIRef)}
    own_target = graph.subjects(RDF.type, SH.PropertyShape)
    yield from {s for s in own_target if isinstance(s, URIRef) and targeted(graph, s)}


def targeted(graph: Graph, shape: URIRef) -> bool:
    return any(graph.value(shape, t) is not None for t in TARGETS)


def split_fixture(path: Path) -> tuple[Graph, Graph, URIRef]:
    """(data, manifest, rule): the manifest is ``tst:case`` and every blank node reachable from it."""
    whole = Graph().parse(path)
    manifest = Graph()
    todo: list = [TST.case]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in whole.triples((node, None, None)):
            manifest.add(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
    data = Graph()
    for triple in whole:
        if triple not in manifest:
            data.add(triple)
    rule = manifest.value(manifest.value(TST.case, MF.action), SHT.shape)
    return data, manifest, rule


def expected_results(manifest: Graph) -> tuple[bool, list[dict]]:
    report = manifest.value(TST.case, MF.result)
    out = []
    for node in manifest.objects(report, SH.result):
        path = manifest.value(node, SH.resultPath)
        value = manifest.value(node, SH.value)
        out.append({
            "focus_node": _term_text(manifest.value(node, SH.focusNode)),
            "path": None if path is None else _path_text(manifest, path),
            "value": None if value is None else _term_text(value),
            "severity": str(manifest.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
            "source_shape": str(manifest.value(node, SH.sourceShape)),
            "message": str(manifest.value(node, SH.resultMessage)),
        })
    return manifest.value(report, SH.conforms) == Literal(True), out


def key(problem: Problem | dict) -> tuple:
    item = problem if isinstance(problem, dict) else problem.__dict__
    return item["focus_node"], item["path"], item["severity"], item["source_shape"], item["message"]


@cache
def shacl_shacl() -> Graph:
    return Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"))


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shapes_file_conforms_to_shacl_shacl(path: Path) -> None:
    conforms, _, text = pyshacl.validate(Graph().parse(path), shacl_graph=shacl_shacl(), inference="none")
    assert conforms, text


def test_shapes_shacl_shacl_check_rejects_a_broken_shape() -> None:
    broken = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:S> a sh:PropertyShape ; sh:path <urn:x:p> ; sh:minCount "one" .""", format="turtle")
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl(), inference="none")
    assert not conforms


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shapes_file_opens_with_scope_comment_and_metadata(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    graph = Graph().parse(path)
    header = list(graph.subjects(RDF.type, OWL.Ontology))
    assert text.startswith("# ") and "Scope:" in text.split("@prefix", 1)[0]
    assert len(header) == 1 and str(header[0]).endswith("/shapes/" + path.stem)
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created):
        assert graph.value(header[0], predicate) is not None, f"{path.name}: no {predicate} on {header[0]}"


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shapes_file_uses_its_severity_only(path: Path) -> None:
    graph = Graph().parse(path)
    used = set(graph.objects(None, SH.severity))
    assert used and used <= FILE_SEVERITIES[path.name]
    assert all(graph.value(rule, SH.severity) is not None for rule in rules(graph))


def test_shapes_every_rule_and_sparql_constraint_has_an_english_message() -> None:
    graph = shapes_graph()
    holders = set(rules(graph)) | set(graph.objects(None, SH.sparql))
    holders |= {o for o in graph.objects(None, SH.property)}  # nested property shapes too
    missing = [str(h) for h in holders if not any(
        isinstance(m, Literal) and m.language == "en" for m in graph.objects(h, SH.message))]
    assert not missing, f"rules without an English sh:message: {missing}"


def test_shapes_node_shapes_named_after_their_class() -> None:
    graph = shapes_graph()
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        assert str(shape).startswith(str(SHP)), shape
        for cls in graph.objects(shape, SH.targetClass):
            local = str(cls).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            assert str(shape).endswith(f"#{local}Shape"), (shape, cls)


def test_shapes_base_placeholder_is_substituted_with_escaped_base() -> None:
    custom = Settings(base_iri="https://example.org/kg/")
    patterns = [str(o) for o in load_shapes(custom).objects(None, SH.pattern)]
    assert not any("{BASE}" in p for p in patterns)
    assert any(p.startswith(r"^https://example\.org/kg/id/programme/") for p in patterns)


def test_shapes_background_conforms_with_no_result() -> None:
    report = validate(background(), settings())
    assert report.problems == [], report.text()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_shapes_fixture_gives_expected_report(path: Path) -> None:
    data, manifest, rule = split_fixture(path)
    conforms, expected = expected_results(manifest)
    report = validate(data + background(), settings())
    assert {key(p) for p in report.problems} == {key(e) for e in expected}, report.text()
    assert conforms == (not report.problems)
    for item in (e for e in expected if e["value"] is not None):
        assert any(key(p) == key(item) and p.value == item["value"] for p in report.problems), item


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_shapes_fixture_report_is_the_same_with_the_pyshacl_engine(path: Path) -> None:
    """The default engine (pyshacl-turbo) and pySHACL, the reference, agree problem for problem."""
    data, _, _ = split_fixture(path)
    graph = data + background()
    reference = validate(graph, settings().model_copy(update={"shacl_engine": "pyshacl"}))
    assert validate(graph, settings()).problems == reference.problems


def test_shapes_every_rule_has_a_valid_and_an_invalid_fixture() -> None:
    valid, invalid = set(), set()
    for path in FIXTURES:
        _, manifest, rule = split_fixture(path)
        assert path.stem.rsplit("-", 1)[0] == str(rule).rsplit("#", 1)[-1], f"{path.name} names {rule}"
        conforms, expected = expected_results(manifest)
        if conforms:
            valid.add(rule)
        elif any(e["source_shape"] == str(rule) for e in expected):
            invalid.add(rule)
    all_rules = set(rules(shapes_graph()))
    assert not all_rules - valid, f"rules without a valid fixture: {sorted(all_rules - valid)}"
    assert not all_rules - invalid, f"rules without an invalid fixture: {sorted(all_rules - invalid)}"
