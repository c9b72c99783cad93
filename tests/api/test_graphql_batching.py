"""Store queries per request are bounded by the query's depth, not by the number of items (DataLoaders)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import rdflib
from rdflib import Literal

from kg import namespaces as ns
from tests.api.backends import BACKENDS, on_backend
from tests.api.graphql_fixtures import (
    GraphQLClient, client_for, curated_settings, fresh_settings, publish_graph,
)

NESTED = """query($n: Int) { facilities(first: $n) { totalCount edges { node { label
  operator { label }
  places { label }
  investments { amount { value currency } sources { url } } } } } }"""
NESTED_DEPTH = 6  # facilities > edges > node > investments > amount > value
BOUND = 2 * NESTED_DEPTH  # at most two batched store queries per level of the query


def _synthetic_graph(minter: ns.Minter, count: int) -> rdflib.Graph:
    """``count`` facilities, each with an operator, a town within one region and two sourced investments."""
    EIP, RDF, RDFS, SCHEMA, XSD = ns.EIP, ns.RDF, ns.RDFS, ns.SCHEMA, ns.XSD  # noqa: N806
    graph = rdflib.Graph()
    region = minter.entity("place", "test-region")
    graph.add((region, RDF.type, EIP.Region))
    graph.add((region, RDFS.label, Literal("Test region", lang="en")))
    source = minter.source("https://example.org/test-source")
    graph.add((source, RDF.type, EIP.WebPage))
    graph.add((source, SCHEMA.url, Literal("https://example.org/test-source", datatype=XSD.anyURI)))
    for i in range(count):
        facility = minter.entity("facility", f"test-plant-{i}")
        company = minter.entity("company", f"test-co-{i}")
        town = minter.entity("place", f"test-town-{i % 7}")
        graph.add((town, RDF.type, EIP.Municipality))
        graph.add((town, EIP.locatedIn, region))
        graph.add((company, RDF.type, EIP.Company))
        graph.add((company, RDFS.label, Literal(f"Test company {i}", lang="en")))
        graph.add((facility, RDF.type, EIP.BatteryGigafactory))
        graph.add((facility, RDFS.label, Literal(f"Test plant {i:03d}", lang="en")))
        graph.add((facility, EIP.operatedBy, company))
        graph.add((facility, EIP.locatedIn, town))
        for j in range(2):
            claim = minter.fact(f"test-plant-{i}", "investment", str(j))
            amount = rdflib.URIRef(f"{claim}#amount")
            graph.add((claim, RDF.type, EIP.Investment))
            graph.add((claim, EIP.subject, facility))
            graph.add((claim, EIP.target, facility))
            graph.add((claim, EIP.rank, ns.vocab("rank", "normal")))
            graph.add((claim, EIP.sourceProperty, Literal("investment_amount")))
            graph.add((claim, ns.PROV.wasDerivedFrom, source))
            graph.add((claim, EIP.amount, amount))
            graph.add((amount, SCHEMA.value, Literal(Decimal(1000 + j), datatype=XSD.decimal)))
            graph.add((amount, EIP.currency, ns.CURRENCY.EUR))
            graph.add((amount, SCHEMA.currency, Literal("EUR")))
    return graph


@pytest.fixture(scope="module")
def synthetic_client() -> GraphQLClient:
    """Lists computed on every request (no kept orders: tests/api/test_graphql_cache.py covers them)."""
    settings = fresh_settings().model_copy(update={"graphql_order_cache_entries": 0})
    publish_graph(settings, _synthetic_graph(ns.Minter(settings.base_iri), 60))
    return client_for(settings)


def _run(client: GraphQLClient, n: int) -> tuple[int, int]:
    body = client.post(NESTED, {"n": n})
    assert not body.get("errors"), body["errors"]
    edges = body["data"]["facilities"]["edges"]
    assert all(edge["node"]["operator"] and edge["node"]["places"] and edge["node"]["investments"]
               for edge in edges)
    return len(edges), body["extensions"]["store"]["queries"]


def test_store_queries_do_not_grow_with_items(synthetic_client: GraphQLClient) -> None:
    few, few_queries = _run(synthetic_client, 5)
    many, many_queries = _run(synthetic_client, 50)
    assert (few, many) == (5, 50)
    assert many_queries == few_queries <= BOUND


@pytest.fixture(scope="module", params=BACKENDS)
def curated_client(request: pytest.FixtureRequest) -> GraphQLClient:
    return client_for(on_backend(request.param, curated_settings()))


def test_fifty_item_nested_query_on_curated_graph_is_bounded(curated_client: GraphQLClient) -> None:
    client = curated_client
    body = client.post("""{ entities(first: 50) { edges { node { label places { label }
        ... on Facility { operator { label } investments { amount { value currency } sources { url } } }
        ... on Organisation { facilities { label } investmentsReceived { amount { value } } } } } } }""")
    assert not body.get("errors")
    assert len(body["data"]["entities"]["edges"]) == 50
    assert body["extensions"]["store"]["queries"] <= BOUND


def test_facilities_page_on_curated_graph_is_bounded(curated_client: GraphQLClient) -> None:
    client = curated_client
    body = client.post(NESTED, {"n": 50})
    assert not body.get("errors")
    assert body["data"]["facilities"]["totalCount"] == len(body["data"]["facilities"]["edges"]) == 31
    assert body["extensions"]["store"]["queries"] <= BOUND
