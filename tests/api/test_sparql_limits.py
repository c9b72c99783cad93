from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from tests.api.sparql_store import ENDLESS_QUERY, EX, filler_quads, make_settings, publish, sample_quads

ALL = "SELECT ?s WHERE { ?s ?p ?o }"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_endless_query_is_stopped_and_its_worker_killed(client: TestClient, settings: Settings) -> None:
    executor = client.app.state.sparql_executor
    before = set(executor.pids())
    started = time.monotonic()
    response = client.get("/sparql", params={"query": ENDLESS_QUERY})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "QueryTimeout"
    assert settings.sparql_timeout_s <= elapsed < settings.sparql_timeout_s + 1.0
    killed = before - set(executor.pids())
    assert len(killed) == 1
    assert not _alive(killed.pop())
    assert len(executor.pids()) == settings.sparql_workers


def test_next_request_after_timeout_is_answered_at_once(client: TestClient) -> None:
    client.get("/sparql", params={"query": ENDLESS_QUERY})
    started = time.monotonic()
    response = client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200
    assert time.monotonic() - started < 0.5


def test_endless_query_on_the_html_page_shows_the_timeout(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": ENDLESS_QUERY}, headers={"accept": "text/html"})
    assert response.status_code == 503
    assert "QueryTimeout" in response.text


@pytest.fixture(scope="module")
def capped_client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(data_dir, sparql_max_rows=3, sparql_workers=1))) as test_client:
        yield test_client


def test_result_over_row_cap_is_refused_with_the_limit(capped_client: TestClient) -> None:
    response = capped_client.get("/sparql", params={"query": ALL})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "more than 3 rows" in error["message"]
    assert "KG_SPARQL_MAX_ROWS" in error["hint"]


def test_result_at_row_cap_is_served(capped_client: TestClient) -> None:
    response = capped_client.get("/sparql", params={"query": ALL + " LIMIT 3"})
    assert len(response.json()["results"]["bindings"]) == 3


def test_construct_over_row_cap_is_refused(capped_client: TestClient) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert capped_client.get("/sparql", params={"query": query}).status_code == 400


def test_republished_store_is_served_by_running_workers(tmp_path: Path) -> None:
    publish(tmp_path, "one", sample_quads())
    with TestClient(create_app(make_settings(tmp_path, sparql_workers=1))) as test_client:
        query = f"ASK {{ <{EX}fresh> ?p ?o }}"
        before = test_client.get("/sparql", params={"query": query}).json()["boolean"]
        fresh = ox.Quad(ox.NamedNode(EX + "fresh"), ox.NamedNode(EX + "p"), ox.Literal("1"))
        publish(tmp_path, "two", [fresh, *filler_quads(10)])
        after = test_client.get("/sparql", params={"query": query}).json()["boolean"]
    assert (before, after) == (False, True)


def test_missing_store_is_503_with_hint(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, sparql_workers=1))) as test_client:
        response = test_client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "StoreError"
    assert "kg build" in response.json()["error"]["hint"]
