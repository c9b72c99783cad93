"""GraphQL `aggregates` on the curated build: the materialised totals per group, figure kind, qualifier and
currency, largest first, paginated with cursors and totalCount, in one store query plus the nodes batch."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.api.graphql_fixtures import GraphQLClient, client_for, codes, curated_settings

PAGE = """
query($by: AggregateGroup!, $kind: String, $currency: String, $qualifier: String, $first: Int, $after: String) {
  aggregates(groupBy: $by, figureKind: $kind, currency: $currency, qualifier: $qualifier, first: $first,
             after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id kind group { id label } figureKind { code } qualifier { code } currency value claimCount
            entityCount facilityCount }
  }
}
"""


@pytest.fixture(scope="module")
def client() -> GraphQLClient:
    return client_for(curated_settings())


def _page(client: GraphQLClient, **variables: object) -> dict:
    return client.data(PAGE, variables)["aggregates"]


def test_company_totals_of_verkor_are_per_kind(client: GraphQLClient) -> None:
    nodes = _page(client, by="COMPANY", first=100)["nodes"]
    verkor = {(n["figureKind"]["code"], n["qualifier"]["code"], n["currency"]): n
              for n in nodes if n["group"]["id"].endswith("/company/verkor")}
    state_aid = verkor["stateAid", "exact", "EUR"]
    assert Decimal(state_aid["value"]) == Decimal("659000000")  # stated by two sources, added once
    assert (state_aid["claimCount"], state_aid["entityCount"], state_aid["facilityCount"]) == (1, 1, 2)
    assert Decimal(verkor["totalCost", "approximately", "EUR"]["value"]) == Decimal("1941000000")
    assert Decimal(verkor["investment", "approximately", "EUR"]["value"]) == Decimal("1500000000")
    assert verkor["jobs", "exact", None]["kind"] == "JOBS"


def test_filters_and_order(client: GraphQLClient) -> None:
    page = _page(client, by="COUNTRY", kind="investment", currency="EUR", first=50)
    assert page["nodes"] and page["totalCount"] == len(page["nodes"])
    assert all(n["figureKind"]["code"] == "investment" and n["currency"] == "EUR" for n in page["nodes"])
    assert all(n["group"]["id"].split("/")[-2] == "place" for n in page["nodes"])
    values = [Decimal(n["value"]) for n in page["nodes"]]
    assert values == sorted(values, reverse=True)
    exact = _page(client, by="COUNTRY", kind="investment", currency="EUR", qualifier="exact", first=50)
    assert {n["id"] for n in exact["nodes"]} == {n["id"] for n in page["nodes"] if n["qualifier"]["code"] == "exact"}
    assert _page(client, by="COUNTRY", kind="noSuchKind")["totalCount"] == 0


def test_cursor_pagination_walks_the_whole_list_once(client: GraphQLClient) -> None:
    whole = _page(client, by="PROGRAMME", first=100)
    assert whole["totalCount"] > 3
    seen, after = [], None
    while True:
        page = _page(client, by="PROGRAMME", first=3, after=after)
        assert page["totalCount"] == whole["totalCount"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [n["id"] for n in whole["nodes"]]


def test_page_size_above_the_maximum_is_refused(client: GraphQLClient) -> None:
    too_many = curated_settings().graphql_max_page + 1
    errors = client.errors(PAGE, {"by": "COMPANY", "first": too_many})
    assert codes(errors) == ["PAGE_SIZE_EXCEEDED"]


def test_a_page_costs_one_aggregates_query_and_one_nodes_batch(client: GraphQLClient) -> None:
    response = client.post(PAGE, {"by": "COMPANY", "first": 20})
    body = response
    assert body["data"]["aggregates"]["nodes"]
    assert 1 <= body["extensions"]["store"]["queries"] <= 2  # the totals, then one nodes batch (groups, concepts)


def test_the_next_page_reuses_the_kept_order_without_a_totals_query() -> None:
    settings = curated_settings().model_copy(update={"graphql_cache_entries": 0})
    client = client_for(settings)
    first = client.post(PAGE, {"by": "COUNTRY", "first": 1})
    cursor = first["data"]["aggregates"]["pageInfo"]["endCursor"]
    second = client.post(PAGE, {"by": "COUNTRY", "first": 1, "after": cursor})
    assert second["data"]["aggregates"]["nodes"][0]["id"] != first["data"]["aggregates"]["nodes"][0]["id"]
    assert second["extensions"]["store"]["queries"] == first["extensions"]["store"]["queries"] - 1
