import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from api.releases import build_router
from kg import namespaces as ns
from kg.config import Settings
from kg.errors import SourceError
from kg.namespaces import RDF, Minter
from kg.release import diff_releases, load_release_graph, make_release, release_dir
from kg.store import publish, write_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BASE = "https://w3id.org/eu-industrial-kg/"
CLAIMS = """
@prefix eip: <https://w3id.org/eu-industrial-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/eu-industrial-kg/id/fact/dunkirk-1> a eip:QuantityFigure ;
    eip:subject <https://w3id.org/eu-industrial-kg/id/place/dunkirk> ; eip:sourceProperty "population" ;
    eip:quantity {population} ; prov:wasDerivedFrom <https://w3id.org/eu-industrial-kg/id/source/s-1> .
<https://w3id.org/eu-industrial-kg/id/place/dunkirk> skos:exactMatch <https://sws.geonames.org/3020686/> .
"""
NEW_FACT = """
@prefix eip: <https://w3id.org/eu-industrial-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/eu-industrial-kg/id/fact/france-1> a eip:AttributeClaim ;
    eip:subject <https://w3id.org/eu-industrial-kg/id/place/france> ; eip:sourceProperty "motto" ;
    eip:value "Liberté" ; prov:wasDerivedFrom <https://w3id.org/eu-industrial-kg/id/source/s-2> .
"""


def _publish(settings: Settings, build_id: str, *extra: str) -> None:
    minter = Minter(settings.base_iri)
    curated = Graph().parse(FIXTURES / "linking" / "curated-sample.ttl", format="turtle")
    for text in extra:
        curated.parse(data=text, format="turtle")
    publish(settings, write_store(settings, build_id, {minter.graph("curated"): [curated]}))


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    _publish(settings, "b1", CLAIMS.format(population=86000))
    make_release(settings, "0.1.0", issued=dt.date(2026, 11, 25))
    _publish(settings, "b2", CLAIMS.format(population=86263), NEW_FACT)
    make_release(settings, "0.2.0", issued=dt.date(2026, 12, 1))
    return settings


def test_make_release_writes_the_dumps_with_the_same_triples(releases):
    folder = release_dir(releases, "0.1.0")
    nt = Graph().parse(data=gzip.decompress((folder / "eu-industrial-kg.nt.gz").read_bytes()), format="nt")
    ttl = Graph().parse(folder / "eu-industrial-kg.ttl", format="turtle")
    jsonld = Graph().parse(folder / "eu-industrial-kg.jsonld", format="json-ld")
    assert len(nt) == len(ttl) == len(jsonld) > 20


def test_make_release_describes_itself_with_dcat_and_void(releases):
    folder = release_dir(releases, "0.1.0")
    catalog = Graph().parse(folder / "catalog.ttl", format="turtle")
    release = URIRef(BASE + "id/release/0-1-0")
    assert (release, RDF.type, ns.DCAT.Dataset) in catalog and (release, RDF.type, ns.VOID.Dataset) in catalog
    assert catalog.value(release, URIRef(str(ns.DCAT) + "version")) == Literal("0.1.0")
    assert str(catalog.value(release, URIRef("http://purl.org/dc/terms/license"))).startswith(
        "https://creativecommons"
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    assert catalog.value(release, ns.VOID.triples).toPython() == manifest["triples"]
    dump = URIRef(BASE + "releases/0.1.0/eu-industrial-kg.nt.gz")
    assert (release, ns.VOID.dataDump, dump) in catalog
    digest = hashlib.sha256((folder / "eu-industrial-kg.nt.gz").read_bytes()).hexdigest()
    assert manifest["files"]["eu-industrial-kg.nt.gz"]["sha256"] == digest
    linksets = list(catalog.subjects(RDF.type, ns.VOID.Linkset))
    assert len(linksets) == 1 and catalog.value(linksets[0], ns.VOID.triples).toPython() == 1


def test_make_release_refuses_to_overwrite_a_release(releases):
    with pytest.raises(SourceError, match="already exists"):
        make_release(releases, "0.1.0")


def test_release_dir_refuses_unsafe_versions(releases):
    with pytest.raises(SourceError, match="bad release version"):
        release_dir(releases, "../etc")


def test_diff_releases_reports_added_and_changed_facts(releases):
    diff = diff_releases(load_release_graph(releases, "0.1.0"), load_release_graph(releases, "0.2.0"))
    assert [f["property"] for f in diff.facts_added] == ["motto"]
    (changed,) = diff.facts_changed
    assert (
        changed["subject"].endswith("/place/dunkirk")
        and changed["old"] == ["86000"]
        and changed["new"] == ["86263"]
    )
    assert diff.facts_removed == [] and diff.triples_added == 6 and diff.triples_removed == 1


def test_diff_releases_reversed_reports_removed_facts(releases):
    diff = diff_releases(load_release_graph(releases, "0.2.0"), load_release_graph(releases, "0.1.0"))
    assert [f["property"] for f in diff.facts_removed] == ["motto"]


def test_releases_are_served_at_stable_urls(releases):
    app = FastAPI()
    app.state.settings = releases
    app.include_router(build_router())
    client = TestClient(app)
    assert [r["version"] for r in client.get("/releases").json()["releases"]] == ["0.1.0", "0.2.0"]
    dump = client.get("/releases/0.1.0/eu-industrial-kg.nt.gz")
    assert dump.status_code == 200 and "immutable" in dump.headers["cache-control"]
    assert dump.content == (release_dir(releases, "0.1.0") / "eu-industrial-kg.nt.gz").read_bytes()
    assert client.get("/releases/0.1.0/").headers["content-type"].startswith("text/turtle")
    assert client.get("/releases/0.1.0/secret.txt").status_code == 404
    assert client.get("/releases/9.9.9/eu-industrial-kg.ttl").status_code == 404


def _catalog(settings: Settings, version: str) -> Graph:
    return Graph().parse(release_dir(settings, version) / "catalog.ttl", format="turtle")


def test_release_catalog_is_a_dcat_catalog_listing_the_release(releases):
    catalog = _catalog(releases, "0.1.0")
    (node,) = catalog.subjects(RDF.type, ns.DCAT.Catalog)
    assert str(node) == BASE + "releases/0.1.0/"
    assert list(catalog.objects(node, ns.DCAT.dataset)) == [URIRef(BASE + "id/release/0-1-0")]
    for prop in (ns.DCTERMS.title, ns.DCTERMS.description, ns.DCTERMS.publisher):
        assert catalog.value(node, prop) is not None, prop


def test_release_compressed_dump_says_its_compression_and_is_served_as_gzip(releases):
    catalog = _catalog(releases, "0.1.0")
    dump = URIRef(BASE + "releases/0.1.0/eu-industrial-kg.nt.gz")
    iana = "https://www.iana.org/assignments/media-types/"
    assert catalog.value(dump, ns.DCAT.mediaType) == URIRef(iana + "application/n-triples")
    assert catalog.value(dump, ns.DCAT.compressFormat) == URIRef(iana + "application/gzip")
    assert catalog.value(URIRef(BASE + "releases/0.1.0/eu-industrial-kg.ttl"), ns.DCAT.compressFormat) is None
    app = FastAPI()
    app.state.settings = releases
    app.include_router(build_router())
    served = TestClient(app).get("/releases/0.1.0/eu-industrial-kg.nt.gz")
    assert served.headers["content-type"] == "application/gzip" and "content-encoding" not in served.headers
    checksum = catalog.value(catalog.value(dump, URIRef("http://spdx.org/rdf/terms#checksum")),
                             URIRef("http://spdx.org/rdf/terms#checksumValue"))
    assert hashlib.sha256(served.content).hexdigest() == str(checksum)


def test_release_void_entities_are_counted_alike_for_the_release_and_its_subsets(releases):
    catalog, release = _catalog(releases, "0.1.0"), URIRef(BASE + "id/release/0-1-0")
    subsets = catalog.objects(release, ns.VOID.subset)
    (subset,) = [s for s in subsets if (s, RDF.type, ns.VOID.Linkset) not in catalog]
    dump = load_release_graph(releases, "0.1.0")
    under = {s for s in dump.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE + "id/")}
    # one named graph: the release and its only subset are the same triples, so the same entities
    assert catalog.value(release, ns.VOID.entities).toPython() == len(under)
    assert catalog.value(subset, ns.VOID.entities).toPython() == len(under)
    assert catalog.value(release, ns.VOID.uriSpace) == Literal(BASE + "id/")
