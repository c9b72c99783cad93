"""Read the curated YAML files into typed records, checking keys, types and references."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.curated.records import Entity, Fact, Location, PropertyRule
from kg.curated.yamlfile import LINE_KEY, read_yaml
from kg.errors import MappingError, SourceError

__all__ = ["ENTITY_TYPES", "read_facts_file", "read_property_rules"]

ENTITY_TYPES = {
    "Programme": "programme", "Initiative": "initiative", "Fund": "fund", "Call": "call",
    "Organisation": "organisation", "Company": "company", "Facility": "facility", "Site": "site", "Place": "place",
}
_ENTITY_KEYS = {"id", "type", "class", "name_en", "name_fr", "identifiers", "sources"}
_FACT_KEYS = {"subject", "property", "value", "unit", "qualifier", "as_of", "source", "source_date", "note",
              "rank", "rank_reason", "scope", "as_stated"}
_RULE_KEYS = {"claim", "kind", "predicate", "unit", "investor", "instrument", "currency", "year", "period",
              "batch", "scope", "truthy", "text_ok", "concepts"}
_QUALIFIERS = {"exact", "approximately", "up_to", "at_least", "more_than", "range", "planned", "estimated"}
_RANKS = {"preferred", "normal", "deprecated"}


def _check_keys(item: dict[str, Any], allowed: set[str], where: Location, what: str) -> None:
    unknown = sorted(set(item) - allowed - {LINE_KEY})
    if unknown:
        raise SourceError(f"unknown key {unknown[0]!r} in {what}; allowed: {', '.join(sorted(allowed))}",
                          location=str(where))


def _require(item: dict[str, Any], keys: tuple[str, ...], where: Location, what: str) -> None:
    for key in keys:
        if item.get(key) in (None, ""):
            raise SourceError(f"{what} has no {key!r}", location=str(where))


def _entity(item: dict[str, Any], where: Location) -> Entity:
    _check_keys(item, _ENTITY_KEYS, where, "entity")
    _require(item, ("id", "type", "name_en"), where, "entity")
    if item["type"] not in ENTITY_TYPES:
        raise MappingError(f"entity {item['id']!r}: unknown type {item['type']!r}; expected one of "
                           f"{', '.join(ENTITY_TYPES)}", location=str(where))
    names = {lang: item[f"name_{lang}"] for lang in ("en", "fr") if item.get(f"name_{lang}")}
    identifiers = {str(k): str(v) for k, v in (item.get("identifiers") or {}).items() if k != LINE_KEY}
    return Entity(id=str(item["id"]), type=item["type"], cls=item.get("class"), names=names,
                  identifiers=identifiers, sources=tuple(item.get("sources") or ()), location=where)


def _fact(item: dict[str, Any], where: Location) -> Fact:
    _check_keys(item, _FACT_KEYS, where, "fact")
    _require(item, ("subject", "property", "qualifier", "source"), where, "fact")
    if "value" not in item or item["value"] is None:
        raise SourceError(f"fact {item['subject']}.{item['property']} has no 'value'", location=str(where))
    if item["qualifier"] not in _QUALIFIERS:
        raise MappingError(f"fact {item['subject']}.{item['property']}: unknown qualifier {item['qualifier']!r}; "
                           f"expected one of {', '.join(sorted(_QUALIFIERS))}", location=str(where))
    rank = item.get("rank", "normal")
    if rank not in _RANKS:
        raise MappingError(f"fact {item['subject']}.{item['property']}: unknown rank {rank!r}; expected one of "
                           f"{', '.join(sorted(_RANKS))}", location=str(where))
    text = {k: (None if item.get(k) is None else str(item[k]))
            for k in ("unit", "as_of", "source_date", "note", "rank_reason", "scope", "as_stated")}
    return Fact(subject=str(item["subject"]), property=str(item["property"]), value=item["value"],
                qualifier=item["qualifier"], source=str(item["source"]), location=where, rank=rank, **text)


def read_facts_file(path: Path) -> tuple[list[Entity], list[Fact]]:
    """Entities and facts of one curated file; SourceError/MappingError name file and line."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list) \
            or not isinstance(data.get("facts"), list):
        raise SourceError("expected a mapping with lists 'entities' and 'facts'", location=f"{path}:1")
    entities = [_entity(item, Location(path.name, item.get(LINE_KEY, 0))) for item in _mappings(data["entities"], path)]
    facts = [_fact(item, Location(path.name, item.get(LINE_KEY, 0))) for item in _mappings(data["facts"], path)]
    return entities, facts


def _mappings(items: list[Any], path: Path) -> list[dict[str, Any]]:
    for item in items:
        if not isinstance(item, dict):
            raise SourceError(f"expected a mapping, got {type(item).__name__}: {item!r:.60}", location=str(path))
    return items


def read_property_rules(path: Path) -> dict[str, PropertyRule]:
    """The property map (properties.yaml): curated property name → PropertyRule."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise SourceError("expected a mapping of property names", location=f"{path}:1")
    rules = {}
    for name, spec in data.items():
        if name == LINE_KEY:
            continue
        where = Location(path.name, spec.get(LINE_KEY, 0) if isinstance(spec, dict) else 0)
        if not isinstance(spec, dict) or "claim" not in spec:
            raise SourceError(f"property {name!r} needs a mapping with a 'claim'", location=str(where))
        _check_keys(spec, _RULE_KEYS, where, f"property {name!r}")
        fields = {k: v for k, v in spec.items() if k != LINE_KEY}
        rules[str(name)] = PropertyRule(name=str(name), location=where, **fields)
    return rules
