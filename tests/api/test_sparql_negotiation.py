from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.sparql.jobs import BOOLEAN, GRAPH, JSONLD, RDFXML, RESULTS_JSON, RESULTS_XML, SOLUTIONS, TSV, TURTLE
from api.sparql.negotiation import (
    GRAPH_OFFERS, TABULAR, from_format_param, negotiate, parse_accept, prefers_html,
)
from tests.api.sparql_store import EX

@pytest.fixture(scope="module")
def client(backend_client: TestClient) -> TestClient:
    return backend_client


SELECT = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}name> ?name }} WHERE {{ ?s <{EX}name> ?name }}"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
RDFLIB_STORE_ACCEPT = "application/sparql-results+xml, application/rdf+xml"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_parse_accept_reads_q_values_and_skips_garbage() -> None:
    ranges = parse_accept("text/csv;q=0.5, garbage, */*;q=0.1, application/json;q=oops")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "csv", 0.5), ("*", "*", 0.1), ("application", "json", 0.0),
    ]


def test_negotiate_without_header_gives_first_offer() -> None:
    assert negotiate(None, TABULAR) == RESULTS_JSON
    assert negotiate("", GRAPH_OFFERS) == TURTLE


def test_negotiate_prefers_higher_q() -> None:
    accept = "application/sparql-results+json;q=0.4, application/sparql-results+xml"
    assert negotiate(accept, TABULAR) == RESULTS_XML


def test_negotiate_prefers_exact_match_over_wildcard_at_equal_q() -> None:
    assert negotiate("*/*, application/rdf+xml", GRAPH_OFFERS) == RDFXML


def test_negotiate_specific_q_zero_excludes_despite_wildcard() -> None:
    assert negotiate("application/sparql-results+json;q=0, */*", TABULAR) == RESULTS_XML


def test_negotiate_type_wildcard() -> None:
    assert negotiate("text/*", GRAPH_OFFERS) == TURTLE


def test_negotiate_nothing_acceptable_gives_none() -> None:
    assert negotiate("image/png, text/html", TABULAR) is None


@pytest.mark.parametrize(("accept", "offers", "expected"), [
    (RDFLIB_STORE_ACCEPT, TABULAR, RESULTS_XML),
    (RDFLIB_STORE_ACCEPT, GRAPH_OFFERS, RDFXML),
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", TABULAR,
     RESULTS_JSON),
    ("application/json", GRAPH_OFFERS, JSONLD),
    ("application/turtle,text/turtle", GRAPH_OFFERS, TURTLE),
])
def test_negotiate_combined_headers_of_real_clients(accept: str, offers, expected: str) -> None:
    assert negotiate(accept, offers) == expected


def test_prefers_html_for_browser_not_for_wildcard() -> None:
    assert prefers_html(FIREFOX, TABULAR + GRAPH_OFFERS)
    assert not prefers_html("*/*", TABULAR + GRAPH_OFFERS)
    assert not prefers_html(None, TABULAR + GRAPH_OFFERS)


def test_format_param_picks_the_first_value_fitting_the_kind() -> None:
    assert from_format_param(["xml"], SOLUTIONS) == RESULTS_XML
    assert from_format_param(["xml"], GRAPH) == RDFXML
    assert from_format_param(["csv"], GRAPH) is None
    assert from_format_param(["json"], BOOLEAN) == RESULTS_JSON


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
])
def test_select_in_each_results_format(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert "Accept" in response.headers["vary"]
    assert "Verkor" in response.text


def test_select_xml_is_well_formed(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": RESULTS_XML})
    root = ET.fromstring(response.content)
    assert [v.get("name") for v in root.iter(f"{RESULTS_NS}variable")] == ["s", "name"]
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    langs = [lit.get(xml_lang) for lit in root.iter(f"{RESULTS_NS}literal")]
    assert "fr" in langs


def test_select_tsv_keeps_terms_in_ntriples_syntax(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": TSV})
    lines = response.text.splitlines()
    assert lines[0] == "?s\t?name"
    assert f'<{EX}grenoble>\t"Grenoble\\tIsère\\n"@fr' in lines


@pytest.mark.parametrize(("accept", "media_type", "rdflib_format"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_construct_in_each_rdf_format(client: TestClient, accept: str, media_type: str,
                                      rdflib_format: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    verkor = (rdflib.URIRef(EX + "verkor"), rdflib.URIRef(EX + "name"), rdflib.Literal("Verkor", lang="fr"))
    assert verkor in graph


def test_construct_without_accept_is_turtle(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"


def test_ask_in_xml(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": RESULTS_XML})
    assert ET.fromstring(response.content).find(f"{RESULTS_NS}boolean").text == "true"


def test_rdflib_store_accept_gets_xml_for_select_and_rdfxml_for_construct(client: TestClient) -> None:
    headers = {"accept": RDFLIB_STORE_ACCEPT}
    select = client.get("/sparql", params={"query": SELECT}, headers=headers)
    construct = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert select.headers["content-type"] == RESULTS_XML
    assert construct.headers["content-type"] == RDFXML


def test_select_with_unacceptable_accept_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_construct_as_csv_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": "text/csv"})
    assert response.status_code == 406


def test_format_parameter_overrides_accept_and_downloads(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"},
                          headers={"accept": "application/sparql-results+json"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="query-results.csv"'
    assert next(csv.reader(io.StringIO(response.text))) == ["s", "name"]


def test_sparqlwrapper_style_format_parameters_are_understood(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "json", "output": "json",
                                             "results": "json"})
    assert json.loads(response.content)["head"]["vars"] == ["s", "name"]


def test_browser_accept_gets_html_but_wildcard_gets_json(client: TestClient) -> None:
    browser = client.get("/sparql", params={"query": SELECT}, headers={"accept": FIREFOX})
    curl = client.get("/sparql", params={"query": SELECT}, headers={"accept": "*/*"})
    assert browser.headers["content-type"].startswith("text/html")
    assert curl.headers["content-type"] == RESULTS_JSON
