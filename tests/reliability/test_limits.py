"""Every limit tested at its bound (served) and just past it (refused, with a message naming the limit).

The ``tight`` app serves the curated graph with small limits (see conftest.LIMITS) so that one small request
reaches each bound.
"""

from __future__ import annotations

import json
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.graphql.limits import MAX_TOKENS
from api.ratelimit import RateLimit, TokenBuckets
from kg.config import Settings

ACCEPT = {"accept": "application/sparql-results+json, application/json;q=0.9"}


def _graphql(client: TestClient, query: str) -> dict:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code < 500, response.text
    return response.json()


def _codes(body: dict) -> list[str]:
    return [error.get("extensions", {}).get("code", "") for error in body.get("errors", [])]


def _depth(depth: int) -> str:
    """A query of ``depth`` as strawberry's QueryDepthLimiter counts it (root fields are at depth 0):
    ``depth + 1`` nested fields, entities > edges > node > sources > …"""
    inner = "id"
    chain = ["entities(first: 1)", "edges", "node", "sources", "sources", "sources", "sources"]
    for name in reversed(chain[:depth]):
        inner = f"{name} {{ {inner} }}"
    return "{ " + inner + " }"


# ------------------------------------------------------------------------------------------------ GraphQL


def test_graphql_depth_at_limit_is_served(tight: TestClient, limits_settings: Settings) -> None:
    body = _graphql(tight, _depth(limits_settings.graphql_max_depth))
    assert "errors" not in body, body
    assert body["data"]["entities"]["edges"]


def test_graphql_depth_past_limit_is_refused_as_too_deep(tight: TestClient, limits_settings: Settings) -> None:
    body = _graphql(tight, _depth(limits_settings.graphql_max_depth + 1))
    assert body.get("data") is None
    assert _codes(body) == ["QUERY_TOO_DEEP"]
    assert "depth" in body["errors"][0]["message"]


def _aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def test_graphql_aliases_at_limit_are_served(tight: TestClient, limits_settings: Settings) -> None:
    body = _graphql(tight, _aliases(limits_settings.graphql_max_aliases))
    assert "errors" not in body and len(body["data"]) == limits_settings.graphql_max_aliases


def test_graphql_aliases_past_limit_are_refused_as_too_many(tight: TestClient, limits_settings: Settings) -> None:
    body = _graphql(tight, _aliases(limits_settings.graphql_max_aliases + 1))
    assert body.get("data") is None
    assert "aliases" in body["errors"][0]["message"]
    assert _codes(body) == ["TOO_MANY_ALIASES"]


def test_graphql_cost_at_limit_is_served(tight: TestClient, limits_settings: Settings) -> None:
    page = limits_settings.graphql_max_complexity - 1  # the list field itself counts 1
    body = _graphql(tight, f"{{ entities(first: {page}) {{ nodes {{ id }} }} }}")
    assert "errors" not in body, body


def test_graphql_cost_past_limit_is_refused_as_too_complex(tight: TestClient, limits_settings: Settings) -> None:
    page = limits_settings.graphql_max_complexity
    body = _graphql(tight, f"{{ entities(first: {page}) {{ nodes {{ id }} }} }}")
    assert _codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["extensions"]["maxCost"] == limits_settings.graphql_max_complexity


def _tokens(count: int) -> str:
    """A valid query of exactly ``count`` tokens (a long list argument; sibling fields would hit
    graphql-core's recursion limit first)."""
    head = '{ timeline(id: "verkor", types: ['
    tail = "]) { totalCount } }"
    fixed = 15  # { timeline ( id : "verkor" types : [ ] ) { totalCount } } — the <EOF> token is not counted
    return head + " ".join(['"x"'] * (count - fixed)) + tail


def test_graphql_tokens_at_limit_are_served(client: TestClient) -> None:
    body = _graphql(client, _tokens(MAX_TOKENS))
    assert not {"TOO_MANY_TOKENS", "GRAPHQL_PARSE_FAILED", ""} & set(_codes(body)), body["errors"][:1]


def test_graphql_tokens_past_limit_are_refused(client: TestClient) -> None:
    body = _graphql(client, _tokens(MAX_TOKENS + 1))
    assert body.get("data") is None
    assert _codes(body) == ["TOO_MANY_TOKENS"]


def test_graphql_page_past_max_page_is_refused(client: TestClient, served_settings: Settings) -> None:
    body = _graphql(client, f"{{ entities(first: {served_settings.graphql_max_page + 1}) {{ nodes {{ id }} }} }}")
    assert "PAGE_SIZE_EXCEEDED" in _codes(body)


@pytest.mark.parametrize("operations", [2, 50])
def test_graphql_batched_operations_are_refused_clearly(client: TestClient, operations: int) -> None:
    response = client.post("/graphql", json=[{"query": "{ __typename }"}] * operations)
    assert 400 <= response.status_code < 500
    assert "atching" in response.text  # "Batching is not enabled"


# ------------------------------------------------------------------------------------------------- SPARQL


def _values(rows: int) -> str:
    return "SELECT ?i { VALUES ?i { " + " ".join(str(i) for i in range(rows)) + " } }"


def test_sparql_rows_at_limit_are_served(tight: TestClient, limits_settings: Settings) -> None:
    response = tight.post("/sparql", data={"query": _values(limits_settings.sparql_max_rows)}, headers=ACCEPT)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == limits_settings.sparql_max_rows


def test_sparql_rows_past_limit_are_refused_naming_the_limit(tight: TestClient,
                                                             limits_settings: Settings) -> None:
    response = tight.post("/sparql", data={"query": _values(limits_settings.sparql_max_rows + 1)},
                          headers=ACCEPT)
    assert response.status_code == 400
    assert f"limit: {limits_settings.sparql_max_rows}" in response.json()["error"]["message"]
    assert "KG_SPARQL_MAX_ROWS" in response.json()["error"]["hint"]


def _sized(size: int) -> str:
    query = "ASK {} #"
    return query + "x" * (size - len(query))


def test_sparql_query_at_size_limit_is_served(tight: TestClient, limits_settings: Settings) -> None:
    query = _sized(limits_settings.sparql_max_query_bytes)
    response = tight.post("/sparql", content=query.encode(),
                          headers={**ACCEPT, "content-type": "application/sparql-query"})
    assert response.status_code == 200, response.text


def test_sparql_query_past_size_limit_is_413(tight: TestClient, limits_settings: Settings) -> None:
    query = _sized(limits_settings.sparql_max_query_bytes + 1)
    response = tight.post("/sparql", content=query.encode(),
                          headers={**ACCEPT, "content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert str(limits_settings.sparql_max_query_bytes) in response.json()["error"]["message"]


def test_sparql_query_under_time_limit_is_served(tight: TestClient) -> None:
    response = tight.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, headers=ACCEPT)
    assert response.status_code == 200


def test_sparql_query_past_time_limit_is_stopped_at_the_limit(tight: TestClient,
                                                              limits_settings: Settings) -> None:
    started = time.monotonic()
    response = tight.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
                          headers=ACCEPT)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert f"limit: {limits_settings.sparql_timeout_s:g} s" in response.json()["error"]["message"]
    assert limits_settings.sparql_timeout_s <= elapsed < limits_settings.sparql_timeout_s + 1.5


# --------------------------------------------------------------------------------------------- HTTP body


def _body_of(size: int) -> bytes:
    text = json.dumps({"query": "{ __typename }"})
    return text[:-1].encode() + b" " * (size - len(text)) + b"}"


def test_body_at_limit_is_served(tight: TestClient, limits_settings: Settings) -> None:
    body = _body_of(limits_settings.max_body_bytes)
    assert len(body) == limits_settings.max_body_bytes
    response = tight.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text


def test_body_past_limit_is_413_naming_the_setting(tight: TestClient, limits_settings: Settings) -> None:
    response = tight.post("/graphql", content=_body_of(limits_settings.max_body_bytes + 1),
                          headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "KG_MAX_BODY_BYTES" in response.json()["error"]["hint"]


def test_chunked_body_past_limit_is_413(tight: TestClient, limits_settings: Settings) -> None:
    def chunks():
        for _ in range(limits_settings.max_body_bytes // 1000 + 2):
            yield b" " * 1000

    response = tight.post("/sparql", content=chunks(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413


# --------------------------------------------------------------------------------------------- rate limit


@pytest.fixture(scope="module")
def limited(built_dir) -> FastAPI:
    from tests.reliability.conftest import serve_app

    return serve_app(Settings(data_dir=built_dir, rate_limit_per_minute=5, sparql_workers=1))


def test_rate_limit_serves_up_to_the_limit_then_429_with_retry_after(limited: FastAPI) -> None:
    with TestClient(limited, client=("192.0.2.1", 1000)) as first:
        assert [first.get("/docs").status_code for _ in range(5)] == [200] * 5
        refused = first.get("/docs", headers={"accept": "application/json"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 12
    assert "KG_RATE_LIMIT_PER_MINUTE" in refused.json()["error"]["hint"]
    with TestClient(limited, client=("192.0.2.2", 1000)) as other:
        assert other.get("/docs").status_code == 200
        assert other.get("/health").status_code == 200


def test_rate_limit_zero_is_off(client: TestClient, served_settings: Settings) -> None:
    assert served_settings.rate_limit_per_minute == 0
    assert {client.get("/docs").status_code for _ in range(30)} == {200}


def test_rate_limit_refills_at_the_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(60, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(60)] == [0.0] * 60
    assert buckets.take("a") == pytest.approx(1.0)
    now[0] += 1.0
    assert buckets.take("a") == 0.0


def test_rate_limit_memory_is_bounded_under_rotating_addresses() -> None:
    now = [0.0]
    buckets = TokenBuckets(60, clock=lambda: now[0], max_clients=100)
    for i in range(1000):
        buckets.take(f"10.0.{i // 256}.{i % 256}")
        now[0] += 1.0
    assert len(buckets._buckets) <= 100


def test_rate_limit_middleware_is_mounted_by_create_app(limited: FastAPI) -> None:
    assert any(m.cls is RateLimit for m in limited.user_middleware)
