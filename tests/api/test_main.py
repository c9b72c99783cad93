from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from tests.api.sparql_store import make_settings


def test_landing_links_every_way_in(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    for target in ('href="/graphql"', 'href="/sparql"', 'href="/docs"', "/id/"):
        assert target in response.text
    assert "http://testserver/sparql" in response.text


def test_landing_lists_example_queries(client: TestClient) -> None:
    from api.sparql.page import load_examples

    response = client.get("/")
    for example in load_examples():
        assert f"/sparql?example={example.name}" in response.text


def test_docs_page_is_self_contained(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "<code>/sparql</code>" in response.text
    assert "cdn" not in response.text.lower()
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "eu-industrial-kg"


def test_health_reports_store_and_workers(client: TestClient, settings) -> None:
    body = client.get("/health").json()
    assert body == {"status": "ok", "store": {"published": True},
                    "sparql": {"workers": settings.sparql_workers, "alive": settings.sparql_workers}}


def test_health_without_store_is_503(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, sparql_workers=1))) as test_client:
        response = test_client.get("/health")
    assert response.status_code == 503
    assert response.json()["store"] == {"published": False}


def test_cors_allows_any_origin_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"origin": "http://elsewhere.example"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_cors_preflight_for_post(client: TestClient) -> None:
    response = client.options("/sparql", headers={
        "origin": "http://elsewhere.example", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    })
    assert response.status_code == 200
    assert "POST" in response.headers["access-control-allow-methods"]


def test_cors_origins_follow_settings(data_dir: Path) -> None:
    settings = make_settings(data_dir, cors_origins=["http://app.example"], sparql_workers=1)
    with TestClient(create_app(settings)) as test_client:
        allowed = test_client.get("/health", headers={"origin": "http://app.example"})
        other = test_client.get("/health", headers={"origin": "http://other.example"})
    assert allowed.headers["access-control-allow-origin"] == "http://app.example"
    assert "access-control-allow-origin" not in other.headers


def test_every_response_has_nosniff(client: TestClient) -> None:
    assert client.get("/health").headers["x-content-type-options"] == "nosniff"


def test_unknown_path_is_404_in_the_error_format(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_errors_are_text_when_json_is_not_accepted(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * {"}, headers={"accept": "text/csv"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("400 QueryError: syntax error")


def test_unexpected_error_is_500_without_trace(data_dir: Path) -> None:
    app = create_app(make_settings(data_dir, sparql_workers=1))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail /etc/shadow")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/boom")
    assert response.status_code == 500
    assert "incident" in response.json()["error"]["message"]
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def test_chunked_body_over_cap_is_413(client: TestClient, settings) -> None:
    chunk = b" " * (settings.max_body_bytes // 2 + 1)
    response = client.post("/sparql", content=iter([b"ASK {}", chunk, chunk]),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert "KG_MAX_BODY_BYTES" in response.json()["error"]["hint"]


def test_errors_are_html_for_a_browser_and_escaped(client: TestClient) -> None:
    response = client.get("/nowhere<script>", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text
