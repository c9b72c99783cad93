"""The two store backends the API tests run on: the embedded Oxigraph store and Virtuoso over SPARQL.

``BACKENDS`` parametrises a fixture; ``on_backend(name, settings)`` turns settings serving a published embedded
store into settings serving the same data from the chosen backend. For Virtuoso (``scripts/virtuoso``, the
endpoint of ``KG_STORE`` when it is remote, else ``127.0.0.1:18890``) every named graph of the published store is
copied with scripts/virtuoso/load.sh into a graph of its own, named by a digest of the whole dataset
(``http://kg-test.invalid/<digest>/<n>``), so datasets of different test modules never overwrite each other, and
the settings restrict queries to those graphs (``store_graphs``). ``keep_names=True`` keeps the original graph
IRIs instead, for tests that look at graph names. Copies are made once per content, under a file lock shared
by pytest-xdist workers. Without a server the Virtuoso variant is skipped with the reason.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.config import PROJECT_ROOT, Settings
from kg.remote_store import RemoteStore, is_remote
from kg.store import KgStore

__all__ = [
    "BACKENDS", "OXIGRAPH", "PPATH_ALTERNATIVE", "VIRTUOSO", "on_backend", "virtuoso_store", "xfail_on_virtuoso",
]

OXIGRAPH = "oxigraph"
VIRTUOSO = "virtuoso"
BACKENDS = [OXIGRAPH, pytest.param(VIRTUOSO, marks=pytest.mark.virtuoso)]
DEFAULT_ENDPOINT = "sparql+http://127.0.0.1:18890/sparql"
LOAD_SCRIPT = PROJECT_ROOT / "scripts" / "virtuoso" / "load.sh"
_LOCK = PROJECT_ROOT / "var" / "virtuoso" / "test-load.lock"
_TEST_GRAPHS = "http://kg-test.invalid/"


PPATH_ALTERNATIVE = (
    "Virtuoso 7.2.5 cannot compile a path alternative holding a sequence, (a/b)|c: SP031 \"Weird '|' ppath\"")


def xfail_on_virtuoso(request: pytest.FixtureRequest, reason: str) -> None:
    """Mark the running test a strict xfail when it runs on Virtuoso (``reason``: the server's own fault)."""
    if VIRTUOSO in request.node.callspec.id.split("-"):
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def virtuoso_store() -> str:
    """The Virtuoso store setting (``sparql+http://…``); skips the test when no server answers."""
    configured = Settings().store
    store = configured if is_remote(Settings()) else DEFAULT_ENDPOINT
    url = RemoteStore.endpoint_of(store)
    try:
        httpx.get(url, params={"query": "ASK {}"}, timeout=3).raise_for_status()
    except httpx.HTTPError as exc:
        pytest.skip(f"no Virtuoso answers on {url} ({type(exc).__name__}); start one with "
                    "scripts/virtuoso/install.sh && scripts/virtuoso/start.sh")
    if shutil.which("isql-vt") is None:
        pytest.skip("isql-vt (the Virtuoso client that load.sh uses) is not installed: scripts/virtuoso/install.sh")
    return store


def on_backend(backend: str, settings: Settings, *, keep_names: bool = False) -> Settings:
    """``settings`` (serving their published embedded store) made to serve the same data from ``backend``."""
    if backend == OXIGRAPH:
        return settings.model_copy(update={"store": "oxigraph", "store_graphs": []})
    store = virtuoso_store()
    dumps = _dumps(KgStore.open_published(settings))
    digest = hashlib.sha256(b"".join(iri.encode() + b"\n" + body for iri, body in dumps.items())).hexdigest()[:16]
    names = {iri: iri if keep_names else f"{_TEST_GRAPHS}{digest}/{n}" for n, iri in enumerate(dumps)}
    _copy(store, {names[iri]: body for iri, body in dumps.items()})
    return settings.model_copy(update={"store": store, "store_graphs": list(names.values())})


def _dumps(store: KgStore) -> dict[str, bytes]:
    """Each named graph of ``store`` as sorted N-Triples."""
    dumps = {}
    for graph in sorted(store.graph_counts()):
        triples = [quad.triple for quad in store.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
        dumps[graph] = b"".join(sorted(lines))
    return dumps


def _copy(store: str, graphs: dict[str, bytes]) -> None:
    remote = RemoteStore(store, timeout_s=60)
    try:
        with _locked():
            for iri, body in graphs.items():
                if _count(remote, iri) != body.count(b"\n"):
                    _load(iri, body)
    finally:
        remote.close()


def _count(remote: RemoteStore, graph: str) -> int:
    rows = remote.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return next(int(row["n"].value) for row in rows)


def _load(graph: str, body: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"kg-test-{hashlib.sha256(graph.encode()).hexdigest()[:12]}.nt"
        path.write_bytes(body)
        subprocess.run([str(LOAD_SCRIPT), str(path), graph], check=True, capture_output=True)


@contextmanager
def _locked() -> Iterator[None]:
    _LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(_LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
