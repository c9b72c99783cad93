from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.config import Settings
from kg.errors import QueryError, SourceError, StoreError
from kg.store import (
    KgStore, StoreLayout, load_query, new_build_id, prune, publish, published_path, rollback, write_store,
)
from tests.kg.storetools import tree_digest

G1 = "https://example.org/graph/one"
G2 = "https://example.org/graph/two"
TRIPLE = b"<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _graph(n: int) -> rdflib.Graph:
    graph = rdflib.Graph()
    for i in range(n):
        graph.add((rdflib.URIRef(f"https://example.org/s{i}"), rdflib.URIRef("https://example.org/p"),
                   rdflib.Literal(i)))
    return graph


def _publish(settings: Settings, n: int = 2) -> Path:
    staged = write_store(settings, new_build_id(), {G1: [_graph(n)], G2: [TRIPLE]})
    return publish(settings, staged)


def test_write_store_counts_triples_per_graph(settings: Settings) -> None:
    staged = write_store(settings, "b1", {G1: [_graph(3)], G2: [TRIPLE]})
    assert staged.triples == {G1: 3, G2: 1}
    assert staged.path.name.startswith(".building-b1-")


def test_write_store_loads_rdf_files_by_extension(settings: Settings, tmp_path: Path) -> None:
    ttl = tmp_path / "x.ttl"
    ttl.write_text("@prefix ex: <https://example.org/> . ex:a ex:p ex:b , ex:c .\n")
    assert write_store(settings, "b1", {G1: [ttl]}).triples == {G1: 2}


def test_write_store_bad_file_raises_source_error_and_cleans_up(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://example.org/a> <https://example.org/p> nope .\n")
    with pytest.raises(SourceError, match="bad.nt"):
        write_store(settings, "b1", {G1: [bad]})
    assert list(StoreLayout.of(settings).stores.iterdir()) == []


def test_publish_points_current_at_the_store(settings: Settings) -> None:
    path = _publish(settings)
    layout = StoreLayout.of(settings)
    assert layout.current.is_symlink()
    assert not os.path.isabs(os.readlink(layout.current))
    assert published_path(settings) == path
    assert (path.parent / f"{path.name}.json").is_file()


def test_publish_keeps_previous_and_prunes_older(settings: Settings) -> None:
    first, second, third = (_publish(settings) for _ in range(3))
    layout = StoreLayout.of(settings)
    assert layout.target(layout.current) == third
    assert layout.target(layout.previous) == second
    assert not first.exists()
    assert sorted(p.name for p in layout.stores.iterdir()) == sorted(
        [second.name, f"{second.name}.json", third.name, f"{third.name}.json"])


def test_rollback_swaps_current_and_previous(settings: Settings) -> None:
    first, second = _publish(settings), _publish(settings)
    assert rollback(settings) == first
    assert published_path(settings) == first
    assert rollback(settings) == second


def test_rollback_without_previous_raises_store_error(settings: Settings) -> None:
    _publish(settings)
    with pytest.raises(StoreError, match="no previous store"):
        rollback(settings)


def test_failed_write_leaves_current_byte_for_byte_identical(settings: Settings, tmp_path: Path) -> None:
    _publish(settings)
    before = tree_digest(settings.data_dir)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:p .\n")
    with pytest.raises(SourceError):
        write_store(settings, new_build_id(), {G1: [_graph(5)], G2: [bad]})
    assert tree_digest(settings.data_dir) == before


def test_prune_removes_leftovers_of_dead_builds_only(settings: Settings) -> None:
    _publish(settings)
    stores = StoreLayout.of(settings).stores
    dead = stores / ".building-x-999999999"
    alive = stores / f".building-y-{os.getpid()}"
    dead.mkdir()
    alive.mkdir()
    removed = prune(settings)
    assert removed == [dead]
    assert alive.exists()


def test_published_path_is_none_before_any_build(settings: Settings) -> None:
    assert published_path(settings) is None


def test_open_published_without_store_raises_with_build_hint(settings: Settings) -> None:
    with pytest.raises(StoreError) as caught:
        KgStore.open_published(settings)
    assert "kg build" in caught.value.hint


def test_open_published_on_corrupt_store_raises_store_error(settings: Settings) -> None:
    path = _publish(settings)
    for child in path.iterdir():
        if child.is_file():
            child.write_bytes(b"garbage")
    with pytest.raises(StoreError, match="corrupt"):
        KgStore.open_published(settings)


def test_open_published_with_dangling_link_raises_store_error(settings: Settings) -> None:
    layout = StoreLayout.of(settings)
    layout.data_dir.mkdir(parents=True)
    layout.current.symlink_to("stores/gone")
    with pytest.raises(StoreError, match="missing"):
        KgStore.open_published(settings)


def test_query_default_graph_is_the_union(settings: Settings) -> None:
    _publish(settings, n=2)
    store = KgStore.open_published(settings)
    rows = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(rows[0]["n"].value) == 3


def test_query_substitutes_bindings(settings: Settings) -> None:
    _publish(settings, n=3)
    store = KgStore.open_published(settings)
    subject = rdflib.URIRef("https://example.org/s1")
    rows = list(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }", {"s": subject}))
    assert [r["o"].value for r in rows] == ["1"]


def test_query_with_syntax_error_raises_query_error(settings: Settings) -> None:
    _publish(settings)
    with pytest.raises(QueryError, match="syntax"):
        KgStore.open_published(settings).query("SELECT WHERE")


def test_query_default_prefixes_are_opt_in(settings: Settings) -> None:
    _publish(settings)
    store = KgStore.open_published(settings)
    assert bool(store.query("ASK { ?s eip:nothing ?o } ", default_prefixes=True)) is False
    with pytest.raises(QueryError):
        store.query("ASK { ?s eip:nothing ?o }")


def test_query_named_runs_a_file_of_kg_queries(settings: Settings) -> None:
    _publish(settings, n=2)
    rows = KgStore.open_published(settings).rows("stats/triples-per-graph")
    assert {r["graph"].value: int(r["triples"].value) for r in rows} == {G1: 2, G2: 1}


def test_query_binding_of_unprojected_variable_raises_query_error(settings: Settings) -> None:
    _publish(settings)
    with pytest.raises(QueryError):
        KgStore.open_published(settings).query("SELECT ?o WHERE { ?s ?p ?o }", {"s": rdflib.URIRef("urn:x")})


def test_load_query_refuses_path_tricks() -> None:
    with pytest.raises(QueryError, match="bad query name"):
        load_query("../config")


def test_load_query_unknown_name_raises_query_error() -> None:
    with pytest.raises(QueryError, match="no named query"):
        load_query("no-such-query")


def test_changed_and_refresh_follow_a_new_publication(settings: Settings) -> None:
    _publish(settings, n=1)
    store = KgStore.open_published(settings)
    assert store.changed() is False
    assert store.refresh() is False
    newer = _publish(settings, n=4)
    assert store.changed() is True
    assert store.refresh() is True
    assert store.path == newer
    assert store.graph_counts()[G1] == 4
    assert store.changed() is False


def test_two_readers_open_the_same_store(settings: Settings) -> None:
    _publish(settings)
    first, second = KgStore.open_published(settings), KgStore.open_published(settings)
    assert first.graph_counts() == second.graph_counts()


def test_read_only_store_refuses_writes(settings: Settings) -> None:
    _publish(settings)
    store = KgStore.open_published(settings)
    with pytest.raises((OSError, RuntimeError), match="read-write"):
        store.raw.add(ox.Quad(ox.NamedNode("https://example.org/x"), ox.NamedNode("https://example.org/p"),
                              ox.Literal("1")))
