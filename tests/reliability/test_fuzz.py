"""Schema-aware fuzzing: random valid GraphQL queries (hypothesis-graphql) and random HTTP requests from the
app's OpenAPI document (schemathesis). No 5xx; every GraphQL error carries a message and a code.

Bounded for `make test` (50 examples each); a longer run: ``KG_FUZZ_EXAMPLES=2000 make test
PYTEST_ARGS=tests/reliability/test_fuzz.py``.
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import strategies as gql

from api.graphql.schema import schema as graphql_schema
from kg.config import Settings
from tests.reliability.conftest import serve_app

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "50"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])
SDL = graphql_schema.as_str()
KNOWN_CODES = {
    "NOT_FOUND", "BAD_ID", "AMBIGUOUS_ID", "BAD_CURSOR", "PAGE_SIZE_EXCEEDED", "BAD_ARGUMENT", "STORE_UNAVAILABLE",
    "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_DEEP", "TOO_MANY_ALIASES", "TOO_MANY_TOKENS",
    "QUERY_TOO_COMPLEX", "BAD_USER_INPUT",
}


def _check_graphql_answer(response) -> None:
    assert response.status_code < 500, response.text[:500]
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert error["message"] and code in KNOWN_CODES, error
        assert "Traceback" not in error["message"] and "/work/" not in error["message"]


@FUZZ
@given(query=gql.queries(SDL))
def test_graphql_fuzzed_queries_get_no_5xx_and_coded_errors(client: TestClient, query: str) -> None:
    _check_graphql_answer(client.post("/graphql", json={"query": query}))


_TAMES = (
    (re.compile(r"\b(first|last): -?\d+"), r"\1: 3"),
    (re.compile(r"\b(after|before|from|to): (\"(?:[^\"\\]|\\.)*\"|null)"), r"\1: null"),
    (re.compile(r"\bid: \"(?:[^\"\\]|\\.)*\""), 'id: "verkor"'),
)


def tame(query: str) -> str:
    """The query with page sizes, cursors, dates and ids made valid, so the random selection is resolved."""
    for pattern, replacement in _TAMES:
        query = pattern.sub(replacement, query)
    return query


@FUZZ
@given(query=gql.queries(SDL).map(tame))
def test_graphql_fuzzed_selections_on_real_entities_get_no_5xx(client: TestClient, query: str) -> None:
    _check_graphql_answer(client.post("/graphql", json={"query": query}))


@FUZZ
@given(query=gql.queries(SDL, allow_x00=False))
def test_graphql_fuzzed_queries_under_tight_limits_get_no_5xx(tight: TestClient, query: str) -> None:
    _check_graphql_answer(tight.post("/graphql", json={"query": query}))




@pytest.fixture(scope="module")
def api_schema(built_dir) -> schemathesis.BaseSchema:
    app = serve_app(Settings(data_dir=built_dir, sparql_timeout_s=2.0, sparql_workers=2))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_http_api_fuzzed_requests_get_no_5xx(api_schema: schemathesis.BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 4
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            assert response.status_code < 500, (case.method, case.path, case.query, response.text[:500])

        check()


SPARQL_SEEDS = (
    "SELECT ?s ?l { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = \"en\") } LIMIT 5",
    "PREFIX eip: <https://w3id.org/eu-industrial-kg/ontology#> ASK { ?f a eip:Facility ; eip:locatedIn ?p }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { ?o ?p ?s } } GROUP BY ?p HAVING (COUNT(*) > 1)",
)


@st.composite
def _mangled_sparql(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SPARQL_SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 5))
        text = text[:at] + draw(st.text(max_size=6)) + text[at + cut:]
    return text


@FUZZ
@given(query=st.one_of(st.text(max_size=200), _mangled_sparql()))
def test_sparql_fuzzed_text_gets_no_5xx(client: TestClient, query: str) -> None:
    response = client.post("/sparql", data={"query": query},
                           headers={"accept": "application/sparql-results+json, application/json;q=0.9"})
    assert response.status_code < 500 or response.json()["error"]["type"] == "QueryTimeout", response.text[:300]
