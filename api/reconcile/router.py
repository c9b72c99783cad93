"""HTTP routes of the reconciliation service under /reconcile (W3C Entity Reconciliation API: the 0.2
protocol OpenRefine speaks at the service root, and the 1.0 draft).

0.2 (service root ``/reconcile``; envelope in api/reconcile/v02.py):

    GET  /reconcile                  service manifest (0.2: identifierSpace, schemaSpace, view, preview, suggest,
                                     extend)
    GET|POST /reconcile              ``queries`` (query parameter or form field): query batch keyed by query id
    GET|POST /reconcile              ``extend``: data extension query (rows keyed by entity id)
    GET  /reconcile/view             ?id=…  303 to the entity's IRI (the 0.2 view template)

1.0 draft (under ``/reconcile``, and as a complete endpoint under ``/reconcile/1.0-draft``, whose GET is the
1.0-draft manifest):

    POST /reconcile/match            reconciliation query batch (JSON body, or form field ``queries``);
         /reconcile/reconcile        the same (the route of earlier drafts)
    GET  /reconcile/suggest/entity   ?prefix=…&type=…&limit=…&offset=… (``cursor``: earlier name of offset)
    GET  /reconcile/suggest/type     ?prefix=…
    GET  /reconcile/suggest/property ?prefix=…
    GET  /reconcile/preview          ?id=…  (HTML)
    POST /reconcile/extend           data extension query (JSON body, or form field ``extend``)
    GET  /reconcile/extend/propose   ?type=…&limit=…

The suggest, preview and propose routes are shared by both protocols. Conditions name their fields
``propertyId`` / ``propertyValue`` (the published 1.0-draft schema) or ``pid`` / ``v`` (earlier drafts).
CORS is the app's (every route). The result language follows ``Accept-Language``; the query language is the
``lang`` field of each query.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.deps import app_store
from api.reconcile import v02
from api.reconcile.service import (
    PROPERTIES,
    TYPES,
    Index,
    group_by_prefix,
    property_values,
    reconcile_query,
    suggest,
)
from kg.config import Settings
from kg.remote_store import Store, open_store

__all__ = ["BATCH_SIZE", "V1_PREFIX", "ReconcileState", "build_router", "manifest"]

BATCH_SIZE = 50
MAX_EXTEND_IDS = 200
DEFAULT_TYPES = ("eip:Organisation", "eip:Company", "eip:Place", "eip:Facility", "eip:Programme")
SERVICE_NAME = "eu-industrial-kg: EU industrial policy entities"
PREVIEW_SIZE = {"width": 420, "height": 140}
V1_PREFIX = "/reconcile/1.0-draft"


class ReconcileState:
    """The app's store and a name index of it, rebuilt when the store serves a new publication.

    Args:
        settings: the service settings.
        opener: returns the store to read now (default: `kg.remote_store.open_store` once, then refreshed).
    """

    def __init__(self, settings: Settings, opener: Callable[[], Store] | None = None) -> None:
        self.settings = settings
        self._opener = opener or self._own_store
        self._store: Store | None = None
        self._index: Index | None = None
        self._revision = ""
        self._lock = threading.Lock()

    def _own_store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        else:
            self._store.refresh()
        return self._store

    def current(self) -> tuple[Store, Index]:
        with self._lock:
            store = self._opener()
            if self._index is None or store.revision != self._revision:
                self._index, self._revision = Index.load(store), store.revision
            return store, self._index


def _state(request: Request) -> ReconcileState:
    state = getattr(request.app.state, "reconcile", None)
    if state is None:
        settings = request.app.state.settings
        state = request.app.state.reconcile = ReconcileState(settings, partial(app_store, request.app, settings))
    return state


def _languages(request: Request) -> list[str]:
    """Languages of Accept-Language, best first (``fr-BE;q=0.8`` → ``fr``)."""
    ranked = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, q = part.strip().partition(";q=")
        if tag and tag != "*":
            try:
                ranked.append((float(q or 1), tag.split("-")[0].lower()))
            except ValueError:
                continue
    return [lang for _, lang in sorted(ranked, key=lambda r: -r[0])] or ["en"]


def _default_types() -> list[dict[str, str]]:
    return [{"id": t, "name": TYPES[t]} for t in DEFAULT_TYPES]


def manifest(settings: Settings, root: str) -> dict[str, Any]:
    """The service manifest (1.0 draft)."""
    return {
        "versions": ["1.0-draft"],
        "name": SERVICE_NAME,
        "documentation": settings.base_iri,
        "serviceVersion": "0.1.0",
        "lang": "en",
        "view": {"url": "{+id}"},
        "defaultTypes": _default_types(),
        "suggest": {"entity": True, "type": True, "property": True},
        "preview": dict(PREVIEW_SIZE),
        "extend": {"proposeProperties": True, "propertySettings": []},
        "batchSize": BATCH_SIZE,
        "standardizedScore": True,
    }


async def _payload(request: Request, form_field: str) -> Any:
    """The JSON payload of a POST: the body itself, or a form field holding JSON."""
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            fields = parse_qs(body.decode("utf-8"))
            return json.loads(fields.get(form_field, [""])[0])
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"the request body is not JSON: {exc}") from None


async def _field(request: Request, name: str) -> str | None:
    """A query parameter, or a field of a form-encoded POST body (the 0.2 protocol's ``queries`` / ``extend``)."""
    if name in request.query_params:
        return request.query_params[name]
    if request.method == "POST":
        fields = parse_qs((await request.body()).decode("utf-8", errors="replace"))
        return fields.get(name, [None])[0]
    return None


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise HTTPException(400, f"'{name}' is not JSON: {exc}") from None


def _check_queries(payload: Any) -> list[dict[str, Any]]:
    queries = payload.get("queries") if isinstance(payload, dict) else None
    if not isinstance(queries, list):
        raise HTTPException(400, "expected an object with a 'queries' array")
    _check_batch(dict(enumerate(queries)))
    return queries


def _check_batch(queries: dict[Any, Any]) -> None:
    """Check the 1.0-draft form of each query (0.2 queries are checked after conversion)."""
    if len(queries) > BATCH_SIZE:
        raise HTTPException(413, f"at most {BATCH_SIZE} queries per batch")
    for number, query in queries.items():
        conditions = query.get("conditions") if isinstance(query, dict) else None
        if not isinstance(conditions, list) or not conditions:
            raise HTTPException(400, f"query {number}: 'conditions' must be a non-empty array")
        for condition in conditions:
            if isinstance(condition, dict):
                for current, earlier in (("propertyValue", "v"), ("propertyId", "pid")):
                    if current in condition:
                        condition.setdefault(earlier, condition[current])
            if (
                not isinstance(condition, dict)
                or condition.get("matchType") not in ("name", "property")
                or "v" not in condition
            ):
                raise HTTPException(
                    400, f"query {number}: each condition needs matchType (name|property) and propertyValue"
                )
            if condition["matchType"] == "property" and condition.get("pid") not in PROPERTIES:
                raise HTTPException(400, f"query {number}: unknown property {condition.get('pid')!r}")
        types = query.get("type")
        for type_id in types if isinstance(types, list) else [] if types is None else [types]:
            if not isinstance(type_id, str) or type_id not in TYPES:
                raise HTTPException(400, f"query {number}: unknown type {type_id!r}")


async def _results(request: Request, queries: dict[Any, dict[str, Any]]) -> tuple[dict[Any, Any], str]:
    """The candidates of each checked query, by key, and the result language."""
    languages = _languages(request)

    def run() -> dict[Any, Any]:
        store, index = _state(request).current()
        return {key: reconcile_query(index, store, q, languages) for key, q in queries.items()}

    return await run_in_threadpool(run), languages[0]


async def _extension(request: Request, payload: Any) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """``meta`` and ``rows`` (1.0-draft form) of a data extension query."""
    ids = payload.get("ids") if isinstance(payload, dict) else None
    properties = payload.get("properties") if isinstance(payload, dict) else None
    if not isinstance(ids, list) or not isinstance(properties, list) or len(ids) > MAX_EXTEND_IDS:
        raise HTTPException(400, f"expected 'ids' (at most {MAX_EXTEND_IDS}) and 'properties' arrays")
    pids = [p.get("id") if isinstance(p, dict) else None for p in properties]
    unknown = [p for p in pids if p not in PROPERTIES]
    if unknown:
        raise HTTPException(400, f"unknown properties: {unknown}")

    def run() -> list[dict[str, Any]]:
        store, _ = _state(request).current()
        return [{"id": i, "properties": [{"id": p, "values": property_values(store, str(i), p)} for p in pids]}
                for i in ids]

    return [{"id": p, "name": PROPERTIES[p]} for p in pids], await run_in_threadpool(run)


def _root_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def build_router() -> APIRouter:
    """The /reconcile router (mount with ``app.include_router(reconcile.build_router())``)."""
    router = APIRouter(prefix="/reconcile", tags=["reconciliation"])

    @router.get("")
    @router.post("")
    @router.get("/", include_in_schema=False)
    @router.post("/", include_in_schema=False)
    async def service_root(request: Request) -> JSONResponse:
        """The 0.2 protocol: a query batch (``queries``), a data extension (``extend``) or the manifest."""
        queries, extend = await _field(request, "queries"), await _field(request, "extend")
        if queries is not None:
            converted = v02.queries_to_conditions(_json(queries, "queries"))
            _check_batch(converted)
            results, language = await _results(request, converted)
            return JSONResponse(v02.result_batch(results), headers={"Content-Language": language})
        if extend is not None:
            return JSONResponse(v02.extension_response(*await _extension(request, _json(extend, "extend"))))
        settings = request.app.state.settings
        return JSONResponse(v02.manifest(SERVICE_NAME, settings.base_iri, _root_url(request), _default_types(),
                                         BATCH_SIZE, PREVIEW_SIZE))

    @router.get("/view")
    async def view(request: Request, id: str) -> RedirectResponse:
        """The 0.2 view template: 303 to the entity's IRI (ids are full IRIs, sent URI-component encoded)."""
        _, index = await run_in_threadpool(_state(request).current)
        if id not in index.entries:
            raise HTTPException(404, f"no entity {id!r}")
        return RedirectResponse(id, status_code=303)

    router.include_router(_draft_router())
    endpoint = APIRouter(prefix=V1_PREFIX[len("/reconcile"):], include_in_schema=False)

    @endpoint.get("")
    @endpoint.get("/")
    async def get_manifest(request: Request) -> JSONResponse:
        return JSONResponse(manifest(request.app.state.settings, str(request.url)))

    endpoint.include_router(_draft_router())
    router.include_router(endpoint)
    return router


def _suggestion(entry: Any, languages: list[str]) -> dict[str, Any]:
    """One entity suggestion of the 1.0 draft: id, name in the result language, description, its types."""
    return {"id": entry.iri, "name": entry.name(languages), "description": entry.description(),
            "notable": [{"id": t, "name": TYPES.get(t, t)} for t in entry.type_ids()]}


def _preview_html(store: Any, index: Any, iri: str, languages: list[str]) -> str:
    """An entity's preview card: name, description, up to five external identifiers (404 when unknown)."""
    entry = index.entries.get(iri)
    if entry is None:
        raise HTTPException(404, f"no entity {iri!r}")
    codes = property_values(store, iri, "skos:exactMatch")
    links = "".join(
        f'<li><a href="{html.escape(c.get("id", ""))}">{html.escape(c.get("id", ""))}</a></li>'
        for c in codes[:5]
    )
    return (
        f'<div lang="{languages[0]}" style="font:13px sans-serif">'
        f'<strong><a href="{html.escape(iri)}">'
        f"{html.escape(entry.name(languages))}</a></strong><br><em>{html.escape(entry.description())}"
        f"</em><ul>{links}</ul></div>"
    )


def _draft_router() -> APIRouter:
    """The 1.0-draft routes below an endpoint (match, suggest, preview, extend)."""
    router = APIRouter()

    @router.post("/match")
    @router.post("/reconcile")
    async def post_reconcile(request: Request) -> JSONResponse:
        queries = _check_queries(await _payload(request, "queries"))
        results, language = await _results(request, dict(enumerate(queries)))
        return JSONResponse({"results": list(results.values())}, headers={"Content-Language": language})

    @router.get("/suggest/entity")
    async def suggest_entity(
        request: Request,
        prefix: str = "",
        type: str | None = None,
        offset: int | None = None,
        cursor: int = 0,
        limit: int = 10,
    ) -> JSONResponse:
        languages = _languages(request)
        _, index = await run_in_threadpool(_state(request).current)
        skip = max(offset if offset is not None else cursor, 0)
        hits = suggest(index.of_type(type), prefix, languages, min(limit, 50), skip)
        return JSONResponse({"result": [_suggestion(entry, languages) for entry in hits]})

    @router.get("/suggest/type")
    async def suggest_type(prefix: str = "") -> JSONResponse:
        return JSONResponse({"result": [{"id": i, "name": n} for i, n in group_by_prefix(TYPES, prefix)]})

    @router.get("/suggest/property")
    async def suggest_property(prefix: str = "") -> JSONResponse:
        return JSONResponse(
            {"result": [{"id": i, "name": n} for i, n in group_by_prefix(PROPERTIES, prefix)]}
        )

    @router.get("/preview", response_class=HTMLResponse)
    async def preview(request: Request, id: str) -> HTMLResponse:
        languages = _languages(request)

        def run() -> str:
            return _preview_html(*_state(request).current(), id, languages)

        return HTMLResponse(await run_in_threadpool(run))

    @router.post("/extend")
    async def extend(request: Request) -> JSONResponse:
        meta, rows = await _extension(request, await _payload(request, "extend"))
        return JSONResponse({"meta": meta, "rows": rows})

    @router.get("/extend/propose")
    async def propose(type: str | None = None, limit: int = 20) -> JSONResponse:
        body: dict[str, Any] = {
            "properties": [{"id": i, "name": n} for i, n in list(PROPERTIES.items())[:limit]]
        }
        if type:
            body["type"] = type
        body["limit"] = limit
        return JSONResponse(body)

    return router
