"""The warm-up task keeps each publication's totals, so the first page of totals does not read them."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.deps import app_store
from api.graphql import warm
from api.graphql.aggregates import AggregateGroup, class_totals_key
from api.graphql.memo import store_version
from api.main import create_app
from tests.api.graphql_fixtures import curated_settings

PAGE = '{ aggregates(groupBy: COUNTRY, first: 3) { nodes { id value } } }'


def _queries(client: TestClient) -> int:
    body = client.post("/graphql", json={"query": PAGE}).json()
    assert body["data"]["aggregates"]["nodes"]
    return body["extensions"]["store"]["queries"]


def test_after_start_up_the_first_page_of_totals_reads_no_totals() -> None:
    settings = curated_settings().model_copy(update={"graphql_cache_entries": 0})
    app = create_app(settings)
    with TestClient(app) as client:
        deadline = time.monotonic() + 20
        while len(app.state.graphql_orders) < len(AggregateGroup) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _queries(client) == 0  # the totals were kept by the task; `id value` needs no node
    cold = create_app(settings)
    cold.state.graphql_orders.max_entries = 0  # kept orders off: no task, every request reads the totals
    with TestClient(cold) as client:
        assert _queries(client) == 1


def test_warm_once_reads_a_publication_once() -> None:
    settings = curated_settings()
    app = create_app(settings)
    orders = app.state.graphql_orders
    version = warm.warm_once(app, settings, orders, None)
    assert version == store_version(app_store(app, settings))
    assert all(orders.get(class_totals_key(version, g)) is not None for g in AggregateGroup)
    entries = len(orders)
    assert warm.warm_once(app, settings, orders, version) == version
    assert len(orders) == entries
