"""The FastAPI router serving GraphQL (POST/GET) and GraphiQL (a browser GET) at its path.

    app.include_router(graphql_router(settings), prefix="/graphql")

Each request gets a fresh `GraphQLContext` (DataLoaders, query counter). The store is the published one
(``<data_dir>/current``), opened read-only on first use and followed across publications (`KgStore.refresh`);
tests pass their own store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import Request
from strawberry.fastapi import GraphQLRouter

from api.graphql.context import GraphQLContext
from api.graphql.schema import build_schema
from kg.config import Settings, get_settings
from kg.store import KgStore

__all__ = ["PublishedStore", "build_router", "graphql_router", "preferred_language"]


class PublishedStore:
    """Opens the published store on first use and reopens it when a new one is published."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: KgStore | None = None
        self._lock = threading.Lock()

    def __call__(self) -> KgStore:
        with self._lock:
            if self._store is None:
                self._store = KgStore.open_published(self.settings)
            else:
                self._store.refresh()
            return self._store


def preferred_language(header: str | None) -> str:
    """The first language of an Accept-Language header (``fr-FR,fr;q=0.9`` → ``fr``), else ``en``."""
    for part in (header or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag and tag != "*":
            return tag.split("-")[0]
    return "en"


def graphql_router(settings: Settings | None = None,
                   store: KgStore | Callable[[], KgStore] | None = None) -> GraphQLRouter:
    """The GraphQL router.

    Args:
        settings: the service settings (limits, base IRI); default `get_settings()`.
        store: the store, or a callable returning it; default: the published store of ``settings``.
    """
    settings = settings or get_settings()
    provider = store if store is not None else PublishedStore(settings)

    async def context(request: Request) -> GraphQLContext:
        return GraphQLContext(provider, settings, preferred_language(request.headers.get("accept-language")))

    return GraphQLRouter(build_schema(settings), context_getter=context, graphql_ide="graphiql")


build_router = graphql_router
"""The name other feature packages use (``api.main._mount_routers``)."""
