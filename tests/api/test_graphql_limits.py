"""Limits from the settings (depth, aliases, tokens, cost, page size) and the error policy."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from api.graphql import graphql_router
from kg.errors import StoreError
from tests.api.backends import BACKENDS, on_backend
from tests.api.graphql_fixtures import GraphQLClient, client_for, codes, curated_settings


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest) -> GraphQLClient:
    settings = on_backend(request.param, curated_settings()).model_copy(update={
        "graphql_max_depth": 6, "graphql_max_aliases": 3, "graphql_max_complexity": 400,
        "graphql_max_page": 20})
    return client_for(settings)


def _nested(depth: int) -> str:
    inner = "label"
    for _ in range(depth):
        inner = f"operator {{ facilities {{ {inner} }} }}"
    return f'{{ facility(id: "verkor-gigafactory-bourbourg") {{ {inner} }} }}'


def test_depth_within_the_limit_runs(client: GraphQLClient) -> None:
    assert client.data(_nested(2))["facility"]["operator"]["facilities"]


def test_depth_over_the_limit_is_refused_before_running(client: GraphQLClient) -> None:
    body = client.post(_nested(4))
    assert body["data"] is None
    assert codes(body["errors"]) == ["QUERY_TOO_DEEP"]
    assert body["extensions"]["store"]["queries"] == 0


def test_aliases_over_the_limit_are_refused(client: GraphQLClient) -> None:
    query = "{ " + " ".join(f'a{i}: entity(id: "verkor") {{ id }}' for i in range(4)) + " }"
    assert codes(client.errors(query)) == ["TOO_MANY_ALIASES"]


def test_aliases_hidden_in_fragments_are_counted(client: GraphQLClient) -> None:
    query = ('query { ...A ...A } fragment A on Query { a: entity(id: "verkor") { id } '
             'b: entity(id: "verkor") { id } }')
    assert "TOO_MANY_ALIASES" in codes(client.errors(query))


def test_cost_over_the_limit_is_refused_with_the_estimate(client: GraphQLClient) -> None:
    errors = client.errors("{ facilities(first: 20) { edges { node { claims(first: 20) { nodes { sources { "
                           "id } } } } } } }")
    assert codes(errors) == ["QUERY_TOO_COMPLEX"]
    assert errors[0]["extensions"]["cost"] > errors[0]["extensions"]["maxCost"] == 400


def test_cost_counts_a_variable_page_size_as_the_maximum(client: GraphQLClient) -> None:
    query = "query($n: Int) { facilities(first: $n) { nodes { claims(first: $n) { nodes { id } } } } }"
    assert codes(client.errors(query, {"n": 1})) == ["QUERY_TOO_COMPLEX"]


def test_too_many_tokens_are_refused(client: GraphQLClient) -> None:
    query = "{ entity(id: \"verkor\") { " + "id " * 5000 + "} }"
    assert codes(client.errors(query)) == ["TOO_MANY_TOKENS"]


def test_page_size_over_the_setting_is_refused(client: GraphQLClient) -> None:
    errors = client.errors("{ facilities(first: 21) { totalCount } }")
    assert codes(errors) == ["PAGE_SIZE_EXCEEDED"]
    assert errors[0]["extensions"]["maxPageSize"] == 20


def test_syntax_and_validation_errors_have_codes(client: GraphQLClient) -> None:
    assert codes(client.errors("{ entity(id: ")) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(client.errors('{ entity(id: "verkor") { noSuchField } }')) == ["GRAPHQL_VALIDATION_FAILED"]
    bad_input = client.errors("query($f: EntityFilter) { facilities(filter: $f) { totalCount } }",
                              {"f": {"amountMin": "lots"}})
    assert codes(bad_input) == ["BAD_USER_INPUT"]


class _BrokenStore:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def query(self, *_: Any, **__: Any) -> Any:
        raise self.error


def _client_on(store: object) -> GraphQLClient:
    app = FastAPI()
    app.include_router(graphql_router(curated_settings(), store), prefix="/graphql")
    return GraphQLClient(app)


def test_unexpected_errors_are_masked_without_trace() -> None:
    client = _client_on(_BrokenStore(RuntimeError("secret detail /srv/kg/var/current")))
    errors = client.errors('{ facility(id: "facility/verkor-gigafactory-bourbourg") { label } }')
    assert codes(errors) == ["INTERNAL_SERVER_ERROR"]
    text = repr(errors)
    assert "secret" not in text and "Traceback" not in text and "/srv" not in text
    assert errors[0]["extensions"]["incident"] in errors[0]["message"]


def test_missing_store_is_reported_as_unavailable() -> None:
    client = _client_on(_BrokenStore(StoreError("no published store: /srv/kg/var/current does not exist")))
    errors = client.errors('{ facility(id: "facility/verkor-gigafactory-bourbourg") { label } }')
    assert codes(errors) == ["STORE_UNAVAILABLE"]
    assert "/srv" not in repr(errors)
