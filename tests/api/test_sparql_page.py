from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.sparql import page
from api.sparql.description import SD
from tests.api.backends import PPATH_ALTERNATIVE, xfail_on_virtuoso
from tests.api.sparql_store import EX, FILLER, GRAPH_A, GRAPH_B

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
EXAMPLES = sorted(page.EXAMPLES_DIR.glob("*.rq"))



@pytest.fixture(scope="module")
def client(backend_client: TestClient) -> TestClient:
    return backend_client

def test_page_is_shown_to_a_browser_without_query(client: TestClient) -> None:
    response = client.get("/sparql", headers=BROWSER)
    assert response.status_code == 200
    assert '<textarea name="query"' in response.text
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<script" not in response.text


def test_page_lists_examples_and_prefills_one(client: TestClient, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    example = "# Count things\n# How many triples.\nSELECT (COUNT(*) AS ?n) {}\n"
    (tmp_path / "count-things.rq").write_text(example)
    monkeypatch.setattr(page, "EXAMPLES_DIR", tmp_path)
    listing = client.get("/sparql", headers=BROWSER)
    chosen = client.get("/sparql", params={"example": "count-things"}, headers=BROWSER)
    assert 'href="/sparql?example=count-things">Count things</a>' in listing.text
    assert "How many triples." in listing.text
    assert "SELECT (COUNT(*) AS ?n) {}" in chosen.text


def test_page_example_outside_the_list_loads_nothing(client: TestClient) -> None:
    response = client.get("/sparql", params={"example": "../../etc/passwd"}, headers=BROWSER)
    assert response.status_code == 200
    assert "root:" not in response.text


def test_page_escapes_script_in_results(client: TestClient) -> None:
    query = f"SELECT ?name WHERE {{ <{EX}evil> <{EX}name> ?name }}"
    response = client.get("/sparql", params={"query": query}, headers=BROWSER)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in response.text
    assert "<script>" not in response.text


def test_page_does_not_link_javascript_iris(client: TestClient) -> None:
    query = f"SELECT ?o WHERE {{ <{EX}evil> <{EX}link> ?o }}"
    response = client.get("/sparql", params={"query": query}, headers=BROWSER)
    assert "javascript:alert(1)" in response.text
    assert 'href="javascript:' not in response.text


def test_page_escapes_the_query_text(client: TestClient) -> None:
    query = "SELECT * { ?s ?p '</textarea><script>alert(1)</script>' }"
    response = client.get("/sparql", params={"query": query}, headers=BROWSER)
    assert "</textarea><script>" not in response.text


def test_page_shows_results_table_and_downloads(client: TestClient) -> None:
    query = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"
    response = client.post("/sparql", data={"query": query}, headers=BROWSER)
    assert "<th>?name</th>" in response.text
    assert f'<a href="{EX}verkor">{EX}verkor</a>' in response.text
    for fmt in ("csv", "json", "tsv"):
        assert f'name="format" value="{fmt}"' in response.text


def test_page_download_form_returns_csv_attachment(client: TestClient) -> None:
    query = f"SELECT ?f WHERE {{ <{EX}evil> <{EX}formula> ?f }}"
    response = client.post("/sparql", data={"query": query, "format": "csv"}, headers=BROWSER)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.splitlines()[1] == '"\'=HYPERLINK(""http://evil.example/"",""click"")"'


def test_page_shows_construct_as_triples_with_rdf_downloads(client: TestClient) -> None:
    query = f"CONSTRUCT {{ ?s <{EX}name> ?n }} WHERE {{ ?s <{EX}name> ?n }}"
    response = client.get("/sparql", params={"query": query}, headers=BROWSER)
    assert "<th>?subject</th>" in response.text
    assert 'value="turtle"' in response.text


def test_page_shows_ask_result(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=BROWSER)
    assert "<strong>true</strong>" in response.text


def test_page_truncates_long_results(client: TestClient) -> None:
    query = f"SELECT ?s WHERE {{ GRAPH <{FILLER}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query}, headers=BROWSER)
    assert response.status_code == 200
    assert f"{page.PAGE_ROWS} rows shown; the result has more" in response.text


def test_page_shows_syntax_error_with_400(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * {"}, headers=BROWSER)
    assert response.status_code == 400
    assert 'class="error"' in response.text
    assert "syntax error" in response.text
    assert "SELECT * {</textarea>" in response.text


def test_service_description_is_turtle_by_default(request: pytest.FixtureRequest, client: TestClient) -> None:
    xfail_on_virtuoso(request, "Virtuoso 7.2.5 answers SELECT ?g WHERE { GRAPH ?g { } } with one solution "
                      "leaving ?g unbound instead of one per named graph (SPARQL 1.1 Query, 18.6 Graph), so "
                      "the description lists no graph")
    response = client.get("/sparql")
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    service = graph.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef("http://testserver/sparql")
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.feature, SD.BasicFederatedQuery) in graph
    names = {str(name) for name in graph.objects(predicate=SD.name)}
    assert {GRAPH_A, GRAPH_B, FILLER} <= names


def test_service_description_follows_accept(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "application/ld+json"})
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert (None, rdflib.RDF.type, SD.Service) in graph


def test_service_description_with_unacceptable_accept_is_406(client: TestClient) -> None:
    assert client.get("/sparql", headers={"accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_query_runs(request: pytest.FixtureRequest, client: TestClient, path: Path) -> None:
    if path.stem == "disputed-figures":
        xfail_on_virtuoso(request, PPATH_ALTERNATIVE)
    response = client.post("/sparql", content=path.read_bytes(),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200, response.text
