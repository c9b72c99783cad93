from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st
from rdflib import Literal, URIRef

from api.main import create_app
from kg.config import Settings
from kg.curated import load_curated
from kg.inference import materialise
from kg.namespaces import ADMS, DCTERMS, EIP, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD, Minter, vocab
from kg.rdfio import read_rdf_files
from kg.store import new_build_id, publish, write_store
from tests.api.backends import BACKENDS, on_backend

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FACILITY = ("facility", "verkor-gigafactory-bourbourg")
COMPANY = ("company", "verkor")
PLACE = ("place", "france")

EVIL = "<script>alert(1)</script> \"double\" 'single' & <b>bold</b>"
RTL = "\u202eevil\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"
BREAKOUT = "</script><script>alert(2)</script><!--"
IMG = "<img src=x onerror=alert(6)>"


def _publish(tmp: Path, graphs: dict[str, list[rdflib.Graph]]) -> Settings:
    settings = Settings(data_dir=tmp)
    publish(settings, write_store(settings, new_build_id(), graphs))
    return settings


@pytest.fixture(scope="module", params=BACKENDS)
def curated(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, rdflib.Graph, Minter]]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("curated"))
    minter = Minter(settings.base_iri)
    data = load_curated(settings.curated_dir, minter)
    ontology = read_rdf_files(sorted(settings.ontology_dir.glob("*.ttl")))
    inferred = materialise([ontology, data]).graph
    graphs = {"ontology": ontology, "curated": data, "inferred": inferred}
    _publish(settings.data_dir, {str(minter.graph(name)): [graph] for name, graph in graphs.items()})
    with_inferred = data + inferred
    yield TestClient(create_app(on_backend(request.param, settings))), with_inferred, minter


@pytest.fixture(scope="module")
def client(curated: tuple[TestClient, rdflib.Graph, Minter]) -> TestClient:
    return curated[0]


def _hostile_graph(minter: Minter) -> rdflib.Graph:
    graph = rdflib.Graph()
    evil, source = minter.entity("company", "evil"), minter.source("https://example.org/evil")
    ident, claim = minter.entity("identifier", "wikidata-evil"), minter.fact("evil", "ceo")
    plant = minter.entity("facility", "evil-plant")
    graph += [
        (evil, RDF.type, EIP.Company), (evil, RDFS.label, Literal(EVIL, lang="en")),
        (evil, RDFS.label, Literal(RTL, lang="ar")), (evil, SKOS.altLabel, Literal(BREAKOUT)),
        (evil, FOAF.homepage, URIRef("javascript:alert(3)")), (evil, PROV.wasDerivedFrom, source),
        (evil, ADMS.identifier, ident), (ident, SKOS.notation, Literal('Q1"><script>alert(4)</script>')),
        (ident, DCTERMS.conformsTo, vocab("identifier-scheme", "wikidata")),
        (source, RDFS.label, Literal(EVIL)),
        (source, SCHEMA.url, Literal("javascript:alert(5)", datatype=XSD.anyURI)),
        (claim, RDF.type, EIP.AttributeClaim), (claim, EIP.subject, evil),
        (claim, EIP.sourceProperty, Literal(IMG)),
        (claim, EIP.predicate, EIP.chiefExecutive), (claim, EIP.value, Literal(BREAKOUT)),
        (claim, EIP.asStated, Literal(EVIL, lang="fr")), (claim, EIP.rankReason, Literal(RTL)),
        (claim, PROV.wasDerivedFrom, source), (claim, EIP.disputed, Literal(True)),
        (plant, RDF.type, EIP.Facility), (plant, RDFS.label, Literal(IMG, lang="en")),
        (plant, EIP.operatedBy, evil),
    ]
    return graph


@pytest.fixture(scope="module", params=BACKENDS)
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    settings = Settings(data_dir=tmp_path_factory.mktemp("hostile"))
    minter = Minter(settings.base_iri)
    _publish(settings.data_dir, {str(minter.graph("curated")): [_hostile_graph(minter)]})
    return TestClient(create_app(on_backend(request.param, settings)))


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse_html(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    return parser


def _path(kind: str, slug: str, ext: str = "") -> str:
    return f"/id/{kind}/{slug}" + (f".{ext}" if ext else "")


def _turtle(client: TestClient, kind: str, slug: str) -> rdflib.Graph:
    response = client.get(_path(kind, slug), headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.text, format="turtle")


# --- negotiation -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept", [BROWSER, "*/*", None, "text/*"])
def test_entity_browser_or_wildcard_accept_gets_html(client: TestClient, accept: str | None) -> None:
    response = client.get(_path(*FACILITY), headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-location"] == _path(*FACILITY, "html")


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("text/html;q=0.1, application/n-triples;q=0.9", "application/n-triples"),
    ("application/sparql-results+xml, application/rdf+xml", "application/rdf+xml"),
    ("application/json", "application/ld+json"),
    ("text/html;q=0, */*;q=0.5", "text/turtle"),
])
def test_entity_accept_with_q_values_picks_best_rdf_format(client: TestClient, accept: str,
                                                           expected: str) -> None:
    response = client.get(_path(*COMPANY), headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(("ext", "media_type", "rdflib_format"), [
    ("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
    ("nt", "application/n-triples", "nt"), ("rdf", "application/rdf+xml", "xml"),
])
def test_entity_extension_names_format_and_overrides_accept(
        client: TestClient, ext: str, media_type: str, rdflib_format: str) -> None:
    reference = _turtle(client, *COMPANY)
    response = client.get(_path(*COMPANY, ext), headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "content-location" not in response.headers
    parsed = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert set(parsed) == set(reference)


def test_entity_unacceptable_accept_gets_406_listing_formats(client: TestClient) -> None:
    response = client.get(_path(*COMPANY), headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text and ".jsonld" in response.text


def test_entity_link_headers_name_alternates_and_described_iri(
        curated: tuple[TestClient, rdflib.Graph, Minter]) -> None:
    client, _, minter = curated
    response = client.get(_path(*COMPANY))
    link = response.headers["link"]
    assert '</id/company/verkor.ttl>; rel="alternate"; type="text/turtle"' in link
    assert '</id/company/verkor.jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert f'<{minter.entity(*COMPANY)}>; rel="describes"' in link
    assert response.headers["vary"].startswith("Accept")


# --- the RDF description -----------------------------------------------------------------------------------

def test_entity_description_is_entity_claims_and_their_nodes(
        curated: tuple[TestClient, rdflib.Graph, Minter]) -> None:
    client, source, minter = curated
    entity = minter.entity(*COMPANY)
    described = _turtle(client, *COMPANY)
    claims = set(source.subjects(EIP.subject, entity))
    identifiers = set(source.objects(entity, ADMS.identifier))
    parts = {o for c in claims for o in source.objects(c, None) if str(o).startswith(str(c) + "#")}
    parts |= {o for p in parts for o in source.objects(p, None) if isinstance(o, URIRef) and "#" in str(o)}
    nodes = {entity, *claims, *identifiers, *parts}
    expected = {t for node in nodes for t in source.triples((node, None, None))}
    assert claims and any(str(p).endswith("#amount") for p in parts)
    assert set(described) == expected


def test_fact_document_holds_amount_and_time_nodes(curated: tuple[TestClient, rdflib.Graph, Minter]) -> None:
    client, source, minter = curated
    milestone = next(c for c in source.subjects(EIP.subject, minter.entity(*FACILITY))
                     if (c, TIME.hasTime, None) in source)
    slug = minter.split(str(milestone))[1]
    described = _turtle(client, "fact", slug)
    subjects = {str(s) for s in described.subjects()}
    assert subjects == {str(milestone), f"{milestone}#time", f"{milestone}#date"}


def test_source_document_lists_what_cites_it(curated: tuple[TestClient, rdflib.Graph, Minter]) -> None:
    client, source, minter = curated
    cited = next(iter(source.objects(minter.entity(*COMPANY), PROV.wasDerivedFrom)))
    kind, slug = minter.split(str(cited))
    response = client.get(_path(kind, slug))
    assert response.status_code == 200
    assert 'href="/id/company/verkor"' in response.text


# --- the HTML page -----------------------------------------------------------------------------------------

def test_entity_html_shows_labels_in_both_languages_and_types(client: TestClient) -> None:
    html = client.get(_path(*FACILITY)).text
    assert '<bdi lang="en">Verkor Gigafactory (Bourbourg / Port of Dunkirk)</bdi>' in html
    assert '<bdi lang="fr">gigafactory Verkor de Bourbourg</bdi>' in html
    assert "battery gigafactory" in html


def test_entity_html_groups_facts_and_flags_disputed(client: TestClient) -> None:
    html = client.get(_path(*FACILITY)).text
    for heading in ("investment", "employment figure", "capacity"):
        assert f'<bdi lang="en">{heading}</bdi></a> <span class="muted">' in html
    assert "EUR 1.5 bn" in html and "1,200 jobs" in html
    assert '<strong class="disputed">disputed</strong>' in html
    assert "preferred rank" in html and "Rank reason:" in html


def test_entity_html_timeline_runs_by_earliest_date_with_precision(
        curated: tuple[TestClient, rdflib.Graph, Minter]) -> None:
    client, source, minter = curated
    html = client.get(_path(*FACILITY)).text
    timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    facts = re.findall(r'<a href="/id/fact/([a-z0-9-]+)">fact</a>', timeline)
    earliest = [str(source.value(minter.entity("fact", slug), EIP.earliest)) for slug in facts]
    assert len(facts) > 3 and earliest == sorted(earliest)
    assert '<span class="date">2025-12 (month)</span>' in timeline
    assert '<bdi lang="fr">débutera sa production fin 2025</bdi>' in timeline


def test_entity_html_links_identifiers_to_their_registries(client: TestClient) -> None:
    html = client.get(_path(*PLACE)).text
    assert 'href="http://www.wikidata.org/entity/Q142"' in html
    assert 'href="http://data.europa.eu/nuts/code/FR"' in html


def test_entity_html_links_neighbours_both_ways(client: TestClient) -> None:
    assert 'href="/id/company/verkor"' in client.get(_path(*FACILITY)).text
    assert f'href="{_path(*FACILITY)}"' in client.get(_path(*COMPANY)).text
    assert f'href="{_path(*FACILITY)}"' in client.get(_path(*PLACE)).text


def test_entity_html_embeds_the_same_graph_as_json_ld(client: TestClient) -> None:
    page = _parse_html(client.get(_path(*COMPANY)).text)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [{"type": "application/ld+json"}]
    text = "".join(page.scripts)
    embedded = rdflib.Graph().parse(data=text, format="json-ld")
    assert json.loads(text)["@graph"]
    assert set(embedded) == set(_turtle(client, *COMPANY))


def test_fact_html_shows_subject_value_and_sources(curated: tuple[TestClient, rdflib.Graph, Minter]) -> None:
    client, source, minter = curated
    claims = source.subjects(EIP.subject, minter.entity(*COMPANY))
    claim = next(c for c in claims if (c, EIP.amount, None) in source)
    html = client.get(_path("fact", minter.split(str(claim))[1])).text
    assert "<h2>Fact</h2>" in html and 'href="/id/company/verkor"' in html
    assert re.search(r'<dd class="value"><bdi>EUR [0-9.,]+( bn| m)?</bdi></dd>', html)
    assert 'href="/id/source/' in html


# --- errors, caching, HEAD ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "status"), [
    ("/id/company/no-such-company", 404), ("/id/spaceship/enterprise", 404), ("/id/company/verkor.xml", 404),
    ("/id/company/Verkor", 400), ("/id/company/ver_kor", 400), ("/id/company/a--b", 400),
    ("/id/company/-a", 400), ("/id/company/%C3%A9t%C3%A9", 400), ("/id/company/" + "a" * 300, 400),
    ("/id/company/verkor.", 404), ("/id/company/.ttl", 400),
])
def test_entity_bad_or_unknown_ids_get_4xx_in_html_or_plain(client: TestClient, path: str,
                                                            status: int) -> None:
    html = client.get(path, headers={"Accept": BROWSER})
    plain = client.get(path, headers={"Accept": "text/turtle"})
    assert (html.status_code, plain.status_code) == (status, status)
    assert html.headers["content-type"].startswith("text/html")
    assert plain.headers["content-type"].startswith("text/plain")


@hypothesis_settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.text(max_size=20), name=st.text(max_size=60),
       accept=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_entity_any_path_or_accept_never_gives_5xx(client: TestClient, kind: str, name: str,
                                                   accept: str) -> None:
    response = client.get(f"/id/{quote(kind, safe='')}/{quote(name, safe='')}", headers={"Accept": accept})
    assert response.status_code < 500


def test_entity_if_none_match_gets_304(client: TestClient) -> None:
    first = client.get(_path(*COMPANY), headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    again = client.get(_path(*COMPANY), headers={"Accept": "text/turtle", "If-None-Match": etag})
    other = client.get(_path(*COMPANY), headers={"Accept": "application/n-triples", "If-None-Match": etag})
    assert first.headers["cache-control"].startswith("public")
    assert (again.status_code, again.content) == (304, b"")
    assert other.status_code == 200


def test_entity_if_modified_since_gets_304_only_when_current(client: TestClient) -> None:
    first = client.get(_path(*COMPANY))
    later = client.get(_path(*COMPANY), headers={"If-Modified-Since": first.headers["last-modified"]})
    past = format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
    earlier = client.get(_path(*COMPANY), headers={"If-Modified-Since": past})
    assert (later.status_code, earlier.status_code) == (304, 200)


def test_entity_head_sends_headers_without_body(client: TestClient) -> None:
    response = client.head(_path(*COMPANY, "ttl"))
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) > 1000


# --- hostile data ------------------------------------------------------------------------------------------

def _hostile_paths() -> list[str]:
    minter = Minter(Settings().base_iri)
    iris = [minter.entity("company", "evil"), minter.entity("facility", "evil-plant"),
            minter.fact("evil", "ceo"), minter.source("https://example.org/evil")]
    return ["/" + str(iri)[len(minter.base):] for iri in iris]


@pytest.mark.parametrize("path", _hostile_paths())
def test_hostile_labels_render_inert_in_html(hostile: TestClient, path: str) -> None:
    response = hostile.get(path, headers={"Accept": BROWSER})
    html = response.text
    page = _parse_html(html)
    assert response.status_code == 200
    assert [tag for tag, _ in page.tags if tag in {"script", "img", "b"}] == ["script"]
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    hrefs = [attrs["href"] or "" for tag, attrs in page.tags if "href" in attrs]
    assert hrefs and all(h.startswith(("/", "http://", "https://")) for h in hrefs)
    assert "javascript:" not in "".join(hrefs)
    assert "<script>alert" not in html and "<img" not in html
    assert "Content-Security-Policy" in response.headers


def test_hostile_label_text_is_escaped_and_bidi_isolated(hostile: TestClient) -> None:
    html = hostile.get("/id/company/evil", headers={"Accept": BROWSER}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;double&#34; &#39;single&#39; &amp;" in html
    assert f'<bdi lang="ar">{RTL}</bdi>' in html
    assert "&lt;img src=x onerror=alert(6)&gt;" in html


def test_hostile_labels_stay_inside_the_json_ld_block(hostile: TestClient) -> None:
    page = _parse_html(hostile.get("/id/company/evil").text)
    script = "".join(page.scripts)
    assert "</" not in script and "<" not in script
    document = json.loads(script)
    text = json.dumps(document, ensure_ascii=False)
    assert json.dumps(EVIL, ensure_ascii=False) in text and json.dumps(BREAKOUT, ensure_ascii=False) in text


def test_hostile_labels_round_trip_through_turtle(hostile: TestClient) -> None:
    graph = rdflib.Graph().parse(data=hostile.get("/id/company/evil.ttl").text, format="turtle")
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert {EVIL, RTL} <= labels


def test_hostile_kind_in_error_page_is_escaped(hostile: TestClient) -> None:
    response = hostile.get("/id/%3Cscript%3Ealert(1)%3C%2Fscript%3E/x", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert "<script>alert" not in response.text


def test_entity_if_none_match_star_on_unknown_entity_is_still_404(client: TestClient) -> None:
    response = client.get("/id/company/no-such-company", headers={"If-None-Match": "*"})
    assert response.status_code == 404


def test_entity_follows_a_new_publication(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    minter = Minter(settings.base_iri)
    acme = minter.entity("company", "acme")

    def publish_label(label: str) -> None:
        graph = rdflib.Graph()
        graph += [(acme, RDF.type, EIP.Company), (acme, RDFS.label, Literal(label, lang="en"))]
        _publish(tmp_path, {str(minter.graph("curated")): [graph]})

    publish_label("Alpha")
    client = TestClient(create_app(settings))
    first = client.get("/id/company/acme.ttl")
    publish_label("Beta")
    second = client.get("/id/company/acme.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert '"Alpha"@en' in first.text
    assert second.status_code == 200 and '"Beta"@en' in second.text
    assert second.headers["etag"] != first.headers["etag"]
