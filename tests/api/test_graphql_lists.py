"""Entity lists: one selective query per filter, intersected in Python; the build-time search text."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from api.graphql.candidates import entity_candidates
from api.graphql.filters import LISTED_CLASSES, EntityCriteria
from kg.namespaces import EIP
from kg.store import KgStore
from tests.api.graphql_fixtures import GraphQLClient, client_for, curated_settings

DUNKIRK = "https://w3id.org/eu-industrial-kg/id/place/dunkirk"


@pytest.fixture(scope="module")
def client() -> GraphQLClient:
    """Lists computed on every request (no kept orders), so that each request shows what a list costs."""
    return client_for(curated_settings().model_copy(update={"graphql_order_cache_entries": 0}))


def _ids(client: GraphQLClient, flt: str) -> tuple[set[str], int]:
    data = client.data(f"{{ entities(filter: {flt}, first: 100) {{ totalCount nodes {{ shortId }} }} }}")
    page = data["entities"]
    return {node["shortId"] for node in page["nodes"]}, page["totalCount"]


@pytest.mark.parametrize("first, second", [
    ('within: "hauts-de-france"', "kind: FACILITY"),
    ('within: "france"', 'text: "gigafactory"'),
    ('programme: "eurohpc-ai-factories"', 'within: "germany"'),
    ('milestoneFrom: "2024-01-01"', 'amountMin: "1000000000"'),
])
def test_combined_filters_count_the_intersection_of_single_filters(client: GraphQLClient, first: str,
                                                                   second: str) -> None:
    left, _ = _ids(client, f"{{{first}}}")
    right, _ = _ids(client, f"{{{second}}}")
    both, total = _ids(client, f"{{{first}, {second}}}")
    assert both == left & right
    assert total == len(both)


def test_entity_list_runs_one_query_per_filter_plus_one(client: GraphQLClient) -> None:
    body = client.post('{ a: entities(filter: {within: "place/france", text: "gigafactory"}, first: 0) '
                       '{ totalCount } }')
    assert not body.get("errors"), body["errors"]
    assert body["data"]["a"]["totalCount"] > 0
    assert body["extensions"]["store"]["queries"] == 3


def test_entity_list_without_filter_runs_the_class_query_only(client: GraphQLClient) -> None:
    body = client.post("{ facilities(first: 0) { totalCount } }")
    assert body["data"]["facilities"]["totalCount"] == 31
    assert body["extensions"]["store"]["queries"] == 1


def test_search_text_is_one_folded_literal_per_entity() -> None:
    store = KgStore.open_published(curated_settings())
    rows = list(store.query(f"SELECT ?entity ?text WHERE {{ ?entity <{EIP.searchText}> ?text }}"))
    texts: dict[str, list[str]] = {}
    for row in rows:
        texts.setdefault(row["entity"].value, []).append(row["text"].value)
    assert all(len(found) == 1 for found in texts.values())
    assert "dunkerque" in texts[DUNKIRK][0].split(" | ")
    assert texts[DUNKIRK][0] == texts[DUNKIRK][0].lower()


class _FakeRunner:
    """Answers each named filter query with fixed entity IRIs and records what ran."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.ran: list[str] = []

    def select(self, name: str, *, keys: Any = None, **bindings: Any) -> list[dict[str, Any]]:
        self.ran.append(name)
        if name == "entity-labels":
            asked = {key[0].value for key in keys}
            return [{"entity": ox.NamedNode(k), "type": ox.NamedNode(LISTED_CLASSES[0])}
                    for k in sorted(asked)]
        return [{"entity": ox.NamedNode(k)} for k in self.answers.get(name, [])]


def test_candidates_are_intersected_and_checked_by_class() -> None:
    runner = _FakeRunner({"a": ["https://e.org/1", "https://e.org/2"],
                          "b": ["https://e.org/2", "https://e.org/3"]})
    found = entity_candidates(runner, EntityCriteria(LISTED_CLASSES, (("a", {}), ("b", {}))))
    assert set(found) == {"https://e.org/2"}
    assert runner.ran == ["a", "b", "entity-labels"]


def test_candidates_skip_the_remaining_filters_once_nothing_is_left() -> None:
    runner = _FakeRunner({"b": ["https://e.org/2"]})
    found = entity_candidates(runner, EntityCriteria(LISTED_CLASSES, (("a", {}), ("b", {}))))
    assert found == {}
    assert runner.ran == ["a"]
