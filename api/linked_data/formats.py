"""What an entity document can be written as: HTML and four RDF formats, by ``Accept`` or by file extension.

Negotiation itself is ``api.sparql.negotiation`` (q-values, wildcards, aliases such as ``application/json``);
this module adds HTML as the first offer, so browsers, ``*/*`` and a missing header get the HTML page.
Turtle, N-Triples and RDF/XML are written by pyoxigraph (``api.sparql.results.graph_body``, the same code as
CONSTRUCT results of /sparql). JSON-LD is written here in flattened, compacted form against a context of the
prefixes in use (pyoxigraph writes expanded JSON-LD only; rdflib's compaction took ~20 ms per page).

>>> choose("text/turtle;q=0.9, application/ld+json")
'application/ld+json'
>>> choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
'text/html'
>>> choose("image/png") is None
True
>>> script_json({"label": "</script><b>"})
'{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from api.sparql.jobs import JSONLD, NTRIPLES, RDFXML, TURTLE
from api.sparql.negotiation import GRAPH_OFFERS, negotiate, parse_accept
from api.sparql.negotiation import HTML as HTML_OFFERS
from api.sparql.results import graph_body
from kg.namespaces import PREFIXES
from kg.results import used_prefixes

__all__ = [
    "CONTENT_TYPES", "EXTENSIONS", "HTML", "JSONLD", "NTRIPLES", "OFFERS", "RDFXML", "RDF_TYPES", "TURTLE",
    "choose", "extension_of", "jsonld_document", "rdf_body", "script_json",
]

HTML = "text/html"
RDF_TYPES: tuple[str, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML)
OFFERS = (*HTML_OFFERS, *GRAPH_OFFERS)

EXTENSIONS: dict[str, str] = {"html": HTML, "ttl": TURTLE, "jsonld": JSONLD, "nt": NTRIPLES, "rdf": RDFXML}
"""File extension of an entity document → the media type it holds."""

CONTENT_TYPES: dict[str, str] = {
    HTML: "text/html; charset=utf-8",
    TURTLE: "text/turtle; charset=utf-8",
    JSONLD: "application/ld+json",
    NTRIPLES: "application/n-triples",
    RDFXML: "application/rdf+xml; charset=utf-8",
}

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
                   # bidirectional controls, so that no raw override reaches the page source
                   **{chr(c): f"\\u{c:04x}" for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}}


def choose(accept: str | None) -> str | None:
    """The media type to write for an ``Accept`` header (HTML first on ties), or None: nothing acceptable.

    An alias never brings back a type the client refused by name: with ``text/html;q=0, */*``, the
    ``application/xhtml+xml`` alias would match ``*/*`` and answer HTML; offers producing a refused type are
    dropped first.

    >>> choose("text/html;q=0, */*;q=0.5")
    'text/turtle'
    """
    refused = {f"{r.type}/{r.subtype}" for r in parse_accept(accept or "") if r.q == 0}
    offers = [offer for offer in OFFERS if offer[1] not in refused]
    return negotiate(accept, offers) if offers else None


def extension_of(media_type: str) -> str:
    """The file extension of the document holding ``media_type`` (``text/turtle`` → ``ttl``)."""
    return next(ext for ext, produced in EXTENSIONS.items() if produced == media_type)


def jsonld_document(triples: Sequence[ox.Triple]) -> dict[str, Any]:
    """Flattened, compacted JSON-LD of ``triples``: an ``@context`` of the prefixes in use, one node object
    per subject under ``@graph`` (in the order of ``triples``); properties and types as compact IRIs, node
    references as full IRIs, literals as value objects with their language or datatype.
    """
    prefixes = used_prefixes(triples)
    nodes: dict[str, dict[str, Any]] = {}
    for triple in triples:
        node_id = _node_id(triple.subject)
        node = nodes.setdefault(node_id, {"@id": node_id})
        if triple.predicate.value == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(triple.object.value, prefixes))
        else:
            key = _compact(triple.predicate.value, prefixes)
            node.setdefault(key, []).append(_value_object(triple.object, prefixes))
    return {"@context": prefixes, "@graph": list(nodes.values())}


def _node_id(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(getattr(term, "value", term))


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    for name, namespace in prefixes.items():
        rest = iri[len(namespace):]
        if iri.startswith(namespace) and rest and not rest.startswith("//"):
            return f"{name}:{rest}"
    return iri


def _value_object(term: Any, prefixes: dict[str, str]) -> dict[str, str]:
    if not isinstance(term, ox.Literal):
        return {"@id": _node_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == _XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": _compact(term.datatype.value, prefixes)}


def rdf_body(media_type: str, triples: Sequence[ox.Triple]) -> bytes:
    """``triples`` written as ``media_type`` (one of ``RDF_TYPES``)."""
    if media_type == JSONLD:
        return json.dumps(jsonld_document(triples), ensure_ascii=False, indent=1).encode("utf-8")
    return graph_body(media_type, triples, PREFIXES)


def script_json(document: Any) -> str:
    """JSON text that is inert inside an HTML ``<script>`` element and still the same JSON.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (no ``</script>``, no ``<!--``),
    and the line separators U+2028/U+2029 are escaped too; JSON parsers read the escapes back unchanged.
    """
    text = json.dumps(document, ensure_ascii=False)
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return text
