"""A response cache for GraphQL queries: a published graph never changes, so neither does an answer about it.

    app.add_middleware(GraphQLResponseCache, path="/graphql", settings=settings)

An ASGI middleware in front of the GraphQL route. A POST (JSON body) or GET query is keyed on the store's
revision (the published build's directory: it changes with every publication and rollback), the query text,
the variables (canonical JSON), the operation name, the request's language (Accept-Language) and its Accept
header. A hit is answered from memory without running strawberry; a miss runs the route and keeps its answer
when it is a 200 JSON body with ``data`` and no ``errors``, so refusals (limits, bad input, NOT_FOUND, store
failures) are computed again every time. Identical requests arriving while a miss is running wait for it
instead of running too (a burst after a publication computes each answer once). Entries are evicted least
recently used past
``Settings.graphql_cache_entries`` entries or ``graphql_cache_bytes`` bytes; either at 0 turns the cache off.

Only stores whose revision names immutable content are cached: the embedded store, and a remote store whose
served graphs are pinned (``KG_STORE_GRAPHS``). Each response says ``X-GraphQL-Cache: hit`` or ``miss``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import app_store
from api.graphql.memo import Lru, store_version
from api.graphql.router import preferred_language
from kg.config import Settings
from kg.errors import KgError

__all__ = ["CACHE_HEADER", "CachedResponse", "GraphQLResponseCache", "request_key"]

CACHE_HEADER = b"x-graphql-cache"
_JSON_TYPES = (b"application/json", b"application/graphql-response+json")
Key = tuple[str, ...]


@dataclass(frozen=True)
class CachedResponse:
    """What a hit sends back: the body and its media type (always status 200)."""

    body: bytes
    media_type: bytes


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return ""


def _operation(scope: Scope, body: bytes) -> dict[str, Any] | None:
    """The request's GraphQL fields (query, variables, operationName); None when it is no plain query."""
    if scope["method"] == "GET":
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "query" not in params:
            return None  # GraphiQL
        fields: dict[str, Any] = {k: v[0] for k, v in params.items()}
        try:
            fields["variables"] = json.loads(fields["variables"]) if fields.get("variables") else None
        except ValueError:
            return None
        return fields
    if not _header(scope, b"content-type").startswith("application/json"):
        return None
    try:
        fields = json.loads(body)
    except ValueError:
        return None
    return fields if isinstance(fields, dict) and isinstance(fields.get("query"), str) else None


def request_key(revision: str, scope: Scope, fields: dict[str, Any]) -> Key | None:
    """The cache key of a GraphQL request on the store ``revision`` (None: not cacheable, e.g. extensions)."""
    if set(fields) - {"query", "variables", "operationName"}:
        return None
    try:
        variables = json.dumps(fields.get("variables") or {}, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return (revision, fields["query"], variables, str(fields.get("operationName") or ""),
            preferred_language(_header(scope, b"accept-language")), _header(scope, b"accept"))


def _answer(response: CachedResponse, status: bytes) -> list[Message]:
    headers = [(b"content-type", response.media_type), (b"content-length", str(len(response.body)).encode()),
               (CACHE_HEADER, status)]
    return [{"type": "http.response.start", "status": 200, "headers": headers},
            {"type": "http.response.body", "body": response.body}]


def _cacheable(start: Message, body: bytes) -> CachedResponse | None:
    """The response to keep: a 200 JSON object with data and without errors; None for anything else."""
    if start.get("status") != 200:
        return None
    media_type = dict(start.get("headers", ())).get(b"content-type", b"")
    if not media_type.startswith(_JSON_TYPES):
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or parsed.get("errors") or parsed.get("data") is None:
        return None
    return CachedResponse(body, media_type)


class GraphQLResponseCache:
    """ASGI middleware caching the answers of GraphQL queries at ``path`` (see the module docstring)."""

    def __init__(self, app: ASGIApp, path: str, settings: Settings) -> None:
        self.app = app
        self.path = path
        self.settings = settings
        self.cache: Lru[CachedResponse] = Lru(settings.graphql_cache_entries, settings.graphql_cache_bytes)
        self._running: dict[Key, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"] != self.path or scope["method"] not in ("GET", "POST")
                or not self.cache.enabled):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive) if scope["method"] == "POST" else b""
        replay = _replaying(body, receive)
        fields = _operation(scope, body)
        revision = await self._revision(scope) if fields is not None else None
        key = request_key(revision, scope, fields) if revision is not None and fields is not None else None
        if key is None:
            await self.app(scope, replay, send)
            return
        running = self._running.get(key)
        if running is not None:
            await running.wait()
        found = self.cache.get(key)
        if found is not None:
            for message in _answer(found, b"hit"):
                await send(message)
            return
        if running is not None:  # the answer it waited for was not kept (an error): run its own
            await self.app(scope, replay, send)
            return
        self._running[key] = done = asyncio.Event()
        try:
            await self._miss(scope, replay, send, key)
        finally:
            del self._running[key]
            done.set()

    async def _revision(self, scope: Scope) -> str | None:
        app: FastAPI = scope["app"]
        try:
            if getattr(app.state, "kg_store", None) is None:  # first use opens the store: off the event loop
                return store_version(await asyncio.to_thread(app_store, app, self.settings))
            return store_version(app_store(app, self.settings))
        except KgError:
            return None  # nothing published, endpoint down…: the route answers with the error

    async def _miss(self, scope: Scope, receive: Receive, send: Send, key: Key) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                message = {**message, "headers": [*message.get("headers", ()), (CACHE_HEADER, b"miss")]}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        response = _cacheable(start, b"".join(chunks)) if start else None
        if response is not None and await self._revision(scope) == key[0]:  # no publication meanwhile
            self.cache.put(key, response, len(response.body))


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body over once, then defers to ``receive``."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
