"""Nothing lost: `kill -9` of `kg build`, `kg import` and `kg link --apply` at several points leaves ``current``
readable and identical; readers are served the old or the new graph while a build publishes, never a mix or an
error; a missing or corrupt store gives a clear error (exit 3, HTTP 503, hint "run `kg build`"), never a crash
loop."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from kg.build import LINKS_DIR
from kg.config import PROJECT_ROOT, Settings
from kg.namespaces import Minter
from kg.store import KgStore, prune
from tests.reliability.conftest import serve_app
from tests.reliability.helpers import fingerprint, hostile_graph, kill_when, publish_graph, run_kg

MINTER = Minter(Settings().base_iri)
COUNT = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
JSON = {"accept": "application/sparql-results+json, application/json;q=0.9"}
GQL_COUNTS = "{ entities(first: 1) { totalCount } organisations(first: 1) { totalCount } }"
EUROHPC = PROJECT_ROOT / "tests" / "fixtures" / "imports" / "eurohpc-ai-factories.csv"


@pytest.fixture
def old_store(tmp_path: Path) -> Settings:
    """A data directory whose published store holds only the hostile-label companies ("the old graph")."""
    data_dir = tmp_path / "data"
    publish_graph(data_dir, hostile_graph(MINTER), str(MINTER.graph("curated")), "old")
    return Settings(data_dir=data_dir)


def _still_the_old_store(settings: Settings, before: dict[str, str]) -> None:
    assert fingerprint(settings.data_dir) == before
    store = KgStore.open_published(settings)
    assert int(next(iter(store.query(COUNT)))["n"].value) == len(hostile_graph(MINTER))
    del store
    assert fingerprint(settings.data_dir) == before  # reading changed nothing either


BUILD_POINTS = {
    "after-reading-curated": ("curated ", 0.0),
    "after-inference": ("inferred ", 0.0),
    "after-validation": ("validated ", 0.0),
}


@pytest.mark.parametrize("point", list(BUILD_POINTS))
def test_build_killed_leaves_current_identical(old_store: Settings, point: str) -> None:
    marker, delay = BUILD_POINTS[point]
    before = fingerprint(old_store.data_dir)
    code, stderr = kill_when(old_store, ["build"], lambda line: marker in line, delay_s=delay)
    assert marker in stderr, stderr[-2000:]
    assert code == -9, f"the build ended before the kill ({code}); move the kill point earlier"
    _still_the_old_store(old_store, before)
    prune(old_store)  # the killed build's staging folder (dead pid) goes away
    assert sorted(p.name for p in (old_store.data_dir / "stores").iterdir()) == ["old", "old.json"]


@pytest.mark.parametrize("delay_s", [0.02, pytest.param(0.1, marks=pytest.mark.slow),
                                     pytest.param(0.3, marks=pytest.mark.slow)])
def test_build_killed_while_writing_leaves_old_or_new_store_whole(old_store: Settings, delay_s: float) -> None:
    before = fingerprint(old_store.data_dir)
    code, stderr = kill_when(old_store, ["build"], lambda line: "validated " in line, delay_s=delay_s)
    assert "validated " in stderr, stderr[-2000:]
    if code == -9 and fingerprint(old_store.data_dir) == before:
        _still_the_old_store(old_store, before)
        return
    assert code in (0, -9), stderr[-2000:]  # it published before the kill: the new store must be whole
    store = KgStore.open_published(old_store)
    manifest = (store.path.parent / (store.path.name + ".json")).read_text(encoding="utf-8")
    assert sum(store.graph_counts().values()) == int(__import__("json").loads(manifest)["total"])


@pytest.mark.parametrize("delay_s", [0.3, 0.6, 0.9])
def test_import_killed_leaves_current_and_imports_whole(old_store: Settings, delay_s: float) -> None:
    before = fingerprint(old_store.data_dir)
    kill_when(old_store, ["import", "eurohpc-ai-factories", str(EUROHPC), "--downloaded", "2026-01-01"], None,
              delay_s=delay_s)
    _still_the_old_store(old_store, before)
    imports = old_store.data_dir / "imports"
    for path in imports.glob("*.nt") if imports.exists() else []:
        assert len(rdflib.Graph().parse(path, format="nt")) > 0  # complete, never half written


def _review(path: Path) -> Path:
    header = ("decision,subject,subject_label,scheme,notation,candidate_label,candidate_description,external_iri,"
              "score,method,evidence,reason,dataset,rank")
    place = MINTER.entity("place", "luxembourg")
    path.write_text(
        f"{header}\n"
        f"accept,{place},Luxembourg,iso3166-1,LU,Luxembourg,country LUX,,0.9800,exact-name,exact name,,pycountry,1\n"
        f"reject,{place},Luxembourg,iso3166-2,BE-WLX,Luxembourg,Province in BE,,0.9800,exact-name,exact name,,"
        f"pycountry,1\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("delay_s", [0.5, 1.5, 3.0])
def test_link_apply_killed_leaves_current_and_link_files_whole(old_store: Settings, tmp_path: Path,
                                                               delay_s: float) -> None:
    links = tmp_path / "links"
    shutil.copytree(LINKS_DIR, links)
    before = fingerprint(old_store.data_dir)
    kill_when(old_store, ["link", "--apply", str(_review(tmp_path / "review.csv")), "--links-dir", str(links)],
              None, delay_s=delay_s)
    _still_the_old_store(old_store, before)
    for path in links.glob("*.ttl"):
        assert len(rdflib.Graph().parse(path, format="turtle")) > 0
    assert not list(links.glob("*.ttl.*")) or all(p.suffix == ".tmp" for p in links.glob("*.ttl.*"))


# ------------------------------------------------------------------------------ readers during a publication


def _reader_loop(client: TestClient, stop: threading.Event, seen: dict[str, set], errors: list[str]) -> None:
    gql = GQL_COUNTS
    while not stop.is_set():
        response = client.post("/sparql", data={"query": COUNT}, headers=JSON)
        if response.status_code != 200:
            errors.append(f"sparql {response.status_code} {response.text[:200]}")
        else:
            seen["sparql"].add(int(response.json()["results"]["bindings"][0]["n"]["value"]))
        response = client.post("/graphql", json={"query": gql})
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            errors.append(f"graphql {response.status_code} {str(body)[:200]}")
        else:
            seen["graphql"].add((body["data"]["entities"]["totalCount"], body["data"]["organisations"]["totalCount"]))


def test_readers_see_old_or_new_graph_while_a_build_publishes(old_store: Settings) -> None:
    settings = old_store.model_copy(update={"sparql_workers": 2, "sparql_timeout_s": 5.0})
    seen: dict[str, set] = {"sparql": set(), "graphql": set()}
    errors: list[str] = []
    stop = threading.Event()
    with TestClient(serve_app(settings)) as client:
        old_sparql = int(client.post("/sparql", data={"query": COUNT}, headers=JSON)
                         .json()["results"]["bindings"][0]["n"]["value"])
        old = client.post("/graphql", json={"query": GQL_COUNTS}).json()["data"]
        readers = [threading.Thread(target=_reader_loop, args=(client, stop, seen, errors)) for _ in range(3)]
        for reader in readers:
            reader.start()
        try:
            built = run_kg(settings, "build", "-q")
            time.sleep(1.0)  # readers keep going on the new store
        finally:
            stop.set()
            for reader in readers:
                reader.join(timeout=30)
        new_sparql = int(client.post("/sparql", data={"query": COUNT}, headers=JSON)
                         .json()["results"]["bindings"][0]["n"]["value"])
        new = client.post("/graphql", json={"query": GQL_COUNTS}).json()["data"]
    assert built.returncode == 0, built.stderr[-2000:]
    assert errors == []
    assert new_sparql > old_sparql
    assert seen["sparql"] <= {old_sparql, new_sparql} and new_sparql in seen["sparql"]
    pairs = {(d["entities"]["totalCount"], d["organisations"]["totalCount"]) for d in (old, new)}
    assert len(pairs) == 2 and seen["graphql"] <= pairs, (pairs, seen["graphql"])


# ---------------------------------------------------------------------------------- missing or corrupt store


def _corrupt(data_dir: Path) -> Path:
    target = (data_dir / "current").resolve()
    for path in target.iterdir():
        if path.is_file() and (path.suffix == ".sst" or path.name.startswith(("MANIFEST", "CURRENT", "OPTIONS"))):
            path.write_bytes(b"\x00garbage\xff" * 64)
    return target


STORE_STATES = {
    "nothing-published": lambda data_dir: None,
    "current-points-at-nothing": lambda data_dir: shutil.rmtree((data_dir / "current").resolve()),
    "corrupt-files": _corrupt,
}


@pytest.fixture(params=sorted(STORE_STATES))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    if request.param == "nothing-published":
        data_dir.mkdir()
    else:
        publish_graph(data_dir, hostile_graph(MINTER), str(MINTER.graph("curated")), "broken")
        STORE_STATES[request.param](data_dir)
    return Settings(data_dir=data_dir, sparql_workers=1, sparql_timeout_s=3.0)


@pytest.mark.parametrize("command", [["query", "ASK { ?s ?p ?o }"], ["stats"], ["export", "--format", "nt"]])
def test_cli_on_broken_store_exits_3_with_the_hint(broken: Settings, command: list[str]) -> None:
    result = run_kg(broken, *command, timeout=60)
    assert result.returncode == 3, (result.returncode, result.stderr[-1500:])
    assert "Traceback" not in result.stderr
    assert "kg build" in result.stderr


@pytest.fixture
def broken_client(broken: Settings) -> TestClient:
    app = serve_app(broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.app_state = app.state  # type: ignore[attr-defined]
        yield client


def test_sparql_on_broken_store_is_503_with_the_hint_and_no_crash_loop(broken_client: TestClient,
                                                                        broken: Settings) -> None:
    for _ in range(3):
        sparql = broken_client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
        assert sparql.status_code == 503, sparql.text
        assert "kg build" in sparql.json()["error"]["hint"]
    assert len(broken_client.app_state.sparql_executor.pids()) <= broken.sparql_workers
    assert broken_client.get("/health").status_code == 503


def test_entity_page_on_broken_store_is_503_with_the_hint(broken_client: TestClient) -> None:
    page = broken_client.get("/id/company/hostile-script", headers={"accept": "application/json"})
    assert page.status_code == 503
    assert "kg build" in page.json()["error"]["hint"]


def test_graphql_on_broken_store_says_store_unavailable_with_the_hint(broken_client: TestClient) -> None:
    body = broken_client.post("/graphql", json={"query": "{ entities(first: 1) { totalCount } }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
    assert "kg build" in body["errors"][0]["extensions"]["hint"]


def test_kg_serve_without_a_store_stays_up_and_answers_503(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import httpx

    from tests.reliability.load import _free_port

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_DATA_DIR": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT)})
    server = subprocess.Popen([sys.executable, "-m", "kg.cli.app", "serve", "--port", str(port)], env=env,
                              cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        health = None
        for _ in range(150):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health is not None and health.status_code == 503
        sparql = httpx.post(f"http://127.0.0.1:{port}/sparql", data={"query": "ASK {}"}, headers=JSON, timeout=10)
        assert sparql.status_code == 503 and "kg build" in sparql.json()["error"]["hint"]
        time.sleep(0.5)
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=15)
