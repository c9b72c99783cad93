"""Fixtures of the reliability suite: one real build of the curated graph (plus a graph of hostile labels,
given as an import so it is loaded as it is), and apps serving it with the default and with tight limits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from kg.build import build
from kg.config import Settings
from kg.namespaces import Minter
from tests.reliability.helpers import hostile_graph

LIMITS = {
    "sparql_timeout_s": 1.0, "sparql_max_rows": 50, "sparql_max_query_bytes": 2_000, "sparql_workers": 1,
    "graphql_max_depth": 4, "graphql_max_aliases": 3, "graphql_max_complexity": 200, "graphql_max_page": 500,
    "max_body_bytes": 6_000,
}
"""Tight limits, so each bound can be reached and passed by one small request."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked slow here run only on request: ``-m slow`` or ``KG_RELIABILITY_SLOW=1``."""
    if "slow" in (config.getoption("markexpr") or "") or os.environ.get("KG_RELIABILITY_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or KG_RELIABILITY_SLOW=1")
    for item in items:
        if "reliability" in item.nodeid and item.get_closest_marker("slow"):
            item.add_marker(skip)


def serve_app(settings: Settings) -> FastAPI:
    """The production app of ``settings``; /graphql mounted here only while api/main.py does not mount it."""
    app = create_app(settings)
    if not any(getattr(route, "path", "").startswith("/graphql") for route in app.routes):
        from api.graphql.router import graphql_router

        app.include_router(graphql_router(settings), prefix="/graphql")
    return app


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding a real `kg build` of the curated sources (+ ``import/hostile``)."""
    data_dir = tmp_path_factory.mktemp("reliability-data")
    settings = Settings(data_dir=data_dir)
    (data_dir / "imports").mkdir()
    hostile_graph(Minter(settings.base_iri)).serialize(data_dir / "imports" / "hostile.nt", format="nt",
                                                        encoding="utf-8")
    build(settings)
    return data_dir


@pytest.fixture(scope="session")
def served_settings(built_dir: Path) -> Settings:
    return Settings(data_dir=built_dir, sparql_timeout_s=2.0, sparql_workers=2,
                    service_allowlist=["http://127.0.0.1:9/sparql"])


@pytest.fixture(scope="session")
def client(served_settings: Settings) -> Iterator[TestClient]:
    with TestClient(serve_app(served_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def limits_settings(built_dir: Path) -> Settings:
    return Settings(data_dir=built_dir, **LIMITS)


@pytest.fixture(scope="session")
def tight(limits_settings: Settings) -> Iterator[TestClient]:
    with TestClient(serve_app(limits_settings)) as test_client:
        yield test_client
