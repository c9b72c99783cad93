"""Fixtures of the API tests: the session store (see ``sparql_store``) and a client of an app serving it, on the
embedded store (``client``) or on each backend (``backend_client``, see ``backends``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from tests.api.backends import BACKENDS, on_backend
from tests.api.sparql_store import filler_quads, make_settings, publish, sample_quads


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("kg-data")
    publish(directory, "x", [*sample_quads(), *filler_quads()])
    return directory


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return make_settings(data_dir, service_allowlist=["http://127.0.0.1:9/sparql"])


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session", params=BACKENDS)
def backend_client(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(on_backend(request.param, settings, keep_names=True))) as test_client:
        yield test_client
