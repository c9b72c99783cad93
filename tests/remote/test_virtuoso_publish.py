"""kg.remote_publish against the private Virtuoso: load into new graphs, switch the pointer in one update; readers
(RemoteStore following the pointer) see the old or the new release, never a mix; a failed load changes nothing;
old graphs are dropped after the grace period; `kg publish` with exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta
from collections.abc import Iterator

import pytest

from kg.errors import StoreError
from kg.remote_publish import RemotePublisher, RemoteTarget, release_graph
from kg.remote_store import RemoteStore, pointer_iri

MARK = "https://example.org/kgtest/release"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _release(tag: str, rows: int = 50) -> dict[str, bytes]:
    """Two graphs, each marking every triple with the release ``tag``."""
    return {name: b"".join(f'<https://example.org/kgtest/{name}/{i}> <{MARK}> "{tag}" .\n'.encode()
                           for i in range(rows)) for name in ("curated", "inferred")}


@pytest.fixture()
def base() -> str:
    return f"https://example.org/kgtest-{uuid.uuid4().hex[:10]}/"


@pytest.fixture()
def publisher(endpoint: str, base: str) -> Iterator[RemotePublisher]:
    target = RemoteTarget.of(endpoint, "dba", os.environ.get("VIRTUOSO_PASSWORD", "dba"))
    publisher = RemotePublisher(target, base, grace_s=60)
    yield publisher
    publisher.grace_s = 0
    publisher.prune(datetime.now(UTC) + timedelta(days=1))
    for graph in (publisher.current() or ("", []))[1]:
        publisher.update(f"DROP SILENT GRAPH <{graph}>")
    publisher.update(f"DROP SILENT GRAPH <{publisher.control}>")
    publisher.close()


def _reader(endpoint: str, base: str) -> RemoteStore:
    return RemoteStore(endpoint, pointer=pointer_iri(base), pointer_ttl_s=0)


def _marks(store: RemoteStore) -> set[str]:
    store.refresh()
    return {row["m"].value for row in store.query(f"SELECT DISTINCT ?m WHERE {{ ?s <{MARK}> ?m }}")}


def test_publish_loads_new_graphs_then_switches(publisher: RemotePublisher, endpoint: str, base: str) -> None:
    first = publisher.publish(_release("r1"), "r1")
    assert first.graphs == {"curated": 50, "inferred": 50} and first.previous is None
    reader = _reader(endpoint, base)
    assert _marks(reader) == {"r1"}
    second = publisher.publish(_release("r2", rows=70), "r2")
    assert second.previous == "r1"
    assert _marks(reader) == {"r2"}
    assert reader.graphs == sorted(release_graph(base, n, "r2") for n in ("curated", "inferred"))
    assert publisher.count(release_graph(base, "curated", "r1")) == 50  # kept for the grace period


def test_readers_see_the_old_or_the_new_release_never_a_mix(publisher: RemotePublisher, endpoint: str,
                                                             base: str) -> None:
    publisher.publish(_release("r0"), "r0")
    seen: list[set[str]] = []
    stop = threading.Event()

    def read() -> None:
        reader = _reader(endpoint, base)
        while not stop.is_set():
            seen.append(_marks(reader))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for n in range(1, 5):
            publisher.publish(_release(f"r{n}"), f"r{n}")
    finally:
        stop.set()
        thread.join(timeout=60)
    assert len(seen) > 5
    assert all(len(marks) == 1 for marks in seen), [m for m in seen if len(m) != 1]
    assert len({m for marks in seen for m in marks}) >= 2  # the reader followed switches meanwhile


def test_a_failed_load_leaves_the_current_release(publisher: RemotePublisher, endpoint: str, base: str) -> None:
    publisher.publish(_release("good"), "good")
    before = publisher.current()
    with pytest.raises(StoreError, match="expected; the served release is unchanged"):
        publisher.publish(_release("short"), "short", expected={"curated": 51, "inferred": 50})
    with pytest.raises(StoreError, match="load of"):
        publisher.publish({"curated": b"<https://example.org/a> this is not turtle .\n"}, "broken")
    assert publisher.current() == before
    assert _marks(_reader(endpoint, base)) == {"good"}


def test_prune_drops_replaced_and_failed_releases_after_the_grace_period(publisher: RemotePublisher) -> None:
    publisher.publish(_release("a"), "a")
    with pytest.raises(StoreError):
        publisher.publish(_release("b"), "b", expected={"curated": 1, "inferred": 1})
    publisher.publish(_release("c"), "c")
    assert publisher.prune() == []  # all within the grace period
    dropped = publisher.prune(datetime.now(UTC) + timedelta(seconds=publisher.grace_s + 5))
    assert sorted(dropped) == sorted(release_graph(publisher.base_iri, n, r) for n in ("curated", "inferred")
                                     for r in ("a", "b"))
    assert publisher.count(release_graph(publisher.base_iri, "curated", "a")) == 0
    assert publisher.count(release_graph(publisher.base_iri, "curated", "c")) == 50
    assert publisher.current()[0] == "c"


def test_cli_publish_unreachable_store_exits_3_with_the_error_on_stderr(tmp_path) -> None:
    from tests.api.graphql_fixtures import curated_settings

    env = {**os.environ, "KG_DATA_DIR": str(curated_settings().data_dir)}
    done = subprocess.run([sys.executable, "-m", "kg.cli.app", "publish", "--remote",
                           "sparql+http://127.0.0.1:9/sparql"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 3, done.stderr
    assert "error:" in done.stderr and not done.stdout


def test_cli_publishes_the_curated_build(endpoint: str) -> None:
    from tests.api.graphql_fixtures import curated_settings

    settings = curated_settings()
    base = f"https://example.org/kgtest-cli-{uuid.uuid4().hex[:8]}/"
    env = {**os.environ, "KG_DATA_DIR": str(settings.data_dir), "KG_BASE_IRI": base, "KG_REMOTE_PASSWORD": "dba"}
    done = subprocess.run([sys.executable, "-m", "kg.cli.app", "publish", "--remote", endpoint, "--user", "dba"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    # the curated build was made with the default base IRI: nothing under this base → a store error, exit 3
    assert done.returncode == 3 and "has no graph under" in done.stderr, done.stderr
    env["KG_BASE_IRI"] = settings.base_iri
    target = RemoteTarget.of(endpoint, "dba", "dba")
    publisher = RemotePublisher(target, settings.base_iri)
    before = publisher.current()
    try:
        done = subprocess.run([sys.executable, "-m", "kg.cli.app", "publish", "--remote", endpoint, "--user",
                               "dba"], capture_output=True, text=True, env=env, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("published ") and "loading curated" in done.stderr
        release, graphs = publisher.current()
        assert any(g.endswith(f"/graph/aggregates/{release}") for g in graphs)
        reader = RemoteStore(endpoint, pointer=pointer_iri(settings.base_iri))
        rows = list(reader.query("SELECT ?v WHERE { <https://w3id.org/eu-industrial-kg/id/company/verkor"
                                 "#investment-stateAid-exact-EUR> <https://schema.org/value> ?v }"))
        assert [r["v"].value for r in rows] == ["659000000"]
    finally:
        current = publisher.current()
        if current and current != before:
            for graph in current[1]:
                publisher.update(f"DROP SILENT GRAPH <{graph}>")
            publisher.update(f"DROP SILENT GRAPH <{publisher.control}>")
        publisher.close()
