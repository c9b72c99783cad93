"""SPARQL 1.1 Protocol §2.1: an HTTP request to ``/sparql`` → ``ProtocolRequest``, or a clear refusal.

Accepted: ``GET ?query=``; ``POST`` with ``application/x-www-form-urlencoded`` (``query`` in the body,
dataset parameters in the body or the URL); ``POST`` with ``application/sparql-query`` (the body is the
query, dataset parameters in the URL). Text must be UTF-8: another declared charset gets 415, bytes that
are not UTF-8 get 400. Several ``query`` parameters get 400, a query over ``sparql_max_query_bytes`` gets
413, and any update (``update=``, ``application/sparql-update``) is refused: the endpoint is read-only.

``format`` (json, xml, csv, tsv, turtle, nt, json-ld, rdf+xml or a media type) overrides ``Accept``, for
download links and for clients such as SPARQLWrapper that send it. ``example`` names an example query
to load into the HTML query page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Request

from api.errors import HttpProblem
from kg.errors import QueryError

__all__ = ["FORM", "QUERY", "UPDATE", "ProtocolRequest", "read_request"]

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")
_READ_ONLY_HINT = "this endpoint is read-only; the graph is rebuilt from its sources with `kg build`"


@dataclass(frozen=True)
class ProtocolRequest:
    """The protocol parameters of one request.

    Attributes:
        query: the query text, or None when the request carries none (service description / page).
        default_graphs / named_graphs: ``default-graph-uri`` / ``named-graph-uri`` values.
        formats: ``format`` values, in order.
        example: the ``example`` parameter (HTML page only).
    """

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    example: str | None = None

    @property
    def has_dataset(self) -> bool:
        """The protocol names the dataset (it then overrides FROM / FROM NAMED in the query)."""
        return bool(self.default_graphs or self.named_graphs)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HttpProblem(400, f"the {what} is not valid UTF-8",
                          hint="send SPARQL text encoded as UTF-8") from None


def _parse_pairs(data: bytes, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(_decode(data, what), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise HttpProblem(400, f"the {what} has percent-escapes that are not UTF-8",
                          hint="percent-encode the UTF-8 bytes of the query") from None


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    if not header:
        return "", {}
    media, *params = header.split(";")
    parsed = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"').lower()
    return media.strip().lower(), parsed


def _require_utf8(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset is not None and charset not in _UTF8:
        raise HttpProblem(415, f"charset {charset} is not supported; SPARQL requests must be UTF-8",
                          hint="send the body encoded as UTF-8 (charset=utf-8)")


async def _post_pairs(request: Request, url_pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    media, params = _media_type(request.headers.get("content-type"))
    if media == FORM:
        _require_utf8(params)
        return url_pairs + _parse_pairs(await request.body(), "form body")
    if media == QUERY:
        _require_utf8(params)
        if any(name == "query" for name, _ in url_pairs):
            raise HttpProblem(400, "a direct POST must not also carry a query parameter in the URL")
        return url_pairs + [("query", _decode(await request.body(), "request body"))]
    if media == UPDATE:
        raise HttpProblem(415, "SPARQL Update (application/sparql-update) is refused", hint=_READ_ONLY_HINT)
    named = f"Content-Type {media}" if media else "no Content-Type"
    raise HttpProblem(415, f"a SPARQL query POST needs Content-Type {FORM} or {QUERY}, not {named}",
                      hint="or send the query with GET ?query=")


def _graph_iris(pairs: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    iris = tuple(value.strip() for key, value in pairs if key == name)
    for iri in iris:
        if not _ABSOLUTE_IRI.fullmatch(iri):
            raise HttpProblem(400, f"{name} must be an absolute IRI, got {iri[:200]!r}")
    return iris


def _query_text(pairs: list[tuple[str, str]], max_query_bytes: int) -> str | None:
    queries = [value for key, value in pairs if key == "query"]
    if len(queries) > 1:
        raise HttpProblem(400, f"the request carries {len(queries)} queries; send exactly one",
                          hint="pass one query parameter (GET/form) or one query body (direct POST)")
    if not queries:
        return None
    query = queries[0]
    size = len(query.encode("utf-8"))
    if size > max_query_bytes:
        raise HttpProblem(413, f"the query is {size} bytes long; the limit is {max_query_bytes}",
                          hint="shorten the query (e.g. fewer VALUES rows) or raise "
                               "KG_SPARQL_MAX_QUERY_BYTES")
    if not query.strip():
        raise QueryError("the query is empty", hint="send a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return query


async def read_request(request: Request, max_query_bytes: int) -> ProtocolRequest:
    """The ``ProtocolRequest`` of a GET or POST to the endpoint.

    Raises:
        HttpProblem: 400 (several queries, bad encoding or IRI), 413 (query too long), 415 (media type).
        QueryError: an update was sent, or the query is empty.
    """
    url_pairs = _parse_pairs(request.scope.get("query_string", b""), "URL query string")
    pairs = url_pairs if request.method == "GET" else await _post_pairs(request, url_pairs)
    if any(key in ("update", "using-graph-uri", "using-named-graph-uri") for key, _ in pairs):
        raise QueryError("SPARQL Update is refused on this endpoint", hint=_READ_ONLY_HINT)
    examples = [value for key, value in pairs if key == "example"]
    return ProtocolRequest(
        query=_query_text(pairs, max_query_bytes),
        default_graphs=_graph_iris(pairs, "default-graph-uri"),
        named_graphs=_graph_iris(pairs, "named-graph-uri"),
        formats=tuple(value for key, value in pairs if key == "format"),
        example=examples[0] if examples else None,
    )
