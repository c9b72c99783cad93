"""Shared by the GraphQL tests: the curated graph as a published store (built once per test process), the
application on top of it, and a small httpx client driving the ASGI app.

The store is built with `kg.build.build` when the build chain is complete (it also runs SHACL), otherwise
with the same steps minus validation: curated YAML + ontology → inference rules → store → publish.
"""

from __future__ import annotations

import asyncio
import atexit
import shutil
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import rdflib
from fastapi import FastAPI

from kg.config import Settings, get_settings

__all__ = [
    "GraphQLClient", "client_for", "codes", "curated_settings", "fresh_settings", "make_app", "publish_graph",
]


def publish_graph(settings: Settings, data: rdflib.Graph) -> None:
    """Publish ``data`` + the ontology + their inferences as the current store of ``settings``."""
    from kg.inference import materialise
    from kg.namespaces import Minter
    from kg.ontology import load_ontology_graph
    from kg.store import new_build_id, publish, write_store

    minter = Minter(settings.base_iri)
    ontology = load_ontology_graph(settings)
    inferred = materialise([ontology, data]).graph
    graphs = {minter.graph("ontology"): [ontology], minter.graph("curated"): [data],
              minter.graph("inferred"): [inferred]}
    publish(settings, write_store(settings, new_build_id(), graphs))


def fresh_settings() -> Settings:
    """Settings with an empty data directory of their own, removed when the test process ends."""
    data_dir = Path(tempfile.mkdtemp(prefix="kg-graphql-test-"))
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    return get_settings().model_copy(update={"data_dir": data_dir})


@lru_cache(maxsize=1)
def curated_settings() -> Settings:
    """Settings whose data directory holds a freshly published store of the curated graph."""
    settings = fresh_settings()
    try:
        import kg.validate  # noqa: F401  (the full build needs it)
        from kg.build import build
    except ImportError:
        from kg.curated import load_curated
        from kg.namespaces import Minter

        publish_graph(settings, load_curated(Path(settings.curated_dir), Minter(settings.base_iri)))
    else:
        build(settings)
    return settings


def make_app(settings: Settings) -> FastAPI:
    """The application (api.main.create_app; a bare app with the GraphQL router if it is missing)."""
    try:
        from api.main import create_app
    except ImportError:
        from api.graphql import graphql_router

        app = FastAPI()
        app.include_router(graphql_router(settings), prefix="/graphql")
        return app
    return create_app(settings)


class GraphQLClient:
    """POSTs GraphQL requests to the ASGI app through httpx (no network, no server)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self._send(method, url, **kwargs))

    def post(self, query: str, variables: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> dict[str, Any]:
        """The JSON body of a GraphQL POST; the HTTP status must be 200."""
        response = self.request("POST", "/graphql", json={"query": query, "variables": variables or {}},
                                headers=headers or {})
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """The ``data`` of a request that must not fail."""
        body = self.post(query, variables, **kwargs)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def errors(self, query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The ``errors`` of a request that must fail."""
        body = self.post(query, variables)
        assert body.get("errors"), body
        return body["errors"]


def client_for(settings: Settings) -> GraphQLClient:
    return GraphQLClient(make_app(settings))


def codes(errors: Iterable[dict[str, Any]]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in errors]
