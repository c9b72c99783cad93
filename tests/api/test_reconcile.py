"""The /reconcile service (W3C Entity Reconciliation Service API, 1.0 draft) through the ASGI app; the 0.2
protocol at the service root is tested in tests/api/test_reconcile_v02.py.

Every request body these tests send and every response they get is validated against the JSON schemas
in tests/fixtures/reconciliation-schemas (written for this project, not copied). Checked on 2026-11-25
against the schemas the specification publishes (reconciliation-api/specs, ``1.0-draft/schemas/``,
latest stored revision, whose text routes batches to ``/match`` and names condition fields
``propertyId`` / ``propertyValue``): same required fields, ``lang`` / ``dir`` wherever the published
schemas allow them, typed defaults and mandatory ``choices`` for property settings, ``matchQualifiers``
(not ``notable``) in property suggestions, no ``bool`` extension value, and date-times with a time.
Deliberate differences: ``authentication`` is only checked to be an object, ``batchSize`` (in the
specification's text, not in its schema) is checked, identifiers must be non-empty (the text says so),
and the data-extension query has no published schema. The service still accepts the earlier draft's
``/reconcile`` route and ``pid`` / ``v`` fields (tested below).
"""

import json
from pathlib import Path

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.testclient import TestClient
from rdflib import Graph

from api.reconcile import build_router
from kg.config import Settings
from kg.namespaces import Minter
from kg.store import publish, write_store
from tests.api.backends import BACKENDS, on_backend

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCHEMAS = FIXTURES / "reconciliation-schemas"
BASE = "https://w3id.org/eu-industrial-kg/"
DUNKIRK = BASE + "id/place/dunkirk"
LINKS = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/eu-industrial-kg/id/place/dunkirk> skos:exactMatch <https://sws.geonames.org/3020686/> ;
    adms:identifier <https://w3id.org/eu-industrial-kg/id/identifier/geonames-3020686> .
<https://w3id.org/eu-industrial-kg/id/identifier/geonames-3020686> skos:notation "3020686" ;
    dct:conformsTo <https://w3id.org/eu-industrial-kg/vocab/identifier-scheme/geonames> .
"""


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def _valid(name: str, document: object) -> None:
    jsonschema.validate(document, _schema(name))


def _name(text: str) -> dict:
    return {"matchType": "name", "propertyValue": text}


def _property(property_id: str, value: object, **options: object) -> dict:
    return {"matchType": "property", "propertyId": property_id, "propertyValue": value, **options}


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, tmp_path_factory) -> TestClient:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    minter = Minter(settings.base_iri)
    curated = Graph().parse(FIXTURES / "linking" / "curated-sample.ttl", format="turtle")
    links = Graph().parse(data=LINKS, format="turtle")
    staged = write_store(
        settings, "test-build", {minter.graph("curated"): [curated], minter.graph("links"): [links]}
    )
    publish(settings, staged)
    settings = on_backend(request.param, settings)
    app = FastAPI()
    app.state.settings = settings
    app.include_router(build_router())
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"], allow_headers=["*"]
    )
    return TestClient(app)


def _reconcile(client, queries, **headers):
    _valid("reconciliation-query-batch", {"queries": queries})
    response = client.post("/reconcile/match", json={"queries": queries}, headers=headers)
    assert response.status_code == 200, response.text
    _valid("reconciliation-result-batch", response.json())
    return response.json()["results"]


def test_reconcile_draft_endpoint_manifest_is_valid_and_announces_the_services(client):
    response = client.get("/reconcile/1.0-draft")
    _valid("manifest", response.json())
    assert response.json()["suggest"] == {"entity": True, "type": True, "property": True}
    queries = [{"conditions": [_name("Dunkerque")], "lang": "fr"}]
    answer = client.post("/reconcile/1.0-draft/match", json={"queries": queries})
    _valid("reconciliation-result-batch", answer.json())
    assert answer.json()["results"][0]["candidates"][0]["id"] == DUNKIRK


def test_reconcile_name_query_finds_the_entity_with_a_sure_match(client):
    (result,) = _reconcile(client, [{"conditions": [_name("Dunkerque")], "lang": "fr"}])
    best = result["candidates"][0]
    assert best["id"] == DUNKIRK and best["match"] is True and best["score"] >= 95


def test_reconcile_result_language_follows_accept_language_not_query_language(client):
    query = [{"conditions": [_name("Dunkirk")], "lang": "en"}]
    assert (
        _reconcile(client, query, **{"Accept-Language": "fr-FR,fr;q=0.9"})[0]["candidates"][0]["name"]
        == "Dunkerque"
    )
    assert _reconcile(client, query)[0]["candidates"][0]["name"] == "Dunkirk"


def test_reconcile_type_restricts_candidates(client):
    query = [{"type": "eip:Company", "conditions": [_name("Dunkirk")]}]
    assert _reconcile(client, query)[0]["candidates"] == []


def test_reconcile_legal_name_with_legal_form_matches(client):
    query = [{"type": "eip:Company", "conditions": [_name("Exemple Batteries S.A.S.")]}]
    assert _reconcile(client, query)[0]["candidates"][0]["id"].endswith("/company/exemple-batteries")


def test_reconcile_required_property_condition_filters(client):
    conditions = [
        _name("Dunkirk"),
        _property("eip:locatedIn", "Hauts-de-France", required=True),
    ]
    (result,) = _reconcile(client, [{"conditions": conditions}])
    assert result["candidates"][0]["id"] == DUNKIRK
    features = {f["id"]: f["value"] for f in result["candidates"][0]["features"]}
    assert features["property:eip:locatedIn"] is True
    wrong = [
        _name("Dunkirk"),
        _property("eip:locatedIn", "Bavaria", required=True),
    ]
    assert _reconcile(client, [{"conditions": wrong}])[0]["candidates"] == []


def test_reconcile_by_identifier_alone(client):
    query = [
        {"conditions": [_property("id:geonames", "3020686", required=True)]}
    ]
    assert [c["id"] for c in _reconcile(client, query)[0]["candidates"]] == [DUNKIRK]


def test_reconcile_accepts_the_form_encoded_batch(client):
    body = {"queries": json.dumps({"queries": [{"conditions": [_name("France")]}]})}
    response = client.post("/reconcile/match", data=body)
    assert response.status_code == 200 and response.json()["results"][0]["candidates"][0]["name"] == "France"


def test_reconcile_still_accepts_the_earlier_draft_route_and_field_names(client):
    conditions = [
        {"matchType": "name", "v": "Dunkirk"},
        {"matchType": "property", "pid": "eip:locatedIn", "v": "Bavaria", "required": True},
    ]
    with pytest.raises(jsonschema.ValidationError):
        _valid("reconciliation-query-batch", {"queries": [{"conditions": conditions}]})
    response = client.post("/reconcile/reconcile", json={"queries": [{"conditions": conditions}]})
    assert response.status_code == 200 and response.json()["results"][0]["candidates"] == []
    response = client.post("/reconcile/reconcile", json={"queries": [{"conditions": conditions[:1]}]})
    assert response.json()["results"][0]["candidates"][0]["id"] == DUNKIRK


@pytest.mark.parametrize(
    "payload",
    [
        {"queries": [{"conditions": []}]},
        {"nope": 1},
        {"queries": [{"conditions": [{"matchType": "property", "propertyId": "x:y", "propertyValue": 1}]}]},
    ],
)
def test_reconcile_malformed_batch_is_a_400(client, payload):
    assert client.post("/reconcile/match", json=payload).status_code == 400


def test_reconcile_suggest_entity_type_and_property(client):
    entity = client.get("/reconcile/suggest/entity", params={"prefix": "dunk"}).json()
    _valid("suggest-entities-response", entity)
    assert entity["result"][0]["id"] == DUNKIRK
    every = client.get("/reconcile/suggest/entity", params={"prefix": "", "limit": 3}).json()["result"]
    skipped = client.get("/reconcile/suggest/entity", params={"prefix": "", "limit": 2, "offset": 1}).json()
    assert len(every) == 3 and [e["id"] for e in skipped["result"]] == [e["id"] for e in every[1:]]
    types = client.get("/reconcile/suggest/type", params={"prefix": "muni"}).json()
    _valid("suggest-types-response", types)
    assert types["result"][0]["id"] == "eip:Municipality"
    properties = client.get("/reconcile/suggest/property", params={"prefix": "located"}).json()
    _valid("suggest-properties-response", properties)
    assert properties["result"][0]["id"] == "eip:locatedIn"


def test_reconcile_preview_is_html_naming_the_entity(client):
    response = client.get("/reconcile/preview", params={"id": DUNKIRK}, headers={"Accept-Language": "fr"})
    assert response.headers["content-type"].startswith("text/html") and "Dunkerque" in response.text
    assert client.get("/reconcile/preview", params={"id": BASE + "id/place/nowhere"}).status_code == 404


def test_reconcile_data_extension_returns_values_and_proposals(client):
    query = {"ids": [DUNKIRK], "properties": [{"id": "eip:locatedIn"}, {"id": "id:geonames"}]}
    _valid("data-extension-query", query)
    response = client.post("/reconcile/extend", json=query).json()
    _valid("data-extension-response", response)
    values = {p["id"]: p["values"] for p in response["rows"][0]["properties"]}
    assert values["eip:locatedIn"] == [{"id": BASE + "id/place/hauts-de-france", "name": "Hauts-de-France"}]
    assert values["id:geonames"] == [{"str": "3020686"}]
    proposal = client.get("/reconcile/extend/propose", params={"type": "eip:Place"}).json()
    _valid("data-extension-property-proposal", proposal)


def test_reconcile_routes_allow_cross_origin_requests(client):
    response = client.get("/reconcile", headers={"Origin": "https://openrefine.example"})
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "path", sorted((SCHEMAS / "examples" / "invalid").glob("*.json")), ids=lambda p: p.stem
)
def test_reconcile_schemas_reject_the_invalid_examples(path):
    schema = next(
        name
        for name in (
            "v0.2-reconciliation-query-batch",
            "v0.2-reconciliation-result-batch",
            "v0.2-manifest",
            "v0.2-data-extension-response",
            "reconciliation-query-batch",
            "reconciliation-result-batch",
            "manifest",
            "data-extension-response",
            "suggest-properties-response",
        )
        if path.stem.startswith(name)
    )
    with pytest.raises(jsonschema.ValidationError):
        _valid(schema, json.loads(path.read_text(encoding="utf-8")))
