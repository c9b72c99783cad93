"""Typed records: the contract between the curated YAML reader and the mapping to RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Entity", "Fact", "Location", "PropertyRule"]


@dataclass(frozen=True)
class Location:
    """Where a record stands in its file, for error messages and provenance."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Entity:
    """One curated entity (programme, company, facility, place…)."""

    id: str
    type: str
    names: dict[str, str]
    identifiers: dict[str, str]
    sources: tuple[str, ...]
    location: Location
    cls: str | None = None


@dataclass(frozen=True)
class Fact:
    """One sourced fact as the curated file records it."""

    subject: str
    property: str
    value: Any
    qualifier: str
    source: str
    location: Location
    unit: str | None = None
    as_of: str | None = None
    source_date: str | None = None
    note: str | None = None
    rank: str = "normal"
    rank_reason: str | None = None
    scope: str | None = None
    as_stated: str | None = None


@dataclass(frozen=True)
class PropertyRule:
    """How one curated property name maps into the ontology (a line of properties.yaml)."""

    name: str
    claim: str
    location: Location
    kind: str | None = None
    predicate: str | None = None
    unit: str | None = None
    investor: str | None = None
    instrument: str | None = None
    currency: str | None = None
    year: int | None = None
    period: str | None = None
    batch: int | None = None
    scope: str | None = None
    truthy: bool = False
    text_ok: bool = False
    concepts: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
