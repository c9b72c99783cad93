"""Typed records of linking: what we link (Subject), what we link it to (Candidate), what we decided (Link).

Every record is a frozen dataclass, so the linker stays a pure function from records to records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["Candidate", "Decision", "Link", "Scored", "Subject", "Verdict"]


@dataclass(frozen=True)
class Subject:
    """One entity of our graph to link.

    Attributes:
        iri: the entity IRI.
        slug: its slug (``dct:identifier``).
        kind: ``organisation`` or ``place`` (what it is, coarsely; decides which datasets are asked).
        classes: local names of its ``eip:`` classes (``Company``, ``Municipality``…).
        names: labels and aliases as ``(text, language)``; the first is the preferred label.
        country: ISO 3166-1 alpha-2 code of the country it lies in or is registered in, when the graph says.
        known: identifiers it already has, ``{scheme: notation}`` (curated or linked before).
    """

    iri: str
    slug: str
    kind: str
    classes: frozenset[str] = frozenset()
    names: tuple[tuple[str, str], ...] = ()
    country: str | None = None
    known: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def label(self) -> str:
        return self.names[0][0] if self.names else self.slug


@dataclass(frozen=True)
class Candidate:
    """One record of an external dataset that might be the same thing as a subject.

    Attributes:
        scheme: identifier scheme code (``geonames``, ``wikidata``, ``lei``…, see kg.linking.schemes).
        notation: the identifier in that scheme (``3020686``, ``Q142``, ``FRE``).
        names: names as ``(text, language)``; the first is the record's main name.
        feature: what the record is: ``country``, ``region``, ``municipality``, ``organisation``, ``company``.
        country: ISO 3166-1 alpha-2 code of the record's country, when known.
        description: one line for a human reviewer.
        dataset: slug of the reference dataset the record comes from (kg.linking.datasets).
        extra: further identifiers the record carries, ``{scheme: notation}`` (a Wikidata item's GeoNames
            ID…).
        source: the page that states this identifier, when the record was read from one (recorded
            identifiers); written as the identifier node's ``dct:source``.
    """

    scheme: str
    notation: str
    names: tuple[tuple[str, str], ...]
    feature: str
    country: str | None = None
    description: str = ""
    dataset: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    source: str = ""

    @property
    def label(self) -> str:
        return self.names[0][0] if self.names else self.notation


@dataclass(frozen=True)
class Scored:
    """A candidate with its score against one subject and the evidence behind it."""

    candidate: Candidate
    score: float
    method: str
    evidence: str


class Verdict(str, Enum):
    """What the linker concluded for one subject and one scheme."""

    SURE = "sure"
    REVIEW = "review"
    NONE = "none"


@dataclass(frozen=True)
class Decision:
    """The outcome of linking one subject against one scheme: the best candidate and its rivals."""

    subject: Subject
    scheme: str
    verdict: Verdict
    ranked: tuple[Scored, ...] = ()
    reason: str = ""

    @property
    def best(self) -> Scored | None:
        return self.ranked[0] if self.ranked else None


@dataclass(frozen=True)
class Link:
    """An accepted link: written as an ``adms:Identifier`` node plus ``skos:exactMatch`` (docs/model.md).

    Attributes:
        subject_iri: our entity.
        scheme: identifier scheme code.
        notation: identifier in that scheme.
        method: ``curated``, ``exact-name``, ``fuzzy-name``, ``reference-code`` or ``review``.
        score: 0..1.
        date: when the link was made.
        confirmed: True when a person confirmed it.
        dataset: slug of the reference dataset it was derived from.
        nuts_level: NUTS level of the place, for NUTS links when the reference table gives it.
        nuts_version: NUTS version of the code, when the reference table gives it.
        source: the page that states the identifier, when known (``dct:source`` of the identifier node).
    """

    subject_iri: str
    scheme: str
    notation: str
    method: str
    score: float
    date: dt.date
    confirmed: bool
    dataset: str
    nuts_level: int | None = None
    nuts_version: str | None = None
    source: str | None = None
