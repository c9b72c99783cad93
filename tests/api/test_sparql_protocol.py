from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.backends import xfail_on_virtuoso
from tests.api.sparql_store import EX, GRAPH_A, GRAPH_B

@pytest.fixture(scope="module")
def client(backend_client: TestClient) -> TestClient:
    return backend_client


SELECT_NAMES = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"
SPARQL_QUERY = {"content-type": "application/sparql-query"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def _names(response) -> list[str]:
    return [row["name"]["value"] for row in response.json()["results"]["bindings"]]


def test_get_select_returns_json_results_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT_NAMES})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.json()["head"]["vars"] == ["s", "name"]
    assert "Verkor" in _names(response)


def test_post_form_select_answers_like_get(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": SELECT_NAMES})
    assert response.status_code == 200
    assert "Verkor" in _names(response)


def test_post_direct_select_answers_like_get(client: TestClient) -> None:
    response = client.post("/sparql", content=SELECT_NAMES.encode(), headers=SPARQL_QUERY)
    assert response.status_code == 200
    assert "Verkor" in _names(response)


def test_post_direct_with_utf8_charset_is_accepted(client: TestClient) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-8"}
    response = client.post("/sparql", content='ASK { ?s ?p "Isère"@fr }'.encode(), headers=headers)
    assert response.status_code == 200
    assert response.json()["boolean"] is False


def test_trailing_slash_is_served_without_redirect(client: TestClient) -> None:
    response = client.post("/sparql/", content=b"ASK {}", headers=SPARQL_QUERY, follow_redirects=False)
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_several_query_parameters_are_refused(client: TestClient) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert response.status_code == 400
    assert "2 queries" in response.json()["error"]["message"]


def test_direct_post_with_query_in_url_is_refused(client: TestClient) -> None:
    response = client.post("/sparql?query=ASK%20%7B%7D", content=b"ASK {}", headers=SPARQL_QUERY)
    assert response.status_code == 400


def test_post_without_content_type_is_refused(client: TestClient) -> None:
    response = client.post("/sparql", content=b"query=ASK%20%7B%7D")
    assert response.status_code == 415
    assert "application/sparql-query" in response.json()["error"]["message"]


def test_post_with_text_plain_is_refused(client: TestClient) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"})
    assert response.status_code == 415


def test_post_in_utf16_is_refused(client: TestClient) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-16"}
    response = client.post("/sparql", content="ASK {}".encode("utf-16"), headers=headers)
    assert response.status_code == 415
    assert "UTF-8" in response.json()["error"]["message"]


def test_post_body_not_utf8_is_refused(client: TestClient) -> None:
    response = client.post("/sparql", content="ASK {}".encode("utf-16"), headers=SPARQL_QUERY)
    assert response.status_code == 400
    assert "not valid UTF-8" in response.json()["error"]["message"]


def test_get_with_non_utf8_percent_escape_is_refused(client: TestClient) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D%FF")
    assert response.status_code == 400


def test_syntax_error_is_400_with_position(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "QueryError"
    assert "1:6" in error["message"]


def test_empty_query_is_400(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "  "})
    assert response.status_code == 400


def test_put_is_not_allowed(client: TestClient) -> None:
    response = client.put("/sparql?query=ASK%20%7B%7D", headers=FORM)
    assert response.status_code == 405


def test_update_parameter_is_refused(client: TestClient) -> None:
    response = client.post("/sparql", data={"update": f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}"})
    assert response.status_code == 400
    assert "read-only" in response.json()["error"]["hint"]


def test_update_media_type_is_refused(client: TestClient) -> None:
    headers = {"content-type": "application/sparql-update"}
    response = client.post("/sparql", content=b"CLEAR ALL", headers=headers)
    assert response.status_code == 415
    assert "refused" in response.json()["error"]["message"]


def test_update_sent_as_query_is_refused(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}"})
    assert response.status_code == 400
    assert "Update is refused" in response.json()["error"]["message"]


def test_query_followed_by_update_is_refused(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {} ; DROP ALL"})
    assert response.status_code == 400
    assert "Update is refused" in response.json()["error"]["message"]


def test_service_outside_allowlist_is_refused(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "http://evil.example/sparql" in error["message"]
    assert "http://127.0.0.1:9/sparql" in error["hint"]


def test_service_through_prefix_outside_allowlist_is_refused(client: TestClient) -> None:
    query = "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE SILENT e:sparql { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400


def test_service_with_variable_is_refused(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }"})
    assert response.status_code == 400


def test_service_in_allowlist_is_run(request: pytest.FixtureRequest, client: TestClient) -> None:
    xfail_on_virtuoso(request, "Virtuoso 7.2.5 does not honour SERVICE SILENT: an unreachable service fails the "
                      "whole query (HC001 Connection Error in HTTP Client) instead of giving one empty solution "
                      "(SPARQL 1.1 Federated Query, section 4)")
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [{}]


def test_failing_allowlisted_service_is_502(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 502
    assert "SERVICE SILENT" in response.json()["error"]["hint"]


def test_query_over_size_cap_is_413(client: TestClient, settings) -> None:
    query = "ASK {}" + " " * settings.sparql_max_query_bytes
    response = client.post("/sparql", content=query.encode(), headers=SPARQL_QUERY)
    assert response.status_code == 413
    assert "KG_SPARQL_MAX_QUERY_BYTES" in response.json()["error"]["hint"]


def test_body_over_body_cap_is_413(client: TestClient, settings) -> None:
    body = b"ASK {}" + b" " * settings.max_body_bytes
    response = client.post("/sparql", content=body, headers=SPARQL_QUERY)
    assert response.status_code == 413


def test_default_graph_uri_sets_the_default_graph(client: TestClient) -> None:
    query = f"ASK {{ <{EX}grenoble> <{EX}name> ?n }}"
    in_b = client.get("/sparql", params={"query": query, "default-graph-uri": GRAPH_B})
    in_a = client.get("/sparql", params={"query": query, "default-graph-uri": GRAPH_A})
    assert (in_b.json()["boolean"], in_a.json()["boolean"]) == (True, False)


def test_named_graph_uri_limits_the_named_graphs(client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post("/sparql", data={"query": query, "named-graph-uri": GRAPH_B})
    assert [row["g"]["value"] for row in response.json()["results"]["bindings"]] == [GRAPH_B]


def test_default_graph_is_union_of_named_graphs(client: TestClient) -> None:
    query = f"ASK {{ <{EX}verkor> <{EX}site> ?x . ?x <{EX}name> ?n }}"
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is True


def test_from_clause_is_honoured(client: TestClient) -> None:
    query = f"ASK FROM <{GRAPH_A}> {{ <{EX}grenoble> <{EX}name> ?n }}"
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is False


def test_graph_uri_must_be_absolute(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400


def test_relative_iri_resolves_against_endpoint(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                          headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    assert "<http://testserver/s>" in response.text
