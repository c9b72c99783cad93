"""The FastAPI router serving GraphQL (POST/GET) and GraphiQL (a browser GET) at its path.

    app.include_router(graphql_router(settings), prefix="/graphql")

Each request gets a fresh `GraphQLContext` (DataLoaders, query counter) sharing the router's kept list orders
(``Settings.graphql_order_cache_entries``). The store is the app's
(`api.deps.app_store`: the embedded store or a SPARQL endpoint, per ``KG_STORE``), opened on the first query and
followed across publications; tests may pass their own store.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from fastapi import Request
from strawberry.fastapi import GraphQLRouter

from api.deps import app_store
from api.graphql.context import GraphQLContext
from api.graphql.lists import MAX_ORDERED_KEYS
from api.graphql.memo import Lru
from api.graphql.schema import build_schema
from kg.config import Settings, get_settings
from kg.remote_store import Store

__all__ = ["build_router", "graphql_router", "preferred_language"]


def preferred_language(header: str | None) -> str:
    """The first language of an Accept-Language header (``fr-FR,fr;q=0.9`` → ``fr``), else ``en``."""
    for part in (header or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag and tag != "*":
            return tag.split("-")[0]
    return "en"


def graphql_router(settings: Settings | None = None,
                   store: Store | Callable[[], Store] | None = None) -> GraphQLRouter:
    """The GraphQL router.

    Args:
        settings: the service settings (limits, base IRI); default `get_settings()`.
        store: the store, or a callable returning it; default: the app's store (`api.deps.app_store`).
    """
    settings = settings or get_settings()
    orders: Lru[list[str]] = Lru(settings.graphql_order_cache_entries, MAX_ORDERED_KEYS)

    async def context(request: Request) -> GraphQLContext:
        provider = store if store is not None else partial(app_store, request.app, settings)
        return GraphQLContext(provider, settings, preferred_language(request.headers.get("accept-language")),
                              orders)

    router = GraphQLRouter(build_schema(settings), context_getter=context, graphql_ide="graphiql")
    router.kept_orders = orders  # shared with the warm-up task (api/graphql/warm.py)
    return router


build_router = graphql_router
"""The name other feature packages use (``api.main._mount_routers``)."""
