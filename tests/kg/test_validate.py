"""kg.validate: the report, file input, the configurable base IRI, inference, speed and the two engines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pydantic
import pytest
import rdflib
from rdflib import URIRef

import kg.validate as validate_module
from bench.generate import generate
from kg.config import Settings
from kg.curated import load_curated
from kg.errors import SourceError, ValidationFailed
from kg.inference import materialise
from kg.namespaces import Minter
from kg.validate import Report, load_shapes, validate, validate_files

ROOT = Path(__file__).resolve().parents[2]
SHAPE_FIXTURES = ROOT / "tests" / "shapes"
BACKGROUND = SHAPE_FIXTURES / "background.ttl"
BASE = "https://w3id.org/eu-industrial-kg/"

PREFIXES = """
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix eip:    <https://w3id.org/eu-industrial-kg/ontology#> .
@prefix eipq:   <https://w3id.org/eu-industrial-kg/vocab/qualifier/> .
@prefix eipr:   <https://w3id.org/eu-industrial-kg/vocab/rank/> .
@prefix eipk:   <https://w3id.org/eu-industrial-kg/vocab/figure-kind/> .
"""
# A claim without eip:subject (one violation) on top of the valid background.
NO_SUBJECT = PREFIXES + """
<https://w3id.org/eu-industrial-kg/id/fact/example-gigafactory-j1> a eip:EmploymentFigure ;
    eip:sourceProperty "jobs_expected" ; eip:figureKind eipk:directJobs ;
    eip:jobs "120"^^xsd:nonNegativeInteger ; eip:qualifier eipq:exact ; eip:rank eipr:normal ;
    prov:wasDerivedFrom <https://w3id.org/eu-industrial-kg/id/source/example-org-1a2b3c4d> .
"""
# A programme with no source: one warning only.
NO_SOURCE = PREFIXES + """
<https://w3id.org/eu-industrial-kg/id/programme/example-two> a eip:Programme ;
    rdfs:label "Example two"@en ; dct:identifier "example-two" .
"""


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def background() -> rdflib.Graph:
    return rdflib.Graph().parse(BACKGROUND)


def with_background(background: rdflib.Graph, turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=turtle, format="turtle") + background


def test_validate_empty_graph_conforms_with_no_problems(settings: Settings) -> None:
    report = validate(rdflib.Graph(), settings)
    assert report.conforms and report.problems == [] and report.text() == ""


def test_validate_missing_subject_names_entity_property_rule_and_message(settings: Settings,
                                                                        background: rdflib.Graph) -> None:
    report = validate(with_background(background, NO_SUBJECT), settings)
    assert not report.conforms
    [problem] = report.violations
    assert problem.focus_node == BASE + "id/fact/example-gigafactory-j1"
    assert problem.path == "eip:subject"
    assert problem.rule == "Claim-subject" and problem.severity == "Violation"
    assert problem.constraint == "http://www.w3.org/ns/shacl#MinCountConstraintComponent"
    assert "exactly one entity" in problem.message


def test_validate_warnings_alone_still_conform(settings: Settings, background: rdflib.Graph) -> None:
    report = validate(with_background(background, NO_SOURCE), settings)
    assert report.conforms
    assert [(p.rule, p.severity) for p in report.warnings] == [("Entity-source", "Warning")]


def test_validate_report_text_has_one_readable_line_per_problem(settings: Settings,
                                                                background: rdflib.Graph) -> None:
    report = validate(with_background(background, NO_SUBJECT + NO_SOURCE), settings)
    lines = report.text().splitlines()
    assert len(lines) == len(report.problems) == 2
    assert lines[0].split()[:4] == ["Violation", "fact/example-gigafactory-j1", "eip:subject",
                                    "[Claim-subject]"]
    assert lines[1].split()[:4] == ["Warning", "programme/example-two", "prov:wasDerivedFrom",
                                    "[Entity-source]"]
    assert report.summary() == "1 violation, 1 warning, 0 infos"


def test_validate_report_text_shows_literal_values_with_their_datatype(settings: Settings,
                                                                       background: rdflib.Graph) -> None:
    subject = "eip:subject <https://w3id.org/eu-industrial-kg/id/facility/example-gigafactory> ;"
    data = NO_SUBJECT.replace('eip:jobs "120"^^xsd:nonNegativeInteger', "eip:jobs 120").replace(
        "eip:sourceProperty", subject + " eip:sourceProperty")
    report = validate(with_background(background, data), settings)
    assert [p.rule for p in report.violations] == ["EmploymentFigure-jobs"]
    assert report.violations[0].value == '"120"^^xsd:integer'
    assert report.text().endswith('(value: "120"^^xsd:integer)')


def test_validate_report_to_json_is_json_ready(settings: Settings, background: rdflib.Graph) -> None:
    report = validate(with_background(background, NO_SUBJECT), settings)
    body = json.loads(json.dumps(report.to_json()))
    assert body["conforms"] is False
    assert body["violations"][0]["source_shape"].endswith("#Claim-subject")
    assert set(body["violations"][0]) == {"focus_node", "path", "value", "message", "severity",
                                          "source_shape", "constraint"}
    assert body["warnings"] == [] and body["infos"] == []


def test_validate_report_raise_for_violations_carries_the_report(settings: Settings,
                                                                background: rdflib.Graph) -> None:
    report = validate(with_background(background, NO_SUBJECT), settings)
    with pytest.raises(ValidationFailed) as caught:
        report.raise_for_violations()
    assert caught.value.report is report and "Claim-subject" in caught.value.message
    Report().raise_for_violations()  # nothing to raise


def test_validate_does_not_modify_the_data_graph(settings: Settings, background: rdflib.Graph) -> None:
    data = with_background(background, NO_SUBJECT)
    before = set(data)
    validate(data, settings)
    assert set(data) == before


def test_validate_dataset_is_checked_as_the_union_of_its_graphs(settings: Settings,
                                                                background: rdflib.Graph) -> None:
    dataset = rdflib.Dataset()
    curated = dataset.graph(URIRef(BASE + "graph/curated"))
    for triple in background:
        curated.add(triple)
    claims = dataset.graph(URIRef(BASE + "graph/import/example"))
    for triple in rdflib.Graph().parse(data=NO_SUBJECT, format="turtle"):
        claims.add(triple)
    report = validate(dataset, settings)
    assert [p.rule for p in report.problems] == ["Claim-subject"]


def test_validate_custom_base_iri_checks_iris_against_that_base(background: rdflib.Graph) -> None:
    custom = Settings(base_iri="https://example.org/kg/")
    text = BACKGROUND.read_text(encoding="utf-8").replace(BASE + "id/", "https://example.org/kg/id/")
    moved = rdflib.Graph().parse(data=text, format="turtle")
    assert validate(moved, custom).problems == []
    report = validate(background, custom)
    assert not report.conforms
    assert {p.rule for p in report.problems} == {
        "ProgrammeShape", "InitiativeShape", "FundShape", "CallShape", "OrganisationShape", "PublicBodyShape",
        "CompanyShape", "SiteShape", "FacilityShape", "PlaceShape", "SourceShape", "IdentifierShape"}


def test_validate_shapes_argument_uses_only_those_files(settings: Settings, background: rdflib.Graph) -> None:
    data = with_background(background, NO_SUBJECT + NO_SOURCE)
    report = validate(data, settings, shapes=[settings.shapes_dir / "recommended.ttl"])
    assert report.conforms and [p.rule for p in report.warnings] == ["Entity-source"]


def test_validate_shapes_are_loaded_once_per_base(settings: Settings) -> None:
    assert load_shapes(settings) is load_shapes(settings)
    assert load_shapes(settings) is not load_shapes(Settings(base_iri="https://example.org/kg/"))


def test_validate_missing_shapes_dir_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        validate(rdflib.Graph(), Settings(shapes_dir=tmp_path))
    assert caught.value.location == str(tmp_path)


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")])
def test_validate_files_reads_rdf_by_extension(tmp_path: Path, settings: Settings, suffix: str,
                                               fmt: str) -> None:
    claims = tmp_path / f"claims{suffix}"
    claims.write_text(rdflib.Graph().parse(data=NO_SUBJECT, format="turtle").serialize(format=fmt),
                      encoding="utf-8")
    report = validate_files([BACKGROUND, claims], settings)
    assert [p.rule for p in report.problems] == ["Claim-subject"]


def test_validate_files_syntax_error_names_file_and_line(tmp_path: Path, settings: Settings) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n',
                      encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        validate_files([broken], settings)
    assert caught.value.location.startswith(f"{broken}:3:")


def test_validate_files_unknown_extension_raises_source_error(tmp_path: Path, settings: Settings) -> None:
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        validate_files([odd], settings)
    assert str(odd) in str(caught.value)


def _every_invalid_fixture(background: rdflib.Graph) -> rdflib.Graph:
    data = rdflib.Graph() + background
    for path in sorted(SHAPE_FIXTURES.glob("*-002.ttl")):  # every invalid fixture at once: all rules fire
        data.parse(path)
    return data


def test_validate_inference_none_gives_the_same_report_as_rdfs(monkeypatch: pytest.MonkeyPatch,
                                                               background: rdflib.Graph) -> None:
    settings = Settings(shacl_engine="pyshacl")  # INFERENCE is pySHACL's option
    data = _every_invalid_fixture(background)
    plain = validate(data, settings)
    monkeypatch.setattr(validate_module, "INFERENCE", "rdfs")
    with_rdfs = validate(data, settings)
    assert len(plain.problems) > 100
    assert plain.problems == with_rdfs.problems


def test_validate_sparql_text_is_parsed_once_per_graph() -> None:
    graph = validate_module._PreparedQueryGraph()
    graph.add((URIRef("urn:x:a"), URIRef("urn:x:p"), URIRef("urn:x:b")))
    query = "SELECT ?o WHERE { ?s <urn:x:p> ?o }"
    first = list(graph.query(query, initBindings={"s": URIRef("urn:x:a")}))
    second = list(graph.query(query, initBindings={"s": URIRef("urn:x:b")}))
    assert [row[0] for row in first] == [URIRef("urn:x:b")] and second == []
    assert list(graph._prepared) == [query]


@pytest.fixture(scope="module")
def curated_with_inferences(settings: Settings) -> rdflib.Graph:
    data = load_curated(settings.curated_dir, Minter(settings.base_iri))
    return data + materialise([validate_module.load_ontology(settings), data]).graph


def test_validate_curated_graph_has_no_violations(settings: Settings,
                                                  curated_with_inferences: rdflib.Graph) -> None:
    report = validate(curated_with_inferences, settings)
    assert len(curated_with_inferences) > 5_000
    assert report.conforms, report.text()
    assert report.warnings, "the curated graph is known to have completeness warnings"


# --- the two engines (Settings.shacl_engine) ----------------------------------------------------------------

PYSHACL = Settings(shacl_engine="pyshacl")
TURBO = Settings(shacl_engine="turbo")


def test_validate_engine_is_turbo_by_default_and_read_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_SHACL_ENGINE", raising=False)
    assert Settings().shacl_engine == "turbo"
    monkeypatch.setenv("KG_SHACL_ENGINE", "pyshacl")
    assert Settings().shacl_engine == "pyshacl"
    monkeypatch.setenv("KG_SHACL_ENGINE", "jena")
    with pytest.raises(pydantic.ValidationError, match="shacl_engine"):
        Settings()


def test_validate_engines_agree_on_the_curated_graph(curated_with_inferences: rdflib.Graph) -> None:
    turbo, reference = validate(curated_with_inferences, TURBO), validate(curated_with_inferences, PYSHACL)
    assert turbo.warnings and turbo.problems == reference.problems


@pytest.fixture(scope="module")
def synthetic() -> rdflib.Graph:
    """A small synthetic graph (bench/generate.py): no violation once inferred, completeness warnings."""
    out = io.BytesIO()
    generate(4_000, 42, out)
    return rdflib.Graph().parse(data=out.getvalue(), format="nt")


def test_validate_engines_agree_on_damaged_synthetic_data(synthetic: rdflib.Graph) -> None:
    """Every 7th triple dropped, no inferences: missing values, dangling links, broken claims."""
    damaged = rdflib.Graph()
    for index, triple in enumerate(sorted(synthetic)):
        if index % 7:
            damaged.add(triple)
    turbo, reference = validate(damaged, TURBO), validate(damaged, PYSHACL)
    assert len({p.rule for p in turbo.violations}) > 10 and turbo.warnings
    assert turbo.problems == reference.problems


def test_validate_engines_agree_on_synthetic_data_with_inferences(settings: Settings,
                                                                   synthetic: rdflib.Graph) -> None:
    data = synthetic + materialise([validate_module.load_ontology(settings), synthetic]).graph
    turbo, reference = validate(data, TURBO), validate(data, PYSHACL)
    assert turbo.conforms and turbo.warnings
    assert turbo.problems == reference.problems


def test_validate_engines_differ_only_on_comparing_a_year_month_with_a_date(background: rdflib.Graph) -> None:
    """The one difference found: SPARQL ``>`` between an xsd:gYearMonth and an xsd:date is a type error for
    turbo (Oxigraph's evaluator; the spec's operator table has no such comparison) but true for pySHACL
    (rdflib). Only data already violating ``Milestone-earliest`` (dates must be xsd:date) can reach it."""
    data = _every_invalid_fixture(background)  # milestone t1: earliest "2025-12"^^gYearMonth, latest a date
    turbo, reference = validate(data, TURBO), validate(data, PYSHACL)
    [extra] = set(reference.problems) - set(turbo.problems)
    assert extra.rule == "Milestone-bounds-order" and extra.value == '"2025-12"^^xsd:gYearMonth'
    assert set(turbo.problems) < set(reference.problems)
    assert {p for p in reference.problems if p.rule == "Milestone-earliest"} <= set(turbo.problems)


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_validate_focus_reports_every_problem_of_those_nodes_only(background: rdflib.Graph,
                                                                 engine: str) -> None:
    """Nested shapes included (the ``*-scheme`` rules check a value node's scheme through ``sh:node``):
    pySHACL's own ``focus_nodes`` option would skip those value nodes, so kg.validate filters its report."""
    settings = Settings(shacl_engine=engine)
    data = _every_invalid_fixture(background)
    full = validate(data, settings)
    nodes = sorted({p.focus_node for p in full.problems})[::2]
    expected = [p for p in full.problems if p.focus_node in nodes]
    assert len(expected) > 20 and any(p.rule.endswith("-scheme") for p in expected)
    assert validate(data, settings, focus=[URIRef(n) for n in nodes]).problems == expected


def test_validate_turbo_shapes_are_compiled_once_per_shapes_and_base(settings: Settings) -> None:
    fingerprint = validate_module._shapes_fingerprint(settings, None)
    compiled = validate_module._compiled_shapes(fingerprint, settings.base_iri)
    validate(rdflib.Graph(), TURBO)
    assert validate_module._compiled_shapes(fingerprint, settings.base_iri) is compiled
    assert validate_module._compiled_shapes(fingerprint, "https://example.org/kg/") is not compiled

