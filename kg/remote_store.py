"""A store behind a SPARQL 1.1 Protocol endpoint (Virtuoso, Oxigraph server, Fuseki…), read through HTTP.

It has the query interface of `kg.store.KgStore` — ``query(sparql, bindings)``, ``query_named(name, **bindings)``,
``rows(name, **bindings)`` — and returns the same pyoxigraph result objects (``QuerySolutions``,
``QueryBoolean``, triples), so callers do not know which one they hold. It is selected when ``Settings.store``
starts with ``sparql+http://`` (or ``sparql+https://``): `open_store` picks the right one.

Bindings are not pasted into the query text: each becomes a one-row ``VALUES`` block at the start of the query's
outermost ``WHERE`` group, its term serialised by pyoxigraph (IRIs are validated, literals escaped), so a value
cannot change the query's structure. The default graph is the endpoint's (Virtuoso: the union of all graphs).

>>> RemoteStore.endpoint_of("sparql+http://127.0.0.1:18890/sparql")
'http://127.0.0.1:18890/sparql'
>>> inject_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": ox.NamedNode("https://example.org/a")})
'SELECT ?o WHERE { VALUES ?s { <https://example.org/a> } ?s ?p ?o }'
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import pyoxigraph as ox

from kg.config import Settings
from kg.errors import QueryError, QueryTimeout, StoreError
from kg.store import KgStore, NamedQueries
from kg.terms import to_oxigraph

__all__ = [
    "POINTER_TTL_S", "REMOTE_PREFIXES", "RemoteStore", "Store", "inject_values", "is_remote", "open_store",
    "parse_body", "pointer_iri", "query_kind",
]

REMOTE_PREFIXES = ("sparql+http://", "sparql+https://")
_MAX_GET_CHARS = 1500
"""Queries up to this length go by GET (cheaper on Virtuoso, and cacheable); longer ones by POST (form)."""
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.DOTALL)
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false", "true": "true", "false": "false"}
_NT_BOOLEAN = re.compile(rb'"(1|0)"(\^\^<' + re.escape(_XSD_BOOLEAN.encode()) + rb'>)')
_WORD = re.compile(r"[A-Za-z]+")
_KIND = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
POINTER_TTL_S = 5.0
"""How long a `RemoteStore` serves the graphs it read from the publication pointer before reading it again."""
_HAS_PART = "http://purl.org/dc/terms/hasPart"
_ACCEPT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
           "CONSTRUCT": "application/n-triples", "DESCRIBE": "application/n-triples"}


def is_remote(settings: Settings) -> bool:
    """True when ``settings.store`` names a SPARQL endpoint rather than the embedded store."""
    return settings.store.startswith(REMOTE_PREFIXES)


def open_store(settings: Settings) -> Store:
    """The store ``settings`` asks for: the published Oxigraph store, or a `RemoteStore` for ``sparql+http://``.

    Raises:
        StoreError: the embedded store is not published (a remote one is only reached on its first query).
    """
    if is_remote(settings):
        return RemoteStore(settings.store, timeout_s=settings.sparql_timeout_s, graphs=settings.store_graphs,
                           pointer=None if settings.store_graphs else pointer_iri(settings.base_iri))
    return KgStore.open_published(settings)


def pointer_iri(base_iri: str) -> str:
    """The publication pointer of a remote store (kg/remote_publish.py), in the control graph
    ``<base>graph/publication``."""
    return f"{base_iri}graph/publication#current"


def _top_level_where_brace(query: str) -> int:
    """Index of the ``{`` opening the outermost WHERE group (the pattern, not a CONSTRUCT template)."""
    depth, position, seen_where, groups_closed = 0, 0, False, 0
    construct_template = re.search(r"\bCONSTRUCT\s*\{", query, re.IGNORECASE) is not None
    while position < len(query):
        char = query[position]
        if char == "#":
            end = query.find("\n", position)
            position = len(query) if end < 0 else end
            continue
        for pattern in (_IRIREF, _STRING):
            match = pattern.match(query, position)
            if match and (pattern is _STRING or char == "<"):
                position = match.end()
                break
        else:
            if char == "{":
                if depth == 0 and (seen_where or not construct_template or groups_closed > 0):
                    return position
                depth += 1
            elif char == "}":
                depth -= 1
                groups_closed += depth == 0
            elif depth == 0 and char.isalpha():
                word = _WORD.match(query, position)
                seen_where = seen_where or word[0].upper() == "WHERE"
                position = word.end()
                continue
            position += 1
            continue
    raise QueryError("cannot bind variables: the query has no WHERE group")


def inject_values(query: str, bindings: Mapping[str, Any]) -> str:
    """``query`` with one ``VALUES ?name { term }`` per binding at the start of its outermost WHERE group.

    Raises:
        QueryError: a binding name is not a variable name, a value is a blank node, or there is no WHERE group.
    """
    if not bindings:
        return query
    blocks = []
    for name, value in bindings.items():
        if not _VARIABLE.match(name):
            raise QueryError(f"bad binding name {name!r}: a SPARQL variable name without '?'")
        try:
            term = to_oxigraph(value)
        except ValueError as exc:
            raise QueryError(f"binding ?{name}: {exc}") from exc
        if isinstance(term, ox.BlankNode):
            raise QueryError(f"binding ?{name}: a blank node cannot be bound in a remote query")
        blocks.append(f"VALUES ?{name} {{ {term} }}")
    brace = _top_level_where_brace(query)
    return f"{query[:brace + 1]} {' '.join(blocks)}{query[brace + 1:]}"


class RemoteStore(NamedQueries):
    """A read-only store behind a SPARQL 1.1 Protocol endpoint, with one keep-alive HTTP client."""

    def __init__(self, store: str, *, timeout_s: float = 10.0, graphs: Sequence[str] = (),
                 client: httpx.Client | None = None, pointer: str | None = None,
                 pointer_ttl_s: float = POINTER_TTL_S) -> None:
        """Args: store: ``sparql+http(s)://host:port/path``; timeout_s: per request; graphs: when given, the
        query's dataset is these graphs only (``default-graph-uri`` and ``named-graph-uri`` of the protocol),
        else the endpoint's own default dataset; client: an httpx client to use instead of a new one;
        pointer: the publication pointer (`pointer_iri`): without ``graphs``, serve the graphs it names, read
        again by `refresh` once ``pointer_ttl_s`` has passed (the endpoint's default dataset while it has none)."""
        self.endpoint = self.endpoint_of(store)
        self.timeout_s = timeout_s
        self.graphs = list(graphs)
        self.pointer = None if graphs else pointer
        self.pointer_ttl_s = pointer_ttl_s
        self._pointer_read_at: float | None = None
        self.opened_at = datetime.now(UTC)
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            limits=httpx.Limits(max_keepalive_connections=8, keepalive_expiry=30.0))

    @staticmethod
    def endpoint_of(store: str) -> str:
        """The HTTP URL of a ``sparql+http(s)://…`` store setting."""
        if not store.startswith(REMOTE_PREFIXES):
            raise StoreError(f"not a remote store setting: {store!r}",
                             hint="use KG_STORE=sparql+http://host:port/sparql")
        return store.removeprefix("sparql+")

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
        """Run a query on the endpoint; results as pyoxigraph objects (see `KgStore.query`).

        Raises:
            QueryError: the endpoint refused the query (syntax, unknown prefix…). QueryTimeout: no answer in time.
            StoreError: the endpoint cannot be reached or answered with a server error.
        """
        text = inject_values(sparql, bindings or {})
        kind = query_kind(text)
        if self.pointer is not None and self._pointer_read_at is None:
            self.refresh()  # the first query reads the pointer
        response = self.send(text, _ACCEPT[kind])
        return parse_body(kind, response.content)

    @property
    def revision(self) -> str:
        """What this store serves now (endpoint and graphs); changes when the served graphs change."""
        return " ".join([self.endpoint, *self.graphs])

    def refresh(self) -> bool:
        """Follow a new publication (`KgStore.refresh`): with a pointer, read it again when it is older than
        ``pointer_ttl_s``; True when the served graphs changed. Fixed ``graphs`` never change."""
        if self.pointer is None:
            return False
        now = time.monotonic()
        if self._pointer_read_at is not None and now - self._pointer_read_at < self.pointer_ttl_s:
            return False
        graphs = self.read_pointer()
        self._pointer_read_at = now
        if graphs is None or graphs == self.graphs:
            return False
        self.graphs = graphs  # one assignment: a query takes either the old list or the new one
        return True

    def read_pointer(self) -> list[str] | None:
        """The graphs the publication pointer names (sorted), or None when there is no pointer."""
        assert self.pointer is not None
        control = self.pointer.split("#", 1)[0]
        body = self.send(f"SELECT ?g WHERE {{ GRAPH <{control}> {{ <{self.pointer}> <{_HAS_PART}> ?g }} }}",
                         _ACCEPT["SELECT"], default_graphs=(), named_graphs=()).json()
        graphs = sorted(b["g"]["value"] for b in body["results"]["bindings"])
        return graphs or None

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def send(self, text: str, accept: str, *, default_graphs: Sequence[str] | None = None,
             named_graphs: Sequence[str] | None = None, extra: Mapping[str, str] | None = None) -> httpx.Response:
        """Send one protocol query and return the successful response (raises as `query` does).

        Args:
            text: the query. accept: the ``Accept`` header.
            default_graphs / named_graphs: the protocol dataset; None: this store's graphs; ``()``: none sent
                (the query's FROM clauses or the endpoint's default dataset apply).
            extra: more query parameters (e.g. the endpoint's timeout).
        """
        graphs = self.graphs  # read once: `refresh` may replace the list meanwhile
        default = graphs if default_graphs is None else list(default_graphs)
        named = graphs if named_graphs is None else list(named_graphs)
        try:
            form = {"query": text, "default-graph-uri": default, "named-graph-uri": named, **(extra or {})}
            headers = {"Accept": accept}
            if len(text) + sum(len(g) for g in (*default, *named)) <= _MAX_GET_CHARS:
                response = self._client.get(self.endpoint, params=form, headers=headers)
            else:
                response = self._client.post(self.endpoint, data=form, headers=headers)
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"no answer from {self.endpoint} within {self.timeout_s} s") from exc
        except httpx.TransportError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {self.endpoint}: {exc}",
                             hint="start it (scripts/virtuoso/start.sh) or fix KG_STORE") from exc
        if 400 <= response.status_code < 500:
            raise QueryError(f"the endpoint refused the query ({response.status_code}): {response.text[:500]}")
        if response.status_code >= 500:
            raise StoreError(f"the endpoint failed ({response.status_code}): {response.text[:500]}")
        return response


def parse_body(kind: str, body: bytes) -> Any:
    """A response body as pyoxigraph objects: ``QuerySolutions``/``QueryBoolean`` (SPARQL JSON results) or a
    list of ``Triple`` (N-Triples).

    ``xsd:boolean`` literals are given their canonical form (Virtuoso writes ``"1"``/``"0"``), so that
    results compare equal to the embedded store's.
    """
    if kind in ("SELECT", "ASK"):
        return ox.parse_query_results(_canonical_json(body), format=ox.QueryResultsFormat.JSON)
    body = _NT_BOOLEAN.sub(lambda m: b'"' + _CANONICAL_BOOLEAN[m[1].decode()].encode() + b'"' + m[2], body)
    return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]


def _canonical_json(body: bytes) -> bytes:
    if _XSD_BOOLEAN.encode() not in body:
        return body
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == _XSD_BOOLEAN and term.get("value") in _CANONICAL_BOOLEAN:
                term["value"] = _CANONICAL_BOOLEAN[term["value"]]
    return json.dumps(document).encode()


def query_kind(text: str) -> str:
    """The query form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (the first such keyword outside IRIs,
    strings and comments).

    Raises:
        QueryError: none of them is found (an update, or not a query).
    """
    stripped = _STRING.sub('""', _IRIREF.sub("<>", text))
    stripped = re.sub(r"#[^\n]*", "", stripped)
    match = _KIND.search(stripped)
    if not match:
        raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query (updates are not allowed)")
    return match[1].upper()


Store = KgStore | RemoteStore
"""Either store: both answer ``query``, ``query_named``, ``rows``, ``refresh`` and ``revision``."""
