"""The W3C SPARQL 1.1 Protocol query and dataset tests, replayed against the app (see README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.api.sparql_store import make_settings, publish
from tests.conformance.protocol_manifest import ProtocolTest, load_manifest, problems

TESTS = [test for test in load_manifest() if test.is_query_test]


def _id(test: ProtocolTest) -> str:
    return f"{'dataset' if test.is_dataset_test else 'query'}-{test.name}"


def _quads(tests: list[ProtocolTest]) -> Iterator[ox.Quad]:
    for path, name in sorted({graph for test in tests for graph in test.graphs}):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(name))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("protocol")
    publish(data_dir, "w3c", _quads(TESTS))
    app = create_app(make_settings(data_dir, sparql_workers=1))
    with TestClient(app, base_url="http://www.example") as c:
        del c.headers["accept"]  # replay exactly: the manifest's requests carry no Accept header
        yield c


def test_manifest_has_fourteen_query_and_six_dataset_tests() -> None:
    assert sum(not t.is_dataset_test for t in TESTS) == 14
    assert sum(t.is_dataset_test for t in TESTS) == 6


@pytest.mark.parametrize("test", TESTS, ids=_id)
def test_protocol(client: TestClient, test: ProtocolTest) -> None:
    for exchange in test.exchanges:
        response = client.request(exchange.method, exchange.path, headers=exchange.headers,
                                  content=exchange.body, follow_redirects=False)
        found = problems(exchange, response.status_code, response.headers.get("content-type", ""),
                         response.content)
        assert not found, f"{test.name} ({test.label}): {'; '.join(found)}"
