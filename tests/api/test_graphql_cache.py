"""The GraphQL response cache and the kept list orders: same answers, new ones after a publication, limits
and errors never served from memory."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import rdflib
from rdflib import Literal

from api.graphql import limits
from api.graphql.schema import build_schema
from kg import namespaces as ns
from kg.config import Settings
from tests.api.graphql_fixtures import GraphQLClient, client_for, codes, fresh_settings, publish_graph

LOOKUP = '{ organisation(id: "company/test-co-1") { id label } }'
LIST = ("query($n: Int, $after: String) { organisations(first: $n, after: $after) "
        "{ totalCount nodes { label } } }")


def _companies(settings: Settings, names: list[str]) -> rdflib.Graph:
    """One company per name (slug ``test-co-<i>``), labelled in English and French."""
    minter = ns.Minter(settings.base_iri)
    graph = rdflib.Graph()
    for i, name in enumerate(names):
        company = minter.entity("company", f"test-co-{i}")
        graph.add((company, ns.RDF.type, ns.EIP.Company))
        graph.add((company, ns.RDFS.label, Literal(name, lang="en")))
        graph.add((company, ns.RDFS.label, Literal(f"{name} (fr)", lang="fr")))
    return graph


@pytest.fixture()
def published() -> tuple[Settings, GraphQLClient]:
    settings = fresh_settings()
    publish_graph(settings, _companies(settings, ["Alpha", "Beta", "Gamma"]))
    return settings, client_for(settings)


def _post(client: GraphQLClient, query: str, variables: dict[str, Any] | None = None,
          headers: dict[str, str] | None = None) -> httpx.Response:
    response = client.request("POST", "/graphql", json={"query": query, "variables": variables or {}},
                              headers=headers or {})
    assert response.status_code == 200, response.text
    return response


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_body(published) -> None:
    _, client = published
    first, second = _post(client, LOOKUP), _post(client, LOOKUP)
    assert first.headers["x-graphql-cache"] == "miss"
    assert second.headers["x-graphql-cache"] == "hit"
    assert second.content == first.content
    assert second.json()["data"]["organisation"]["label"] == "Beta"


def test_identical_requests_during_a_miss_wait_for_its_answer(published) -> None:
    _, client = published

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await asyncio.gather(*(http.post("/graphql", json={"query": LIST, "variables": {"n": 3}})
                                          for _ in range(5)))

    responses = asyncio.run(burst())
    assert sorted(r.headers["x-graphql-cache"] for r in responses) == ["hit"] * 4 + ["miss"]
    assert len({r.content for r in responses}) == 1


def test_a_get_query_is_cached_too(published) -> None:
    _, client = published
    responses = [client.request("GET", "/graphql", params={"query": LOOKUP}) for _ in range(2)]
    assert [r.headers["x-graphql-cache"] for r in responses] == ["miss", "hit"]
    assert responses[1].json() == responses[0].json()


def test_the_language_and_the_variables_are_part_of_the_key(published) -> None:
    _, client = published
    english = _post(client, LOOKUP)
    french = _post(client, LOOKUP, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert french.headers["x-graphql-cache"] == "miss"
    assert french.json()["data"]["organisation"]["label"] == "Beta (fr)"
    assert english.json()["data"]["organisation"]["label"] == "Beta"
    two, three = _post(client, LIST, {"n": 2}), _post(client, LIST, {"n": 3})
    assert three.headers["x-graphql-cache"] == "miss"
    assert len(two.json()["data"]["organisations"]["nodes"]) == 2
    assert len(three.json()["data"]["organisations"]["nodes"]) == 3


def test_a_new_publication_changes_the_answer(published) -> None:
    settings, client = published
    before = _post(client, LOOKUP)
    _post(client, LOOKUP)  # cached now
    publish_graph(settings, _companies(settings, ["Alpha", "Beta renamed", "Gamma"]))
    after = _post(client, LOOKUP)
    assert after.headers["x-graphql-cache"] == "miss"
    assert before.json()["data"]["organisation"]["label"] == "Beta"
    assert after.json()["data"]["organisation"]["label"] == "Beta renamed"


def test_errors_are_never_cached(published) -> None:
    _, client = published
    missing = '{ organisation(id: "company/no-such-company") { id } }'
    responses = [_post(client, missing) for _ in range(2)]
    assert [codes(r.json()["errors"]) for r in responses] == [["NOT_FOUND"], ["NOT_FOUND"]]
    assert [r.headers["x-graphql-cache"] for r in responses] == ["miss", "miss"]


def test_limits_are_enforced_for_a_cached_document(published) -> None:
    settings, client = published
    within = _post(client, LIST, {"n": 2})
    assert _post(client, LIST, {"n": 2}).headers["x-graphql-cache"] == "hit"
    over = _post(client, LIST, {"n": settings.graphql_max_page + 1})
    assert not within.json().get("errors")
    assert codes(over.json()["errors"]) == ["PAGE_SIZE_EXCEEDED"]
    deep = "{ organisations { nodes { " + "facilities { operator { " * 6 + "id" + " } }" * 6 + " } } }"
    refusals = [_post(client, deep) for _ in range(2)]
    assert [r.headers["x-graphql-cache"] for r in refusals] == ["miss", "miss"]
    assert all(r.json()["errors"] and r.json().get("data") is None for r in refusals)


def test_the_cache_is_bounded_in_entries() -> None:
    settings = fresh_settings().model_copy(update={"graphql_cache_entries": 2})
    publish_graph(settings, _companies(settings, ["Alpha", "Beta", "Gamma"]))
    client = client_for(settings)
    queries = [f'{{ organisation(id: "company/test-co-{i}") {{ label }} }}' for i in range(3)]
    for query in queries:
        _post(client, query)
    assert _post(client, queries[2]).headers["x-graphql-cache"] == "hit"
    assert _post(client, queries[0]).headers["x-graphql-cache"] == "miss"  # the oldest was evicted


def test_zero_entries_turns_the_cache_off() -> None:
    settings = fresh_settings().model_copy(update={"graphql_cache_entries": 0})
    publish_graph(settings, _companies(settings, ["Alpha", "Beta"]))
    client = client_for(settings)
    responses = [_post(client, LOOKUP) for _ in range(2)]
    assert all("x-graphql-cache" not in r.headers for r in responses)
    assert responses[0].json() == responses[1].json()


def test_a_kept_list_order_saves_its_store_queries_and_follows_publications() -> None:
    settings = fresh_settings().model_copy(update={"graphql_cache_entries": 0})
    publish_graph(settings, _companies(settings, ["Gamma", "Alpha", "Beta"]))
    client = client_for(settings)
    first = _post(client, LIST, {"n": 2}).json()
    second = _post(client, LIST, {"n": 1, "after": None}).json()
    assert [n["label"] for n in first["data"]["organisations"]["nodes"]] == ["Alpha", "Beta"]
    assert [n["label"] for n in second["data"]["organisations"]["nodes"]] == ["Alpha"]
    assert second["extensions"]["store"]["queries"] < first["extensions"]["store"]["queries"]
    publish_graph(settings, _companies(settings, ["Gamma", "Delta", "Beta"]))
    after = _post(client, LIST, {"n": 2}).json()
    assert [n["label"] for n in after["data"]["organisations"]["nodes"]] == ["Beta", "Delta"]
    assert after["extensions"]["store"]["queries"] == first["extensions"]["store"]["queries"]


def _counting_cost_rule(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make `limits.cost_rule` build rules that count their runs; returns the counter."""
    runs: list[int] = []
    build = limits.cost_rule

    def counting(max_cost: int, max_page: int) -> type:
        rule = build(max_cost, max_page)

        class Counted(rule):  # type: ignore[misc, valid-type]
            def enter_operation_definition(self, *args: Any) -> None:
                runs.append(1)
                super().enter_operation_definition(*args)

        return Counted

    monkeypatch.setattr(limits, "cost_rule", counting)
    return runs


def test_the_limit_verdict_is_computed_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _counting_cost_rule(monkeypatch)
    schema = build_schema(fresh_settings().model_copy(update={"graphql_max_complexity": 10}))
    cheap, costly = "{ __typename }", "{ organisations(first: 50) { nodes { id } } }"
    accepted = [schema.execute_sync(cheap) for _ in range(3)]
    refused = [schema.execute_sync(costly) for _ in range(3)]
    assert [r.data for r in accepted] == [{"__typename": "Query"}] * 3
    assert [codes(e.formatted for e in r.errors) for r in refused] == [["QUERY_TOO_COMPLEX"]] * 3
    assert len(runs) == 2  # once per document text, however often it comes
