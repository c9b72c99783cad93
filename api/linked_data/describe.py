"""What the store says about one entity, through the named queries of ``kg/queries/entity/``.

    describe   its concise bounded description (the RDF documents; also the base of the HTML page)
    labels     labels of every IRI the page shows
    inbound    what links to it (neighbours the other way)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from kg.remote_store import Store

__all__ = ["INBOUND_LIMIT", "Inbound", "Labels", "describe", "inbound", "labels"]

INBOUND_LIMIT = 2000
"""The LIMIT of ``entity/inbound.rq``: a page lists at most this many incoming links."""

Labels = dict[str, dict[str, str]]
"""IRI → language tag ('' for none) → label."""


@dataclass(frozen=True)
class Inbound:
    """One incoming link: ``subject predicate <entity>``; for a claim subject, what that claim is about."""

    subject: str
    predicate: str
    claim_subject: str | None
    source_property: str | None


def describe(store: Store, iri: str) -> list[ox.Triple]:
    """The concise bounded description of ``iri``, no duplicates, its own triples first (empty: unknown)."""
    triples = set(store.query_named("entity/describe", entity=URIRef(iri)))
    return sorted(triples, key=lambda t: (t.subject.value != iri, str(t.subject), str(t.predicate),
                                          str(t.object)))


def labels(store: Store, iri: str) -> Labels:
    """Labels of the IRIs shown on the page of ``iri``; one per language (the first in code-point order)."""
    found: Labels = {}
    rows = sorted(store.rows("entity/labels", entity=URIRef(iri)), key=_label_key)
    for row in rows:
        term, label = row["term"], row["label"]
        if isinstance(term, ox.NamedNode) and isinstance(label, ox.Literal):
            found.setdefault(term.value, {}).setdefault(label.language or "", label.value)
    return found


def inbound(store: Store, iri: str) -> list[Inbound]:
    """What links to ``iri`` (at most ``INBOUND_LIMIT`` links), claims about it excepted."""
    return [
        Inbound(
            subject=_value(row["s"]) or "",
            predicate=_value(row["p"]) or "",
            claim_subject=_value(row["claimSubject"]),
            source_property=_value(row["sourceProperty"]),
        )
        for row in store.rows("entity/inbound", entity=URIRef(iri))
        if isinstance(row["s"], ox.NamedNode)
    ]


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


def _label_key(row: dict[str, object]) -> Sequence[str]:
    label = row["label"]
    lang = label.language or "" if isinstance(label, ox.Literal) else ""
    return (str(row["term"]), lang, str(label))
