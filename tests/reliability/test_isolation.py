"""One slow request must not hold up the others: GraphQL resolvers read the store in-process, so a slow store
query must run off the event loop (on 10^6 triples one `facilities(first: 20)` takes ~10 s)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.config import Settings
from kg.store import KgStore
from tests.reliability.conftest import serve_app

SLOW_S = 2.0


def test_slow_graphql_store_query_does_not_block_other_requests(built_dir: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    original = KgStore.query

    def slow_query(self, *args, **kwargs):
        time.sleep(SLOW_S)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(KgStore, "query", slow_query)
    with TestClient(serve_app(Settings(data_dir=built_dir, sparql_workers=1))) as client:
        slow = threading.Thread(target=client.post, args=("/graphql",),
                                kwargs={"json": {"query": "{ facilities(first: 2) { totalCount } }"}})
        slow.start()
        time.sleep(0.3)
        started = time.monotonic()
        page = client.get("/docs")  # a route that does not read the store itself
        waited = time.monotonic() - started
        slow.join(timeout=60)
    assert page.status_code == 200
    assert waited < SLOW_S / 2, f"/docs waited {waited:.1f} s behind a slow GraphQL query"
