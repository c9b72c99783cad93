"""Site-level routes: the landing page ``/``, ``/health`` and the self-contained ``/docs`` page.

``/docs`` replaces FastAPI's Swagger UI, which loads its scripts from a CDN; the service runs offline.
The machine-readable OpenAPI document stays at ``/openapi.json``.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.deps import ExecutorDep, SettingsDep, app_store, published_path
from api.html import html_response
from api.sparql.description import MEDIA_TYPES
from api.sparql.page import load_examples
from kg.config import Settings
from kg.errors import KgError
from kg.remote_store import is_remote
from kg.store import KgStore

__all__ = ["build_router"]


def _routes(request: Request) -> list[dict[str, str]]:
    listed = []
    for route in request.app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            methods = ", ".join(sorted(route.methods - {"HEAD"}))
            listed.append({"methods": methods, "path": route.path, "summary": route.summary or route.name})
    return listed


def build_router() -> APIRouter:
    """Routes ``/``, ``/health`` and ``/docs``."""
    router = APIRouter(tags=["site"])

    @router.get("/", response_class=HTMLResponse, summary="Landing page")
    async def landing(request: Request, settings: SettingsDep) -> HTMLResponse:
        sparql_url = str(request.url.replace(path="/sparql", query="", fragment=""))
        return html_response("landing.html", settings=settings, examples=load_examples(),
                             sparql_url=sparql_url)

    @router.get("/health", summary="Liveness and readiness: is a store published, are workers alive")
    async def health(request: Request, settings: SettingsDep, executor: ExecutorDep) -> JSONResponse:
        published = await run_in_threadpool(_store_readable, request.app, settings)
        body = {
            "status": "ok" if published else "unavailable",
            "store": {"published": published},
            "sparql": {"workers": executor.size, "alive": len(executor.pids())},
        }
        return JSONResponse(body, status_code=200 if published else 503)

    @router.get("/docs", response_class=HTMLResponse, summary="API documentation (HTML)")
    async def docs(request: Request, settings: SettingsDep) -> HTMLResponse:
        return html_response("docs.html", settings=settings, routes=_routes(request), media_types=MEDIA_TYPES)

    return router


def _store_readable(app: FastAPI, settings: Settings) -> bool:
    """True when the published store opens and answers: a corrupt store is as unavailable as a missing one.
    A remote store must answer ``ASK {}`` on its endpoint."""
    if is_remote(settings):
        try:
            app_store(app, settings).query("ASK {}")
        except KgError:
            return False
        return True
    if not published_path(settings).exists():
        return False
    try:
        store = KgStore.open_published(settings)
        store.query("ASK {}")
    except (KgError, OSError, RuntimeError, ValueError):
        return False
    return True
