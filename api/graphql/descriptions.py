"""Field and type descriptions read from the ontology's ``skos:definition`` (English), once, at import.

The ontology (``eip.ttl``) and its concept schemes (``vocabularies.ttl``, for the enum values of ranks and
date precisions) are read from ``Settings.ontology_dir``.

Every GraphQL type, field or enum value that stands for an ontology term is declared through `ontology_doc`,
which also records the term in `REGISTRY`; the drift test (tests/api/test_graphql_schema.py) compares that
registry with the classes and properties of ``ontology/eip.ttl``. Terms deliberately left out of the API are
listed in `HIDDEN` with the reason.

>>> ontology_doc("operatedBy").startswith("The organisation that runs a facility")
True
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib import URIRef

from kg.config import get_settings
from kg.namespaces import EIP, OWL, RDF, RDFS, SKOS

__all__ = ["HIDDEN", "REGISTRY", "ontology_doc", "ontology_terms", "register"]

ONTOLOGY_FILE = "eip.ttl"
VOCABULARY_FILE = "vocabularies.ttl"

REGISTRY: dict[str, set[str]] = defaultdict(set)
"""Ontology term IRI → the GraphQL places (``Type``, ``Type.field`` or ``Enum.VALUE``) that expose it."""

HIDDEN: dict[str, str] = {
    str(EIP.searchText): "a build-time search index (kg/queries/inference/search-text.rq), read by the `text` "
                         "filter of entity lists; its folded text is no fact to show",
}
"""Ontology terms (IRI) with no GraphQL counterpart, and why."""


@lru_cache(maxsize=1)
def _graph() -> rdflib.Graph:
    folder = Path(get_settings().ontology_dir)
    graph = rdflib.Graph()
    graph.parse(folder / ONTOLOGY_FILE, format="turtle")
    if (folder / VOCABULARY_FILE).is_file():
        graph.parse(folder / VOCABULARY_FILE, format="turtle")
    return graph


def _term(name: str | URIRef) -> URIRef:
    return URIRef(name) if isinstance(name, URIRef) or ":" in str(name) else EIP[str(name)]


def _definition(term: URIRef, lang: str = "en") -> str:
    texts = {o.language: str(o) for o in _graph().objects(term, SKOS.definition)}
    text = texts.get(lang) or texts.get(None) or next(iter(texts.values()), "")
    if not text:
        labels = {o.language: str(o) for p in (RDFS.label, SKOS.prefLabel) for o in _graph().objects(term, p)}
        text = labels.get(lang) or ""
    return text


def register(term: str | URIRef, where: str) -> URIRef:
    """Record that ``where`` (``Type``, ``Type.field`` or ``Enum.VALUE``) exposes the ontology ``term``."""
    iri = _term(term)
    REGISTRY[str(iri)].add(where)
    return iri


def ontology_doc(term: str | URIRef, where: str | None = None, extra: str = "") -> str:
    """The English definition of an ontology term (an ``eip:`` local name or a full IRI), plus ``extra``.

    When ``where`` is given the term is recorded in `REGISTRY` as exposed there.

    Raises:
        KeyError: the term has neither a definition nor a label in the ontology (a typo, or drift).
    """
    iri = _term(term)
    text = _definition(iri)
    if not text and str(iri).startswith(str(EIP)):
        raise KeyError(f"{iri} has no skos:definition or rdfs:label in {ONTOLOGY_FILE}")
    if where:
        register(iri, where)
    return " ".join(part for part in (text, extra) if part)


def ontology_terms() -> dict[str, set[str]]:
    """The ``eip:`` classes and properties of the ontology, as IRIs: ``{"classes": …, "properties": …}``."""
    graph = _graph()
    classes = {str(s) for s in graph.subjects(RDF.type, OWL.Class) if str(s).startswith(str(EIP))}
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
             OWL.TransitiveProperty)
    properties = {str(s) for kind in kinds for s in graph.subjects(RDF.type, kind)
                  if str(s).startswith(str(EIP))}
    return {"classes": classes, "properties": properties}
