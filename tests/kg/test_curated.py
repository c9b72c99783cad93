from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.config import get_settings
from kg.curated import load_curated
from kg.errors import MappingError, SourceError
from kg.mapping.dates import parse_date
from kg.namespaces import EIP, SCHEMA, Minter, vocab

MINTER = Minter("https://w3id.org/eu-industrial-kg/")
CURATED = get_settings().curated_dir

GOOD = """\
entities:
- id: acme
  type: Company
  name_en: Acme
  name_fr: Acmé
  identifiers: {}
  sources: [https://example.org/a]
- id: acme-plant
  type: Facility
  class: BatteryGigafactory
  name_en: Acme plant
  identifiers: {}
  sources: [https://example.org/a]
facts:
- subject: acme-plant
  property: operated_by
  value: acme
  unit: entity-id
  qualifier: exact
  as_of: '2025-03'
  source: https://example.org/a
  source_date: '2025-03-01'
- subject: acme-plant
  property: investment_amount
  value: 4000000000
  unit: EUR
  qualifier: approximately
  as_of: '2025'
  source: https://example.org/a
  source_date: '2025-03-01'
- subject: acme-plant
  property: production_start
  value: 2025-Q4
  unit: date
  qualifier: planned
  source: https://example.org/a
  source_date: '2025-03-01'
"""


def _curated(tmp_path: Path, text: str) -> Path:
    shutil.copy(CURATED / "properties.yaml", tmp_path / "properties.yaml")
    (tmp_path / "facts.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _fact_line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_load_curated_maps_every_shared_fact_to_one_claim():
    graph = load_curated(CURATED, MINTER)
    claims = set(graph.subjects(EIP.subject, None))
    shared = {str(c) for c in claims if str(graph.value(c, EIP.sourceLine)).startswith("facts.yaml:")}
    assert len(shared) == 398
    assert len(claims) == 398 + 35  # places.yaml structures 35 worded locations


def test_load_curated_amount_is_decimal_in_currency_units(tmp_path):
    graph = load_curated(_curated(tmp_path, GOOD), MINTER)
    values = {v for v in graph.objects(None, SCHEMA.value)}
    assert Literal("4000000000", datatype=XSD.decimal) in values


def test_load_curated_relation_writes_truthy_triple(tmp_path):
    graph = load_curated(_curated(tmp_path, GOOD), MINTER)
    plant, acme = MINTER.entity("facility", "acme-plant"), MINTER.entity("company", "acme")
    assert (plant, EIP.operatedBy, acme) in graph


def test_load_curated_quarter_keeps_precision_and_bounds(tmp_path):
    graph = load_curated(_curated(tmp_path, GOOD), MINTER)
    milestone = next(graph.subjects(EIP.dateAsStated, Literal("2025-Q4")))
    assert graph.value(milestone, EIP.precision) == vocab("precision", "quarter")
    assert str(graph.value(milestone, EIP.earliest)) == "2025-10-01"
    assert str(graph.value(milestone, EIP.latest)) == "2025-12-31"


def test_load_curated_deprecated_claim_writes_no_truthy_triple(tmp_path):
    text = GOOD.replace("  as_of: '2025-03'\n", "  as_of: '2025-03'\n  rank: deprecated\n  rank_reason: wrong\n", 1)
    graph = load_curated(_curated(tmp_path, text), MINTER)
    assert (MINTER.entity("facility", "acme-plant"), EIP.operatedBy, None) not in graph


@pytest.mark.parametrize(
    ("old", "new", "error", "needle", "words"),
    [
        ("property: investment_amount", "property: investment_amonut", MappingError,
         "investment_amonut", "unknown property 'investment_amonut'"),
        ("value: acme\n", "value: acme-corp\n", MappingError, "value: acme-corp", "'acme-corp' is not a curated entity"),
        ("unit: EUR", "unit: GWh", MappingError, "unit: GWh", "wrong unit 'GWh'"),
        ("value: 2025-Q4", "value: 2025-02-30", MappingError, "value: 2025-02-30", "impossible date"),
        ("value: 2025-Q4", "value: 2025-13", MappingError, "value: 2025-13", "month 13 does not exist"),
        ("qualifier: planned", "qualifier: maybe", MappingError, "qualifier: maybe", "unknown qualifier 'maybe'"),
        ("source_date: '2025-03-01'\n- subject: acme-plant\n  property: investment_amount",
         "source_date: '2025-03-01'\n  colour: red\n- subject: acme-plant\n  property: investment_amount",
         SourceError, "colour: red", "unknown key 'colour'"),
    ],
)
def test_load_curated_bad_fact_names_file_line_and_rule(tmp_path, old, new, error, needle, words):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    with pytest.raises(error) as caught:
        load_curated(_curated(tmp_path, text), MINTER)
    message = str(caught.value)
    assert words in message
    fact_start = max(i for i, line in enumerate(text.splitlines(), 1)
                     if line.startswith("- ") and i <= _fact_line(text, needle))
    assert message.startswith(f"facts.yaml:{fact_start}: ")


def test_load_curated_yaml_syntax_error_names_line(tmp_path):
    text = GOOD.replace("  name_fr: Acmé\n", "  name_fr: [Acmé\n", 1)
    with pytest.raises(SourceError) as caught:
        load_curated(_curated(tmp_path, text), MINTER)
    assert "YAML syntax error" in str(caught.value)
    assert "facts.yaml:" in caught.value.location


def test_load_curated_duplicate_entity_id_is_refused(tmp_path):
    text = GOOD.replace("- id: acme-plant", "- id: acme", 1)
    with pytest.raises(SourceError, match="duplicate entity id 'acme'"):
        load_curated(_curated(tmp_path, text), MINTER)


def test_load_curated_duplicate_fact_is_refused(tmp_path):
    block = GOOD[GOOD.index("- subject: acme-plant\n  property: production_start"):]
    with pytest.raises(SourceError, match="duplicate fact acme-plant.production_start"):
        load_curated(_curated(tmp_path, GOOD + block), MINTER)


def test_load_curated_non_utf8_file_is_refused(tmp_path):
    path = _curated(tmp_path, GOOD)
    (path / "facts.yaml").write_bytes(GOOD.replace("Acmé", "Acm\xe9").encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8"):
        load_curated(path, MINTER)


def test_load_curated_class_must_refine_type(tmp_path):
    text = GOOD.replace("class: BatteryGigafactory", "class: Municipality")
    with pytest.raises(MappingError, match="not a subclass of Facility"):
        load_curated(_curated(tmp_path, text), MINTER)


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("2025", "2025-01-01", "2025-12-31", "year"),
        ("2025-12", "2025-12-01", "2025-12-31", "month"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2025-12-11", "2025-12-11", "2025-12-11", "day"),
        ("2026-early", "2026-01-01", "2026-04-30", "partOfYear"),
        ("2025-H2", "2025-07-01", "2025-12-31", "halfYear"),
        ("2025-Q4/2026-Q1", "2025-10-01", "2026-03-31", "quarter"),
    ],
)
def test_parse_date_keeps_precision_and_bounds(text, earliest, latest, precision):
    spec = parse_date(text)
    assert (spec.earliest.isoformat(), spec.latest.isoformat(), spec.precision) == (earliest, latest, precision)


def test_fact_iri_is_deterministic():
    first = set(load_curated(CURATED, MINTER).subjects(EIP.subject, None))
    second = set(load_curated(CURATED, MINTER).subjects(EIP.subject, None))
    assert first == second
    assert all(isinstance(iri, URIRef) and MINTER.is_ours(str(iri)) for iri in first)


def test_load_curated_containment_cycle_names_entities_and_lines(tmp_path):
    cycle = """\
- subject: acme-plant
  property: part_of
  value: acme-plant
  unit: entity-id
  qualifier: exact
  source: https://example.org/a
"""
    text = GOOD + cycle
    with pytest.raises(MappingError) as caught:
        load_curated(_curated(tmp_path, text), MINTER)
    assert "cycle in located_in/part_of: acme-plant → acme-plant" in str(caught.value)
    assert f"facts.yaml:{_fact_line(text, 'property: part_of') - 1}" in str(caught.value)
