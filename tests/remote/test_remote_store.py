import json
from urllib.parse import parse_qs

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.config import Settings
from kg.errors import QueryError, StoreError
from kg.remote_store import RemoteStore, inject_values, is_remote, open_store
from kg.store import KgStore

IRI = "https://example.org/a"
SELECT_JSON = {"head": {"vars": ["o"]}, "results": {"bindings": [
    {"o": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "5"}}]}}


def _store(handler, **kwargs) -> RemoteStore:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return RemoteStore("sparql+http://127.0.0.1:1/sparql", client=client, **kwargs)


def test_inject_values_puts_values_first_in_the_where_group():
    query = "SELECT ?o WHERE { ?s ?p ?o }"
    assert inject_values(query, {"s": URIRef(IRI)}) == f"SELECT ?o WHERE {{ VALUES ?s {{ <{IRI}> }} ?s ?p ?o }}"


def test_inject_values_skips_construct_template_comments_strings_and_iris():
    query = ('PREFIX x: <https://example.org/x#>\n# WHERE { in a comment\n'
             'CONSTRUCT { ?s x:p "}" } WHERE { ?s ?p ?o FILTER(?o < 3) }')
    injected = inject_values(query, {"s": URIRef(IRI)})
    assert injected.endswith(f'WHERE {{ VALUES ?s {{ <{IRI}> }} ?s ?p ?o FILTER(?o < 3) }}')


def test_inject_values_escapes_literals():
    injected = inject_values("SELECT * { ?s ?p ?o }", {"o": Literal('x" } DROP ALL #', lang="en")})
    assert 'VALUES ?o { "x\\" } DROP ALL #"@en }' in injected


@pytest.mark.parametrize("value", [URIRef("https://example.org/a> } ; DROP ALL ; <x"), URIRef("not an iri")])
def test_inject_values_bad_iri_refused(value):
    with pytest.raises(QueryError):
        inject_values("SELECT * { ?s ?p ?o }", {"s": value})


def test_inject_values_bad_variable_name_refused():
    with pytest.raises(QueryError):
        inject_values("SELECT * { ?s ?p ?o }", {"s } DROP": URIRef(IRI)})


def test_remote_query_sends_protocol_parameters_and_parses_json_results():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(parse_qs(request.url.query.decode() or request.content.decode()), accept=request.headers["accept"])
        return httpx.Response(200, content=json.dumps(SELECT_JSON).encode())

    rows = list(_store(handler, graphs=["https://example.org/g"]).query("SELECT ?o { ?s ?p ?o }", {"s": URIRef(IRI)}))
    assert rows[0]["o"] == ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert seen["accept"] == "application/sparql-results+json"
    assert "VALUES ?s" in seen["query"][0] and seen["default-graph-uri"] == ["https://example.org/g"]


def test_remote_construct_returns_triples():
    body = f"<{IRI}> <{IRI}> <{IRI}> .\n".encode()
    triples = _store(lambda r: httpx.Response(200, content=body)).query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert [t.subject.value for t in triples] == [IRI]


def test_remote_bad_request_is_query_error():
    with pytest.raises(QueryError):
        _store(lambda r: httpx.Response(400, text="syntax error")).query("SELECT * { ?s ?p ?o }")


def test_remote_unreachable_is_store_error():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(StoreError):
        _store(handler).query("ASK {}")


def test_remote_update_refused_before_sending():
    with pytest.raises(QueryError):
        _store(lambda r: httpx.Response(200)).query("DROP ALL")


def test_open_store_selects_remote_for_sparql_http():
    settings = Settings(store="sparql+http://127.0.0.1:18890/sparql")
    assert is_remote(settings) and isinstance(open_store(settings), RemoteStore)


def test_open_store_selects_oxigraph_by_default(tmp_path):
    with pytest.raises(StoreError):  # nothing published in an empty data directory
        open_store(Settings(data_dir=tmp_path))
    assert not is_remote(Settings()) and KgStore is not RemoteStore


def test_remote_long_query_goes_by_post():
    methods = []

    def handler(request: httpx.Request) -> httpx.Response:
        methods.append(request.method)
        return httpx.Response(200, content=json.dumps({"head": {}, "boolean": True}).encode())

    store = _store(handler)
    store.query("ASK {}")
    store.query("ASK { " + "?s ?p ?o . " * 200 + "}")
    assert methods == ["GET", "POST"]
