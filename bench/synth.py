"""Synthetic curated records in the shape of the real curated data (kg/data/curated), for benchmarks only.

Every synthetic fact copies a *template*: a real curated fact about an entity of the same type and class (so the
mix of properties, claim families, units, qualifiers and concept codes is the real one). Its subject is a synthetic
entity, its entity-id objects are synthetic entities of the template object's type and class, its numbers are
scaled (a long tail of big and small), its dates are shifted by whole years at the same precision, and its source
is drawn from a pool of synthetic sources. Some figures get competing claims from other sources with ranks.
Names and URLs are plainly synthetic (``*.example.org``); no figure here describes anything real.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from kg.curated.records import Entity, Fact, Location, PropertyRule
from kg.mapping.dates import parse_date

__all__ = ["ENTITY_MIX", "Block", "Profile", "SyntheticWorld"]

Key = tuple[str, str | None]

ENTITY_MIX: dict[Key, float] = {
    ("Company", None): 0.24, ("Organisation", "PublicBody"): 0.04,
    ("Facility", "BatteryGigafactory"): 0.10, ("Facility", "AIFactory"): 0.07, ("Facility", "Supercomputer"): 0.03,
    ("Facility", "ResearchFacility"): 0.03, ("Site", None): 0.03,
    ("Programme", None): 0.02, ("Initiative", None): 0.02, ("Fund", None): 0.01, ("Call", None): 0.02,
    ("Place", "Region"): 0.07, ("Place", "Municipality"): 0.32,
}
"""Share of each (type, class) among synthetic entities; 27 countries are added once."""

COUNTRIES = 27
_FIGURES = {"Investment", "Budget", "MonetaryFigure", "EmploymentFigure", "QuantityFigure", "Capacity", "Milestone"}
_YEAR = re.compile(r"\d{4}")
_FR = {"Company": "entreprise", "Organisation": "organisation", "Facility": "installation", "Site": "site",
       "Programme": "programme", "Initiative": "initiative", "Fund": "fonds", "Call": "appel", "Place": "lieu"}


@dataclass
class Profile:
    """What the real curated data looks like: fact templates by subject (type, class), entity source counts."""

    templates: dict[Key, list[Fact]]
    object_keys: dict[tuple[str, str], Key]
    rules: dict[str, PropertyRule]
    real_entities: list[Entity]
    source_counts: list[int]
    facts_per_entity: dict[Key, float] = field(default_factory=dict)

    @classmethod
    def from_curated(cls, entities: list[Entity], facts: list[Fact], rules: dict[str, PropertyRule]) -> Profile:
        index = {e.id: e for e in entities}
        templates: dict[Key, list[Fact]] = defaultdict(list)
        object_keys: dict[tuple[str, str], Key] = {}
        for fact in facts:
            subject = index[fact.subject]
            if fact.unit == "entity-id":
                target = index[str(fact.value)]
                object_keys[(fact.subject, fact.property + "\x1f" + str(fact.value))] = (target.type, target.cls)
            templates[(subject.type, subject.cls)].append(fact)
        per_key: dict[Key, int] = defaultdict(int)
        for entity in entities:
            per_key[(entity.type, entity.cls)] += 1
        facts_per_entity = {k: len(v) / per_key[k] for k, v in templates.items()}
        return cls(dict(templates), object_keys, rules, entities, [len(e.sources) or 1 for e in entities],
                   facts_per_entity)

    def object_key(self, fact: Fact) -> Key:
        return self.object_keys[(fact.subject, fact.property + "\x1f" + str(fact.value))]


@dataclass
class Block:
    """Records to map together: new entities, their facts, and sources first used here (locator → date)."""

    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sources: dict[str, str | None] = field(default_factory=dict)


class SyntheticWorld:
    """Deterministic stream of blocks of synthetic entities, facts and new sources (same seed, same stream)."""

    def __init__(self, profile: Profile, seed: int, *, dispute_rate: float = 0.12) -> None:
        self.profile = profile
        self.rng = random.Random(seed)
        self.dispute_rate = dispute_rate
        self.by_key: dict[Key, list[str]] = defaultdict(list)
        self.sources: list[str] = []
        self.counter = 0
        self.fact_counter = 0

    # ------------------------------------------------------------------ pools with a long tail of big and small
    def _pick(self, items: list[str]) -> str:
        return items[int(len(items) * self.rng.random() ** 2.5)]

    def _source(self, block: Block) -> str:
        if self.sources and self.rng.random() > 0.15:
            return self._pick(self.sources)
        number = len(self.sources)
        if number % 10 == 9:
            locator = f"seed:synthetic-{number:06d}.txt"
        else:
            locator = f"https://news-{number % 397:03d}.example.org/{2019 + number % 7}/article-{number:06d}"
        self.sources.append(locator)
        year = 2019 + self.rng.randrange(7)
        block.sources[locator] = (f"{year}" if self.rng.random() < 0.4
                                  else f"{year}-{self.rng.randrange(1, 13):02d}")
        return locator

    # ------------------------------------------------------------------------------------------ entities
    def _entity(self, key: Key, block: Block) -> Entity:
        kind, cls = key
        self.counter += 1
        label = (cls or kind)
        slug = f"syn-{re.sub(r'(?<!^)(?=[A-Z])', '-', label).lower()}-{self.counter:07d}"
        names = {"en": f"Synthetic {label} {self.counter}"}
        if self.rng.random() < 0.5:
            names["fr"] = f"{_FR[kind].capitalize()} synthétique {self.counter}"
        sources = tuple(dict.fromkeys(self._source(block)
                                      for _ in range(self.rng.choice(self.profile.source_counts))))
        identifiers = {"website": f"{slug}.example.org"} if kind == "Company" and self.rng.random() < 0.3 else {}
        entity = Entity(id=slug, type=kind, cls=cls, names=names, identifiers=identifiers, sources=sources,
                        location=Location("synthetic", self.counter))
        self.by_key[key].append(slug)
        block.entities.append(entity)
        return entity

    def _place_fact(self, entity: Entity, parent: str, block: Block) -> None:
        self.fact_counter += 1
        block.facts.append(Fact(subject=entity.id, property="located_in", value=parent, unit="entity-id",
                                qualifier="exact", source=self._source(block),
                                location=Location("synthetic", self.fact_counter), as_of="2025"))

    def first_block(self) -> Block:
        """The real curated entities (rules refer to some by id) and the 27 synthetic countries."""
        block = Block()
        for entity in self.profile.real_entities:
            block.entities.append(entity)
            block.sources.update({s: None for s in entity.sources})
        for _ in range(COUNTRIES):
            self._entity(("Place", "Country"), block)
        return block

    def blocks(self, size: int) -> Iterator[Block]:
        """Endless blocks of about ``size`` entities of the mix, with their facts."""
        keys = list(ENTITY_MIX)
        weights = [ENTITY_MIX[k] for k in keys]
        while True:
            block = Block()
            for key in sorted(self.rng.choices(keys, weights, k=size), key=keys.index):
                entity = self._entity(key, block)
                self._facts_of(entity, block)
            yield block

    # --------------------------------------------------------------------------------------------- facts
    def _facts_of(self, entity: Entity, block: Block) -> None:
        key = (entity.type, entity.cls)
        if entity.cls == "Region":
            self._place_fact(entity, self._pick(self.by_key[("Place", "Country")]), block)
            return
        if entity.cls == "Municipality":
            parents = self.by_key[("Place", "Region")] or self.by_key[("Place", "Country")]
            self._place_fact(entity, self._pick(parents), block)
            return
        templates = self.profile.templates[key]
        mean = self.profile.facts_per_entity.get(key, 4.0)
        count = max(1, min(80, round(mean * self.rng.paretovariate(1.6) / 2.67)))
        for template in self.rng.choices(templates, k=count):
            self._facts_from(template, entity, block)

    def _facts_from(self, template: Fact, entity: Entity, block: Block) -> None:
        value = self._value(template)
        if value is None:
            return
        rule = self.profile.rules[template.property]
        fact = self._fact(template, entity, value, block)
        if rule.claim not in _FIGURES or template.unit == "entity-id" or self.rng.random() >= self.dispute_rate:
            block.facts.append(fact)
            return
        block.facts.append(replace(fact, rank="preferred", rank_reason="synthetic: stated by most sources"))
        for extra in range(self.rng.choice((1, 1, 2))):
            other = self._value(template)
            deprecated = extra == 1 or self.rng.random() < 0.2
            block.facts.append(replace(
                self._fact(template, entity, other, block), rank="deprecated" if deprecated else "normal",
                rank_reason="synthetic: contradicted by two sources" if deprecated else None))

    def _fact(self, template: Fact, entity: Entity, value: object, block: Block) -> Fact:
        self.fact_counter += 1
        as_stated = f"synthétique : {value}" if template.as_stated else None
        return Fact(subject=entity.id, property=template.property, value=value, qualifier=template.qualifier,
                    source=self._source(block), location=Location("synthetic", self.fact_counter),
                    unit=template.unit, as_of=template.as_of, scope=template.scope, as_stated=as_stated)

    def _value(self, template: Fact) -> object:
        value, rule = template.value, self.profile.rules[template.property]
        if template.unit == "entity-id":
            pool = self.by_key.get(self.profile.object_key(template))
            return self._pick(pool) if pool else None
        if rule.claim == "Milestone":
            return self._shift_date(str(value))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        scaled = value * 10 ** self.rng.uniform(-1.5, 0.5)
        if isinstance(value, int):
            return max(1, int(float(f"{scaled:.3g}")))
        return float(f"{scaled:.3g}")

    def _shift_date(self, text: str) -> str:
        delta = self.rng.randrange(-4, 4)
        shifted = _YEAR.sub(lambda m: str(int(m[0]) + delta), text)
        try:
            parse_date(shifted)
        except ValueError:  # 29 February of a year that is not a leap year
            return text
        return shifted
