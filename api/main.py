"""The FastAPI application: ``create_app(settings)`` wires middleware, error handlers and routers.

Routers are mounted in ``_mount_routers``, the one place to add a new one; each feature package exposes a
function returning its ``APIRouter``. The lifespan starts and stops the SPARQL worker pool (it also starts
lazily on the first query, e.g. under an ASGI transport that skips lifespan events) and the task that keeps each
publication's GraphQL totals warm (api/graphql/warm.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api import reconcile, releases, site
from api.deps import app_store, published_path
from api.errors import install_error_handlers
from api.graphql import graphql_router
from api.graphql.response_cache import GraphQLResponseCache
from api.graphql.warm import start_warming
from api.linked_data import build_router as linked_data_router
from api.middleware import BodySizeLimit, StandardHeaders
from api.ratelimit import RateLimit
from api.sparql.executor import Executor
from api.sparql.remote import RemoteExecutor
from api.sparql.router import build_router as sparql_router
from kg.config import Settings, get_settings
from kg.namespaces import PREFIXES
from kg.remote_store import RemoteStore, is_remote

__all__ = ["create_app"]

DESCRIPTION = (
    "An RDF knowledge graph of EU industrial policy: GraphQL at /graphql for frontends, "
    "SPARQL 1.1 at /sparql for analysts, entity pages under /id/."
)


def _mount_routers(app: FastAPI, settings: Settings) -> None:
    app.include_router(site.build_router())
    app.include_router(sparql_router())
    graphql = graphql_router(settings)
    app.state.graphql_orders = graphql.kept_orders
    app.include_router(graphql, prefix="/graphql")
    app.include_router(linked_data_router())  # /id/{kind}/{slug}[.ext]
    app.include_router(reconcile.build_router())  # /reconcile (W3C Entity Reconciliation API)
    app.include_router(releases.build_router())  # /releases/<version>/...


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # Added last = outermost: CORS sees every response, including 413s of the body cap. Added first =
    # innermost: the GraphQL response cache, so that limits and headers apply to its answers too.
    app.add_middleware(GraphQLResponseCache, path="/graphql", settings=settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(StandardHeaders)
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"], expose_headers=["Content-Disposition"], max_age=600,
    )


def _executor(app: FastAPI, settings: Settings) -> Executor | RemoteExecutor:
    """/sparql's executor: worker processes over the embedded store, or forwarding to the remote endpoint."""
    if is_remote(settings):
        return RemoteExecutor(partial(app_store, app, settings), timeout_s=settings.sparql_timeout_s,
                              prefixes=PREFIXES, timeout_param=settings.store_timeout_param)
    return Executor(published_path(settings), size=settings.sparql_workers,
                    timeout_s=settings.sparql_timeout_s, prefixes=PREFIXES)


def _close_store(app: FastAPI) -> None:
    store = getattr(app.state, "kg_store", None)
    if isinstance(store, RemoteStore):
        store.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application serving the store of ``settings`` (default: from the environment): the published
    embedded store, or the SPARQL endpoint ``KG_STORE=sparql+http://…`` names."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(app.state.sparql_executor.start)
        warming = start_warming(app, settings, app.state.graphql_orders)
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()
            await run_in_threadpool(app.state.sparql_executor.close)
            _close_store(app)

    app = FastAPI(title="eu-industrial-kg", description=DESCRIPTION, version="0.1.0",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.sparql_executor = _executor(app, settings)
    install_error_handlers(app)
    _add_middleware(app, settings)
    _mount_routers(app, settings)
    return app
