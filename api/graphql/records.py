"""The typed record every resolver reads: one RDF node and its outgoing triples, as loaded in one batch.

>>> node = Node.build("https://example.org/a", [("http://www.w3.org/2000/01/rdf-schema#label",
...                                              ox.Literal("Dunkerque", language="fr"))])
>>> node.exists, pick_label(node.all(RDFS.label), "en")
(True, 'Dunkerque')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Mapping

import pyoxigraph as ox

from kg.namespaces import RDF, RDFS, XSD

__all__ = ["FALLBACK_LANGS", "Node", "decimal_text", "literal_date", "pick_label", "pick_literal"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
FALLBACK_LANGS = ("en", "fr")
"""After the requested language, labels fall back to English, then French, then any language."""


def _sort_key(term: Term) -> tuple[int, str, str]:
    if isinstance(term, ox.Literal):
        return (1, term.language or "", term.value)
    return (0, "", term.value)


@dataclass(frozen=True)
class Node:
    """An IRI and its outgoing triples (predicate IRI → objects, sorted).

    ``exists`` is False when the IRI has no outgoing triple.
    """

    iri: str
    values: Mapping[str, tuple[Term, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, iri: str, pairs: Iterable[tuple[str, Term]]) -> Node:
        grouped: dict[str, list[Term]] = {}
        for predicate, obj in pairs:
            grouped.setdefault(predicate, []).append(obj)
        frozen = {p: (objs[0],) if len(objs) == 1 else tuple(sorted(set(objs), key=_sort_key))
                  for p, objs in grouped.items()}
        return cls(iri, MappingProxyType(frozen))

    @property
    def exists(self) -> bool:
        return bool(self.values)

    @property
    def types(self) -> frozenset[str]:
        return frozenset(self.iris(RDF.type))

    def all(self, predicate: str) -> tuple[Term, ...]:
        return self.values.get(str(predicate), ())

    def first(self, predicate: str) -> Term | None:
        found = self.all(predicate)
        return found[0] if found else None

    def iris(self, predicate: str) -> list[str]:
        return [t.value for t in self.all(predicate) if isinstance(t, ox.NamedNode)]

    def iri_of(self, predicate: str) -> str | None:
        found = self.iris(predicate)
        return found[0] if found else None

    def text(self, predicate: str) -> str | None:
        term = self.first(predicate)
        return term.value if isinstance(term, ox.Literal) else None

    def texts(self, predicate: str) -> list[str]:
        return [t.value for t in self.all(predicate) if isinstance(t, ox.Literal)]

    def integer(self, predicate: str) -> int | None:
        value = self.text(predicate)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    def decimal(self, predicate: str) -> Decimal | None:
        value = self.text(predicate)
        try:
            return Decimal(value) if value is not None else None
        except InvalidOperation:
            return None

    def boolean(self, predicate: str) -> bool | None:
        value = self.text(predicate)
        return None if value is None else value in ("true", "1")

    def label(self, lang: str | None) -> str | None:
        return pick_label(self.all(RDFS.label), lang)


def _lang_matches(tag: str | None, wanted: str) -> bool:
    tag = (tag or "").lower()
    return tag == wanted or tag.startswith(wanted + "-")


def pick_literal(literals: Sequence[Term], lang: str | None) -> ox.Literal | None:
    """The literal in ``lang``, else English, else French, else untagged, else any (first in sort order)."""
    candidates = [t for t in literals if isinstance(t, ox.Literal)]
    if not candidates:
        return None
    chain = [lang.lower()] if lang else []
    chain += [code for code in FALLBACK_LANGS if code not in chain]
    for wanted in chain:
        for term in candidates:
            if _lang_matches(term.language, wanted):
                return term
    untagged = [t for t in candidates if not t.language]
    return (untagged or candidates)[0]


def pick_label(literals: Sequence[Term], lang: str | None) -> str | None:
    """The text of `pick_literal`."""
    found = pick_literal(literals, lang)
    return found.value if found is not None else None


def decimal_text(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros, every digit kept.

    >>> decimal_text(Decimal("4E+9")), decimal_text(Decimal("334.50")), decimal_text(Decimal("0.0"))
    ('4000000000', '334.5', '0')
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def literal_date(term: Term | None) -> dt.date | None:
    """The date of an ``xsd:date`` literal (None for anything else)."""
    if isinstance(term, ox.Literal) and term.datatype.value == str(XSD.date):
        try:
            return dt.date.fromisoformat(term.value[:10])
        except ValueError:
            return None
    return None
