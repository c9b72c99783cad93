"""Linking test fixtures: the sample curated graph, a recorded-response transport, fixed dates."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from rdflib import Graph

from kg.namespaces import Minter, slugify

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "linking"
TODAY = dt.date(2026, 11, 25)
BASE = "https://w3id.org/eu-industrial-kg/"


@pytest.fixture(scope="session")
def sample_graph() -> Graph:
    return Graph().parse(FIXTURES / "curated-sample.ttl", format="turtle")


@pytest.fixture
def minter() -> Minter:
    return Minter(BASE)


def _wikidata(request: httpx.Request) -> httpx.Response:
    folder = FIXTURES / "wikidata"
    if request.url.host == "www.wikidata.org":
        params = dict(request.url.params)
        path = folder / f"search-{slugify(params['search'])}-{params['language']}.json"
        return httpx.Response(
            200,
            json=json.loads(
                (path if path.exists() else folder / "search-empty.json").read_text(encoding="utf-8")
            ),
        )
    query = parse_qs(request.content.decode("utf-8"))["query"][0]
    wanted = set(re.findall(r"wd:(Q[0-9]+)", query))
    answer = json.loads((folder / "sparql-details.json").read_text(encoding="utf-8"))
    answer["results"]["bindings"] = [
        b for b in answer["results"]["bindings"] if b["item"]["value"].rsplit("/", 1)[-1] in wanted
    ]
    return httpx.Response(200, json=answer)


def _gleif(request: httpx.Request) -> httpx.Response:
    name = request.url.params.get("filter[entity.names]", "")
    if "exemple" in name.lower():
        return httpx.Response(
            200, json=json.loads((FIXTURES / "gleif" / "api-exemple-batteries.json").read_text())
        )
    return httpx.Response(200, json={"data": [], "meta": {}})


@pytest.fixture
def recorded() -> Callable[[httpx.Request], httpx.Response]:
    """A handler answering Wikidata and GLEIF requests from the recorded fixtures; it counts requests."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return _gleif(request) if request.url.host == "api.gleif.org" else _wikidata(request)

    handler.calls = calls  # type: ignore[attr-defined]
    return handler
