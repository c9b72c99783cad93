"""/sparql on a remote store without a server: RemoteExecutor against an httpx mock transport, and the app's
choice of executor and store by ``KG_STORE``."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.sparql.executor import Executor
from api.sparql.jobs import GRAPH, RESULTS_JSON, SOLUTIONS, TURTLE, Job
from api.sparql.remote import RemoteExecutor
from kg.config import Settings
from kg.errors import QueryTimeout, StoreError
from kg.remote_store import RemoteStore

ENDPOINT = "sparql+http://127.0.0.1:1/sparql"
RESULTS = {"head": {"vars": ["b"]}, "results": {"bindings": [
    {"b": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}}]}}


def _executor(handler, seen: list[httpx.Request] | None = None, **store_kwargs) -> RemoteExecutor:
    def record(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return handler(request)

    store = RemoteStore(ENDPOINT, client=httpx.Client(transport=httpx.MockTransport(record)), **store_kwargs)
    return RemoteExecutor(lambda: store, timeout_s=2.0, prefixes={}, timeout_param="timeout")


def _job(query: str = "SELECT ?b WHERE { ?s ?p ?b }", **kwargs) -> Job:
    values = {"query": query, "base_iri": "http://testserver/sparql",
              "formats": {SOLUTIONS: RESULTS_JSON, GRAPH: TURTLE}, **kwargs}
    return Job(**values)


def _json(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=RESULTS)


def _params(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.url.query.decode())


def test_remote_executor_forwards_with_base_timeout_and_store_graphs() -> None:
    seen: list[httpx.Request] = []
    outcome = _executor(_json, seen, graphs=["https://example.org/g"]).run(_job())
    params = _params(seen[0])
    assert params["query"][0].startswith("BASE <http://testserver/sparql>\nSELECT")
    assert params["timeout"] == ["2000"]
    assert params["default-graph-uri"] == params["named-graph-uri"] == ["https://example.org/g"]
    assert json.loads(outcome.body)["results"]["bindings"][0]["b"]["value"] == "true"


def test_remote_executor_passes_the_protocol_dataset_through() -> None:
    seen: list[httpx.Request] = []
    _executor(_json, seen, graphs=["https://example.org/g"]).run(
        _job(default_graphs=("https://example.org/a",), named_graphs=()))
    params = _params(seen[0])
    assert params["default-graph-uri"] == ["https://example.org/a"] and "named-graph-uri" not in params


def test_remote_executor_sends_no_dataset_when_the_query_has_from() -> None:
    seen: list[httpx.Request] = []
    _executor(_json, seen, graphs=["https://example.org/g"]).run(_job(union_default_graph=False))
    assert "default-graph-uri" not in _params(seen[0])


def test_remote_executor_refuses_partial_results_of_a_server_timeout() -> None:
    def partial(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=RESULTS, headers={"X-SQL-State": "S1TAT"})

    with pytest.raises(QueryTimeout):
        _executor(partial).run(_job())


def test_remote_executor_reports_a_query_over_the_server_cost_limit_as_timeout() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="Virtuoso 42000 Error The estimated execution time 5 (sec) exceeds the "
                                        "limit of 1 (sec).")

    with pytest.raises(QueryTimeout):
        _executor(refuse).run(_job())


def test_remote_executor_turns_a_client_timeout_into_query_timeout() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(QueryTimeout):
        _executor(slow).run(_job())


def test_remote_executor_server_error_is_an_io_outcome_and_refusal_a_syntax_outcome() -> None:
    failing = _executor(lambda request: httpx.Response(500, text="boom")).run(_job())
    refused = _executor(lambda request: httpx.Response(400, text="bad")).run(_job("SELECT * WHERE {"))
    assert failing.error == "io" and refused.error == "syntax" and "1:" in refused.message


def test_remote_executor_unreachable_endpoint_is_store_error() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(StoreError):
        _executor(down).run(_job())


def test_remote_executor_caps_rows() -> None:
    many = {"head": {"vars": ["b"]}, "results": {"bindings": [{}, {}, {}]}}
    outcome = _executor(lambda request: httpx.Response(200, json=many)).run(_job(max_rows=2))
    assert outcome.error == "rows"


def test_app_on_a_remote_store_forwards_sparql_and_answers_503_when_unreachable(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, store="sparql+http://127.0.0.1:9/sparql")
    app = create_app(settings)
    assert isinstance(app.state.sparql_executor, RemoteExecutor)
    with TestClient(app) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 503
        assert client.get("/health").status_code == 503
        assert client.get("/id/company/verkor.ttl").status_code == 503


def test_app_on_the_embedded_store_keeps_the_worker_pool(tmp_path) -> None:
    assert isinstance(create_app(Settings(data_dir=tmp_path)).state.sparql_executor, Executor)
