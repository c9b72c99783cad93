import httpx
import pytest

from kg.errors import LinkError
from kg.linking.http import CachedClient
from kg.linking.linker import link_subjects
from kg.linking.records import Subject, Verdict
from kg.linking.wikidata import HOSTS, WikidataProvider

DUNKIRK = Subject(
    "https://w3id.org/eu-industrial-kg/id/place/dunkirk",
    "dunkirk",
    "place",
    frozenset({"Place", "Municipality"}),
    (("Dunkirk", "en"), ("Dunkerque", "fr")),
    "FR",
)


def _provider(tmp_path, recorded, offline=False) -> WikidataProvider:
    client = CachedClient(
        tmp_path,
        "kg-tests/0",
        HOSTS,
        offline=offline,
        transport=httpx.MockTransport(recorded),
        min_interval_s=0.0,
    )
    return WikidataProvider(client)


def test_wikidata_provider_describes_search_hits_with_codes(tmp_path, recorded):
    found = {c.notation: c for c in _provider(tmp_path, recorded).candidates(DUNKIRK)}
    assert set(found) == {"Q45797", "Q900000000001"}
    assert found["Q45797"].extra == {"geonames": "3020686"}
    assert ("Dunkerque", "fr") in found["Q45797"].names and found["Q45797"].feature == "municipality"


def test_wikidata_link_prefers_the_item_in_the_subjects_country(tmp_path, recorded):
    run = link_subjects([DUNKIRK], {"wikidata": [_provider(tmp_path, recorded)]})
    (decision,) = run.decisions
    assert decision.verdict is Verdict.SURE and decision.best.candidate.notation == "Q45797"


def test_wikidata_link_by_shared_geonames_id_is_reference_code(tmp_path, recorded):
    subject = Subject(
        DUNKIRK.iri, "dunkirk", "place", DUNKIRK.classes, DUNKIRK.names, "FR", known={"geonames": "3020686"}
    )
    (decision,) = link_subjects([subject], {"wikidata": [_provider(tmp_path, recorded)]}).decisions
    assert (decision.best.method, decision.best.score) == ("reference-code", 1.0)


def test_wikidata_offline_replays_the_cache_without_network(tmp_path, recorded):
    _provider(tmp_path, recorded).candidates(DUNKIRK)
    before = len(recorded.calls)
    offline = _provider(tmp_path, recorded, offline=True)
    assert {c.notation for c in offline.candidates(DUNKIRK)} == {"Q45797", "Q900000000001"}
    assert len(recorded.calls) == before


def test_wikidata_search_error_raises_link_error(tmp_path):
    client = CachedClient(
        tmp_path,
        "t",
        HOSTS,
        min_interval_s=0.0,
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"error": {"info": "bad search"}})),
    )
    with pytest.raises(LinkError, match="bad search"):
        WikidataProvider(client).search("x", "en")


def test_live_sources_link_online_then_replay_offline_from_the_cache(
    tmp_path, recorded, sample_graph, minter
):
    import datetime as dt

    from kg.config import Settings
    from kg.linking.datasets import load_datasets
    from kg.linking.run import link_graph, live_sources
    from kg.linking.writer import read_links

    settings = Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path)
    today = dt.date(2026, 11, 25)
    sources, clients = live_sources(
        settings, offline=False, transport=httpx.MockTransport(recorded), min_interval_s=0
    )
    report = link_graph(sample_graph, sources, tmp_path / "online", minter, today=today)
    assert "wikidata" in report.files and clients[0].network_requests > 0
    offline, clients = live_sources(settings, offline=True)
    again = link_graph(sample_graph, offline, tmp_path / "offline", minter, today=today)
    assert clients[0].network_requests == 0
    links = read_links(again.files["wikidata"], load_datasets(today=today))
    assert {(k.subject_iri.rsplit("/", 1)[-1], k.notation) for k in links} == {("dunkirk", "Q45797")}
