"""Content negotiation: the ``Accept`` header (RFC 9110 §12.5.1) against the formats of a result kind.

Each offer pairs a media range a client may ask for with the media type we write, so aliases work:
``application/json`` gets SPARQL JSON results for a SELECT and JSON-LD for a CONSTRUCT. The q-value of an
offer is that of the most specific matching range (exact > ``type/*`` > ``*/*``); the best q wins, then the
more specific match, then the server's order (so ``*/*`` or no header gives the first offer). Offers with
q=0 are never chosen; nothing acceptable gives None (the router answers 406).

>>> negotiate("application/sparql-results+xml, application/rdf+xml", TABULAR)
'application/sparql-results+xml'
>>> negotiate("application/sparql-results+xml, application/rdf+xml", GRAPH_OFFERS)
'application/rdf+xml'
>>> negotiate("text/turtle;q=0.5, application/ld+json", GRAPH_OFFERS)
'application/ld+json'
>>> negotiate("image/png", TABULAR) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.sparql.jobs import (
    BOOLEAN, CSV, GRAPH, JSONLD, NTRIPLES, RDFXML, RESULTS_JSON, RESULTS_XML, SOLUTIONS, TSV, TURTLE,
)

__all__ = [
    "FORMAT_NAMES",
    "GRAPH_OFFERS",
    "HTML",
    "OFFERS_BY_KIND",
    "TABULAR",
    "MediaRange",
    "from_format_param",
    "negotiate",
    "parse_accept",
    "prefers_html",
]

Offer = tuple[str, str]  # (media range a client may name, media type we write)

TABULAR: tuple[Offer, ...] = (
    (RESULTS_JSON, RESULTS_JSON), (RESULTS_XML, RESULTS_XML), (CSV, CSV), (TSV, TSV),
    ("application/json", RESULTS_JSON), ("application/xml", RESULTS_XML), ("text/xml", RESULTS_XML),
)
GRAPH_OFFERS: tuple[Offer, ...] = (
    (TURTLE, TURTLE), (NTRIPLES, NTRIPLES), (JSONLD, JSONLD), (RDFXML, RDFXML),
    ("application/x-turtle", TURTLE), ("application/turtle", TURTLE), ("text/n3", TURTLE),
    ("text/plain", NTRIPLES), ("application/json", JSONLD), ("application/xml", RDFXML),
    ("text/xml", RDFXML),
)
HTML: tuple[Offer, ...] = (("text/html", "text/html"), ("application/xhtml+xml", "text/html"))

OFFERS_BY_KIND: dict[str, tuple[Offer, ...]] = {SOLUTIONS: TABULAR, BOOLEAN: TABULAR, GRAPH: GRAPH_OFFERS}

# ``format`` request parameter (also sent by SPARQLWrapper): short names and media types, per kind.
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "json": {SOLUTIONS: RESULTS_JSON, GRAPH: JSONLD},
    "xml": {SOLUTIONS: RESULTS_XML, GRAPH: RDFXML},
    "csv": {SOLUTIONS: CSV},
    "tsv": {SOLUTIONS: TSV},
    "turtle": {GRAPH: TURTLE}, "ttl": {GRAPH: TURTLE}, "n3": {GRAPH: TURTLE},
    "nt": {GRAPH: NTRIPLES}, "ntriples": {GRAPH: NTRIPLES}, "n-triples": {GRAPH: NTRIPLES},
    "json-ld": {GRAPH: JSONLD}, "jsonld": {GRAPH: JSONLD},
    "rdf+xml": {GRAPH: RDFXML}, "rdfxml": {GRAPH: RDFXML},
}


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, -1 when it does not match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are skipped.

    >>> parse_accept("text/*;q=0.3, application/json")
    [MediaRange(type='text', subtype='*', q=0.3), MediaRange(type='application', subtype='json', q=1.0)]
    """
    ranges = []
    for element in header.split(","):
        media, *params = element.split(";")
        main, slash, sub = media.strip().lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        ranges.append(MediaRange(main, sub, _quality(params)))
    return ranges


def _score(ranges: Sequence[MediaRange], media_type: str) -> tuple[float, int]:
    best = max(((r.specificity(media_type), r.q) for r in ranges), default=(-1, 0.0))
    return (best[1], best[0]) if best[0] >= 0 else (0.0, -1)


def negotiate(header: str | None, offers: Sequence[Offer]) -> str | None:
    """The media type to write for ``header`` among ``offers`` (server preference order), or None."""
    if not header or not header.strip():
        return offers[0][1]
    ranges = parse_accept(header)
    if not ranges:
        return offers[0][1]
    scored = [(_score(ranges, asked), -index, produced) for index, (asked, produced) in enumerate(offers)]
    (q, _), _, produced = max(scored)
    return produced if q > 0 else None


def prefers_html(header: str | None, machine_offers: Sequence[Offer]) -> bool:
    """True when the client names HTML explicitly, above every machine format it names explicitly.

    Wildcards do not count, so ``*/*`` (curl) or no header never gets HTML; a browser's header does.

    >>> prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", TABULAR)
    True
    >>> prefers_html("application/sparql-results+json, text/html", TABULAR)
    False
    """
    if not header:
        return False
    ranges = parse_accept(header)

    def explicit_q(offers: Sequence[Offer]) -> float:
        return max((r.q for r in ranges for asked, _ in offers if r.specificity(asked) == 2), default=0.0)

    html_q = explicit_q(HTML)
    return html_q > 0 and html_q > explicit_q(machine_offers)


def from_format_param(values: Sequence[str], kind: str) -> str | None:
    """The media type named by the first ``format`` value that fits ``kind`` (short name or media type).

    >>> from_format_param(["tsv", "text/tab-separated-values"], "solutions")
    'text/tab-separated-values'
    >>> from_format_param(["json"], "graph")
    'application/ld+json'
    """
    table_kind = SOLUTIONS if kind == BOOLEAN else kind
    for value in values:
        name = value.strip().lower()
        if name in FORMAT_NAMES and table_kind in FORMAT_NAMES[name]:
            return FORMAT_NAMES[name][table_kind]
        for asked, produced in OFFERS_BY_KIND.get(kind, ()):
            if name == asked:
                return produced
    return None
