"""The curated sources: YAML files a curator edits, read into records and mapped to RDF.

``load_curated(curated_dir, minter)`` is the one entry point the build uses.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.curated.checks import check_containment_cycles
from kg.curated.reader import read_facts_file, read_property_rules
from kg.curated.records import Entity, Fact, PropertyRule
from kg.errors import MappingError, SourceError
from kg.mapping.claims import fact_iri, map_fact
from kg.mapping.context import MappingContext
from kg.mapping.entities import map_entity
from kg.mapping.sources import map_sources
from kg.namespaces import Minter

__all__ = ["FACTS_GLOB", "PROPERTIES_FILE", "load_curated", "read_curated"]

PROPERTIES_FILE = "properties.yaml"
FACTS_GLOB = "*.yaml"


def read_curated(curated_dir: Path) -> tuple[list[Entity], list[Fact], dict[str, PropertyRule]]:
    """All entities and facts of the curated directory, and the property map."""
    rules = read_property_rules(curated_dir / PROPERTIES_FILE)
    entities: list[Entity] = []
    facts: list[Fact] = []
    files = sorted(p for p in curated_dir.glob(FACTS_GLOB) if p.name != PROPERTIES_FILE)
    if not files:
        raise SourceError(f"no curated fact files ({FACTS_GLOB}) in {curated_dir}")
    for path in files:
        more_entities, more_facts = read_facts_file(path)
        entities += more_entities
        facts += more_facts
    return entities, facts, rules


def _index(entities: list[Entity]) -> dict[str, Entity]:
    index: dict[str, Entity] = {}
    for entity in entities:
        if entity.id in index:
            raise SourceError(f"duplicate entity id {entity.id!r} (first at {index[entity.id].location})",
                              location=str(entity.location))
        index[entity.id] = entity
    return index


def load_curated(curated_dir: Path, minter: Minter) -> Graph:
    """Read and map the curated sources; SourceError/MappingError name file:line, entity, property and rule."""
    entities, facts, rules = read_curated(curated_dir)
    ctx = MappingContext(minter=minter, entities=_index(entities))
    locators = {f.source for f in facts} | {s for e in entities for s in e.sources}
    source_iri = map_sources(ctx, locators, facts)
    for entity in entities:
        map_entity(ctx, entity, source_iri)
    seen: dict[str, Fact] = {}
    for fact in facts:
        rule = rules.get(fact.property)
        if rule is None:
            raise MappingError(f"fact {fact.subject}.{fact.property}: unknown property {fact.property!r} "
                               f"(rule: every property must be mapped in {PROPERTIES_FILE})",
                               location=str(fact.location))
        iri = str(fact_iri(ctx, fact))
        if iri in seen:
            raise SourceError(f"duplicate fact {fact.subject}.{fact.property} = {fact.value!r} from the same "
                              f"source (first at {seen[iri].location})", location=str(fact.location))
        seen[iri] = fact
        map_fact(ctx, fact, rule, source_iri)
    check_containment_cycles(ctx.graph)
    return ctx.graph
