"""Real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) against a real uvicorn on a loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import uvicorn
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from api.main import create_app
from tests.api.backends import BACKENDS, on_backend
from tests.api.sparql_store import ENDLESS_QUERY, EX, make_settings

VERKOR_NAME = (rdflib.URIRef(EX + "verkor"), rdflib.URIRef(EX + "name"), rdflib.Literal("Verkor", lang="fr"))
SELECT = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}name> ?name }} WHERE {{ ?s <{EX}name> ?name }}"


@pytest.fixture(scope="module", params=BACKENDS)
def endpoint(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    settings = on_backend(request.param, make_settings(data_dir, service_allowlist=[url]), keep_names=True)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _wrapper(url: str, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


def test_sparqlwrapper_select_json(endpoint: str) -> None:
    result = _wrapper(endpoint, SELECT, JSON).queryAndConvert()
    assert "Verkor" in [row["name"]["value"] for row in result["results"]["bindings"]]


def test_sparqlwrapper_select_xml(endpoint: str) -> None:
    document = _wrapper(endpoint, SELECT, XML).queryAndConvert()
    names = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert "Verkor" in names


def test_sparqlwrapper_select_csv(endpoint: str) -> None:
    text = _wrapper(endpoint, SELECT, CSV).queryAndConvert().decode("utf-8")
    assert text.splitlines()[0] == "s,name"
    assert f"{EX}verkor,Verkor" in text


def test_sparqlwrapper_post_select_json(endpoint: str) -> None:
    client = _wrapper(endpoint, SELECT, JSON)
    client.setMethod("POST")
    assert len(client.queryAndConvert()["results"]["bindings"]) == 3


def test_sparqlwrapper_construct_turtle(endpoint: str) -> None:
    data = _wrapper(endpoint, CONSTRUCT, TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert VERKOR_NAME in graph


def test_sparqlwrapper_sees_timeout_as_http_error(endpoint: str) -> None:
    started = time.monotonic()
    with pytest.raises(Exception, match="503|QueryTimeout"):
        _wrapper(endpoint, ENDLESS_QUERY, JSON).queryAndConvert()
    assert time.monotonic() - started < 3.5
    assert _wrapper(endpoint, "ASK {}", JSON).queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore_select_and_construct(endpoint: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="xml"))
    names = {str(row.name) for row in graph.query(SELECT)}
    triples = list(graph.query(CONSTRUCT))
    assert "Verkor" in names
    assert VERKOR_NAME in triples


def test_service_to_an_allowlisted_endpoint_federates(endpoint: str) -> None:
    query = f"SELECT ?name WHERE {{ SERVICE <{endpoint}> {{ <{EX}verkor> <{EX}name> ?name }} }}"
    result = _wrapper(endpoint, query, JSON).queryAndConvert()
    assert [row["name"]["value"] for row in result["results"]["bindings"]] == ["Verkor"]
