"""/sparql fed malformed and pathological queries: each gets a clear 4xx or a timeout within the bound, and the
next request is served at once (the worker that was stopped is replaced)."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from kg.config import Settings

JSON = {"accept": "application/sparql-results+json, application/json;q=0.9"}
QUICK = "ASK { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

MALFORMED = {
    "typo": "SELEC * { ?s ?p ?o }",
    "unclosed-group": "SELECT * { ?s ?p ?o",
    "missing-object": "SELECT * { ?s ?p }",
    "unknown-prefix": "SELECT * { ?s nope:thing ?o }",
    "bad-iri": "SELECT * { <http://exa mple/> ?p ?o }",
    "garbage": "\x00\x01\x02 }}}{{{ ;;; @@@",
    "only-comment": "# SELECT * { ?s ?p ?o }",
    "bad-escape": 'SELECT * { ?s ?p "\\q" }',
    "unknown-function": "SELECT * { BIND(<http://example.org/no-such-function>(1) AS ?x) }",
    "aggregate-misuse": "SELECT ?s (COUNT(?o) AS ?s) { ?s ?p ?o } GROUP BY ?s",
}
DEEP = {
    "parentheses": "SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "groups": "SELECT * { " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000 + " }",
    "subqueries": "SELECT * { " + "{ SELECT * { " * 2000 + "?s ?p ?o" + " } }" * 2000 + " }",
    "negations": "ASK { FILTER(" + "!" * 20000 + "true) }",
}
SLOW_BUT_BOUNDED = {
    "catastrophic-regex-long-subject": 'ASK { FILTER(REGEX("' + "a" * 30000 + '!", "^(a+)+$")) }',
    "catastrophic-regex-on-data": 'SELECT ?o { ?s ?p ?o FILTER(REGEX(STR(?o), "^(([a-z])+.)+[A-Z]([a-z])+$")) } LIMIT 5',
    "huge-repetition-regex": 'ASK { FILTER(REGEX("aaa", "a{1000}{1000}")) }',
    "huge-literal": 'SELECT ?x { BIND("' + "x" * 90_000 + '" AS ?x) }',
    "many-values": "SELECT ?i { VALUES ?i { " + " ".join(str(i) for i in range(10_000)) + " } }",
    "cartesian": CARTESIAN,
    "property-path-closure": "SELECT (COUNT(*) AS ?n) { ?s (<urn:p>|!<urn:q>)* ?o }",
}


def _ask(client: TestClient, query: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    response = client.post("/sparql", data={"query": query}, headers=JSON)
    elapsed = time.monotonic() - started
    body = response.json() if response.headers.get("content-type", "").startswith("application/") else {}
    return response.status_code, body, elapsed


def _next_is_served_at_once(client: TestClient) -> None:
    started = time.monotonic()
    response = client.post("/sparql", data={"query": QUICK}, headers=JSON)
    assert response.status_code == 200, response.text
    assert time.monotonic() - started < 1.0


def _assert_clear_refusal(status: int, body: dict) -> None:
    assert 400 <= status < 500, body
    error = body["error"]
    assert error["message"] and error["hint"], error
    assert "Traceback" not in error["message"] and "/work/" not in error["message"]


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_sparql_malformed_query_is_a_clear_4xx(client: TestClient, name: str) -> None:
    status, body, _ = _ask(client, MALFORMED[name])
    _assert_clear_refusal(status, body)
    _next_is_served_at_once(client)


@pytest.mark.parametrize("name", sorted(DEEP))
def test_sparql_deeply_nested_query_is_a_clear_4xx(client: TestClient, name: str) -> None:
    status, body, _ = _ask(client, DEEP[name])
    _assert_clear_refusal(status, body)
    _next_is_served_at_once(client)


@pytest.mark.parametrize("name", sorted(SLOW_BUT_BOUNDED))
def test_sparql_pathological_query_ends_within_the_bound(client: TestClient, served_settings: Settings,
                                                         name: str) -> None:
    status, body, elapsed = _ask(client, SLOW_BUT_BOUNDED[name])
    assert status in (200, 503), body
    if status == 503:
        assert body["error"]["type"] == "QueryTimeout"
        assert "KG_SPARQL_TIMEOUT_S" in body["error"]["hint"]
    assert elapsed < served_settings.sparql_timeout_s + 1.5
    _next_is_served_at_once(client)


def test_sparql_timeouts_on_every_worker_at_once_leave_the_pool_serving(client: TestClient,
                                                                         served_settings: Settings) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=served_settings.sparql_workers) as pool:
        results = list(pool.map(lambda _: _ask(client, CARTESIAN), range(served_settings.sparql_workers)))
    assert [status for status, _, _ in results] == [503] * served_settings.sparql_workers
    _next_is_served_at_once(client)
