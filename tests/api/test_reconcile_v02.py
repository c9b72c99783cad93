"""The 0.2 protocol (what OpenRefine speaks) at the service root /reconcile, through the ASGI app.

Requests and responses are validated against tests/fixtures/reconciliation-schemas/v0.2-*.json, written for this
project from the 0.2 specification's text (W3C Entity Reconciliation CG, Reconciliation Service API v0.2): a
batch is an object of queries keyed by query id (``query``, ``type``, ``limit``, ``properties: [{pid, v}]``),
results are keyed the same way (``{"q0": {"result": [...]}}``), the manifest carries ``identifierSpace``,
``schemaSpace``, ``view``, ``preview``, ``suggest`` and ``extend`` with service URLs and paths.
"""

import json
from urllib.parse import quote

import pytest

from api.reconcile.router import BATCH_SIZE
from tests.api.test_reconcile import BASE, DUNKIRK, _name, _valid, client  # noqa: F401  (the fixture)


def _batch(client, queries: dict, method: str = "POST") -> dict:  # noqa: F811
    _valid("v0.2-reconciliation-query-batch", queries)
    if method == "POST":
        response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    else:
        response = client.get("/reconcile", params={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    _valid("v0.2-reconciliation-result-batch", response.json())
    return response.json()


def test_v02_manifest_at_the_service_root_announces_working_services(client):  # noqa: F811
    manifest = client.get("/reconcile").json()
    _valid("v0.2-manifest", manifest)
    assert manifest["identifierSpace"] == BASE + "id/" and manifest["schemaSpace"] == BASE + "ontology#"
    entity = manifest["suggest"]["entity"]
    found = client.get(entity["service_url"] + entity["service_path"], params={"prefix": "dunk"}).json()
    assert found["result"][0]["id"] == DUNKIRK
    preview = client.get(manifest["preview"]["url"].replace("{{id}}", quote(DUNKIRK, safe="")))
    assert preview.status_code == 200 and "Dunkirk" in preview.text
    view = client.get(manifest["view"]["url"].replace("{{id}}", quote(DUNKIRK, safe="")), follow_redirects=False)
    assert view.status_code == 303 and view.headers["location"] == DUNKIRK
    propose = manifest["extend"]["propose_properties"]
    proposed = client.get(propose["service_url"] + propose["service_path"], params={"type": "eip:Place"}).json()
    assert "eip:locatedIn" in {p["id"] for p in proposed["properties"]}


def test_v02_batch_is_keyed_by_query_id_by_post_and_get(client):  # noqa: F811
    queries = {"q0": {"query": "Dunkerque"}, "q1": {"query": "Dunkirk", "type": "eip:Company", "limit": 3}}
    for method in ("POST", "GET"):
        results = _batch(client, queries, method)
        assert set(results) == {"q0", "q1"}
        best = results["q0"]["result"][0]
        assert best["id"] == DUNKIRK and best["match"] is True and best["score"] >= 95
        assert results["q1"]["result"] == []


def test_v02_properties_filter_and_score_like_the_draft_conditions(client):  # noqa: F811
    query = {"query": "Dunkirk", "type": ["eip:Place"],
             "properties": [{"pid": "eip:locatedIn", "v": "Hauts-de-France"}]}
    (best, *_) = _batch(client, {"q": query})["q"]["result"]
    draft = client.post("/reconcile/match", json={"queries": [{"type": "eip:Place", "conditions": [
        _name("Dunkirk"),
        {"matchType": "property", "propertyId": "eip:locatedIn", "propertyValue": "Hauts-de-France"}]}]})
    expected = draft.json()["results"][0]["candidates"][0]
    assert (best["id"], best["score"], best["match"]) == (expected["id"], expected["score"], expected["match"])
    assert {f["id"]: f["value"] for f in best["features"]}["property:eip:locatedIn"] is True
    by_identifier = _batch(client, {"q": {"properties": [{"pid": "id:geonames", "v": "3020686"}]}})
    assert [c["id"] for c in by_identifier["q"]["result"]] == [DUNKIRK]


def test_v02_data_extension_rows_are_keyed_by_entity_and_property(client):  # noqa: F811
    query = {"ids": [DUNKIRK], "properties": [{"id": "eip:locatedIn"}, {"id": "id:geonames"}]}
    _valid("v0.2-data-extension-query", query)
    for response in (client.post("/reconcile", data={"extend": json.dumps(query)}),
                     client.get("/reconcile", params={"extend": json.dumps(query)})):
        assert response.status_code == 200, response.text
        _valid("v0.2-data-extension-response", response.json())
        row = response.json()["rows"][DUNKIRK]
        assert row["eip:locatedIn"] == [{"id": BASE + "id/place/hauts-de-france", "name": "Hauts-de-France"}]
        assert row["id:geonames"] == [{"str": "3020686"}]


@pytest.mark.parametrize("queries, status", [
    ("{not json", 400),
    (json.dumps([{"query": "Dunkirk"}]), 400),
    (json.dumps({"q0": {"type": "eip:Place"}}), 400),
    (json.dumps({"q0": {"query": ""}}), 400),
    (json.dumps({"q0": {"query": "Dunkirk", "type": "eip:Nothing"}}), 400),
    (json.dumps({"q0": {"query": "Dunkirk", "properties": [{"pid": "x:y", "v": 1}]}}), 400),
    (json.dumps({"q0": {"query": "Dunkirk", "limit": 0}}), 400),
    (json.dumps({f"q{i}": {"query": "Dunkirk"} for i in range(BATCH_SIZE + 1)}), 413),
])
def test_v02_malformed_batch_is_refused(client, queries, status):  # noqa: F811
    assert client.post("/reconcile", data={"queries": queries}).status_code == status


def test_v02_view_of_an_unknown_entity_is_a_404(client):  # noqa: F811
    assert client.get("/reconcile/view", params={"id": BASE + "id/place/nowhere"}).status_code == 404
