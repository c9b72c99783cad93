"""Publish a release to a remote SPARQL store atomically: load into new named graphs, then switch a pointer.

    publisher = RemotePublisher(RemoteTarget.of("sparql+http://127.0.0.1:18890/sparql", user, password), base)
    publisher.publish(graphs, release_id)      # {graph name: N-Triples bytes or file}, e.g. from the local build

Everything sits on the server, in the control graph ``<base>graph/publication``:

- ``<base>graph/publication#current dct:identifier "<release>" ; dct:hasPart <graph>…`` — the pointer: the
  graphs of the release being served. `kg.remote_store.RemoteStore` reads it (at most every
  ``POINTER_TTL_S`` seconds) and scopes its queries to those graphs.
- ``<base>graph/publication/release/<id> dct:hasPart <graph>… ; dct:created …`` — a record per loaded release,
  written *before* its graphs are loaded, and ``prov:invalidatedAtTime`` once another release replaces it.

`publish`: (1) record the release; (2) load each graph into ``<base>graph/<name>/<release>`` with the Graph
Store Protocol (PUT, replacing it); (3) check every graph's triple count; (4) switch the pointer in **one**
SPARQL Update (one transaction on the server: readers see the old graphs or the new ones, never a mix);
(5) mark the previous release invalidated; (6) drop the graphs of releases not current for longer than the grace
period (also those of failed loads). A failure in (1)–(3) leaves the pointer, so the served release, untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from kg.errors import StoreError
from kg.remote_store import RemoteStore, pointer_iri

__all__ = ["GRACE_S", "PublishResult", "RemotePublisher", "RemoteTarget", "release_graph"]

GRACE_S = 600.0
"""Seconds a replaced release's graphs stay readable: longer than `POINTER_TTL_S` plus the longest query."""
_RELEASE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_DCT = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
Progress = Callable[[str], None]


def release_graph(base_iri: str, name: str, release: str) -> str:
    """The graph IRI of graph ``name`` (``curated``, ``import/cordis``…) in ``release``."""
    return f"{base_iri}graph/{name}/{release}"


@dataclass(frozen=True)
class RemoteTarget:
    """Where to write: the query endpoint, the SPARQL Update endpoint, the Graph Store endpoint, credentials."""

    query_url: str
    update_url: str
    graph_store_url: str
    user: str | None = None
    password: str | None = None

    @classmethod
    def of(cls, store: str, user: str | None = None, password: str | None = None, *,
           update_url: str | None = None, graph_store_url: str | None = None) -> RemoteTarget:
        """From a ``sparql+http://host:port/sparql`` setting; the write endpoints default to Virtuoso's
        authenticated ones on the same host (``/sparql-auth``, ``/sparql-graph-crud-auth``)."""
        query_url = RemoteStore.endpoint_of(store)
        parts = urlsplit(query_url)
        on_host = lambda path: urlunsplit((parts.scheme, parts.netloc, path, "", ""))  # noqa: E731
        return cls(query_url, update_url or on_host("/sparql-auth"),
                   graph_store_url or on_host("/sparql-graph-crud-auth"), user, password)


@dataclass(frozen=True)
class PublishResult:
    release: str
    graphs: dict[str, int]
    previous: str | None
    dropped: list[str]


class RemotePublisher:
    """Loads releases into a SPARQL 1.1 store and switches the served one (module docstring)."""

    def __init__(self, target: RemoteTarget, base_iri: str, *, grace_s: float = GRACE_S,
                 timeout_s: float = 600.0, progress: Progress | None = None) -> None:
        self.target, self.base_iri, self.grace_s = target, base_iri, grace_s
        self.pointer = pointer_iri(base_iri)
        self.control = self.pointer.split("#", 1)[0]
        self._say = progress or (lambda _line: None)
        auth = httpx.DigestAuth(target.user, target.password or "") if target.user else None
        self._client = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout_s, connect=10.0))
        self._reader = RemoteStore("sparql+" + target.query_url, timeout_s=timeout_s)

    def close(self) -> None:
        self._client.close()
        self._reader.close()

    def publish(self, graphs: Mapping[str, bytes | Path], release: str,
                expected: Mapping[str, int] | None = None) -> PublishResult:
        """Load ``graphs`` (name → N-Triples) as ``release``, check them, switch to it, prune old releases.

        Args:
            expected: triples per graph name (e.g. the build manifest); default: the lines of each N-Triples.

        Raises:
            StoreError: a write or a check failed; the served release is unchanged.
        """
        if not _RELEASE_ID.match(release):
            raise StoreError(f"bad release id {release!r}: letters, digits, '.', '_', '-' (at most 64)")
        iris = {name: release_graph(self.base_iri, name, release) for name in graphs}
        previous = self.current()
        if previous and previous[0] == release:
            raise StoreError(f"release {release} is already the current one on {self.target.query_url}")
        self._record(release, iris.values())
        counts = {}
        for name, content in graphs.items():
            self._say(f"loading {name} → <{iris[name]}>")
            self._put(iris[name], content)
            counts[name] = self.count(iris[name])
            want = (expected or {}).get(name, _lines(content))
            if counts[name] != want:
                raise StoreError(f"graph {name} of release {release}: {counts[name]} triples on the server, "
                                 f"{want} expected; the served release is unchanged")
            self._say(f"  {counts[name]} triples")
        self.switch(release, list(iris.values()))
        self._say(f"switched to {release} ({len(iris)} graphs)")
        if previous:
            self._invalidate(previous[0])
        dropped = self.prune()
        return PublishResult(release, counts, previous[0] if previous else None, dropped)

    def current(self) -> tuple[str, list[str]] | None:
        """The served release and its graphs, from the pointer (None before the first publication)."""
        rows = list(self._reader.send(
            f"SELECT ?release ?graph WHERE {{ GRAPH <{self.control}> {{ <{self.pointer}> <{_DCT}identifier> "
            f"?release ; <{_DCT}hasPart> ?graph }} }}", "application/sparql-results+json",
            default_graphs=(), named_graphs=()).json()["results"]["bindings"])
        if not rows:
            return None
        return rows[0]["release"]["value"], sorted(r["graph"]["value"] for r in rows)

    def switch(self, release: str, graphs: Iterable[str]) -> None:
        """Point ``<…publication#current>`` at ``graphs``: one SPARQL Update, so one transaction."""
        parts = " , ".join(f"<{g}>" for g in sorted(graphs))
        graph = f"GRAPH <{self.control}>"
        # The WHERE must match: Virtuoso 7.2 runs no INSERT when an OPTIONAL alone matches nothing (and none with
        # WITH), so the pointer always holds its dct:type triple, written first (idempotent).
        self.update(f"INSERT DATA {{ {graph} {{ <{self.pointer}> <{_DCT}type> \"publication pointer\" }} }}")
        self.update(
            f"DELETE {{ {graph} {{ <{self.pointer}> ?p ?o }} }} "
            f"INSERT {{ {graph} {{ <{self.pointer}> <{_DCT}type> \"publication pointer\" ; "
            f"<{_DCT}identifier> \"{release}\" ; <{_DCT}hasPart> {parts} ; "
            f"<{_DCT}modified> \"{_now()}\"^^<{_XSD}dateTime> }} }} "
            f"WHERE {{ {graph} {{ <{self.pointer}> ?p ?o }} }}")

    def prune(self, now: datetime | None = None) -> list[str]:
        """Drop the graphs of releases that are not current and were replaced (or recorded, for a load that
        never got switched to) more than the grace period ago; returns the graphs dropped."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(seconds=self.grace_s)).strftime("%Y-%m-%dT%H:%M:%SZ")
        current = self.current()
        rows = self._reader.send(
            f"SELECT ?record ?graph WHERE {{ GRAPH <{self.control}> {{ ?record <{_DCT}hasPart> ?graph ; "
            f"<{_DCT}created> ?created . OPTIONAL {{ ?record <{_PROV}invalidatedAtTime> ?gone }} "
            f"FILTER(?record != <{self.pointer}> && STR(COALESCE(?gone, ?created)) < \"{cutoff}\") }} }}",
            "application/sparql-results+json", default_graphs=(), named_graphs=()).json()["results"]["bindings"]
        keep = set(current[1]) if current else set()
        dropped = []
        for record in sorted({r["record"]["value"] for r in rows}):
            graphs = sorted(r["graph"]["value"] for r in rows if r["record"]["value"] == record)
            for graph in (g for g in graphs if g not in keep):
                self._say(f"dropping <{graph}>")
                self.update(f"DROP SILENT GRAPH <{graph}>")
                dropped.append(graph)
            self.update(f"DELETE WHERE {{ GRAPH <{self.control}> {{ <{record}> ?p ?o }} }}")
        return dropped

    def count(self, graph: str) -> int:
        body = self._reader.send(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                                 "application/sparql-results+json", default_graphs=(), named_graphs=()).json()
        return int(body["results"]["bindings"][0]["n"]["value"])

    def update(self, text: str) -> None:
        """One SPARQL 1.1 Update request (form-encoded ``update``)."""
        self._check(lambda: self._client.post(self.target.update_url, data={"update": text}), "update")

    def _record(self, release: str, graphs: Iterable[str]) -> None:
        parts = " , ".join(f"<{g}>" for g in sorted(graphs))
        self.update(f"INSERT DATA {{ GRAPH <{self.control}> {{ <{self._record_iri(release)}> <{_DCT}hasPart> "
                    f"{parts} ; <{_DCT}created> \"{_now()}\"^^<{_XSD}dateTime> }} }}")

    def _invalidate(self, release: str) -> None:
        self.update(f"INSERT DATA {{ GRAPH <{self.control}> {{ <{self._record_iri(release)}> "
                    f"<{_PROV}invalidatedAtTime> \"{_now()}\"^^<{_XSD}dateTime> }} }}")

    def _record_iri(self, release: str) -> str:
        return f"{self.control}/release/{release}"

    def _put(self, graph: str, content: bytes | Path) -> None:
        body = content.read_bytes() if isinstance(content, Path) else content
        self._check(lambda: self._client.put(self.target.graph_store_url, params={"graph-uri": graph},
                                             content=body, headers={"Content-Type": "text/turtle"}),
                    f"load of <{graph}>")  # N-Triples is Turtle

    def _check(self, send: Callable[[], httpx.Response], what: str) -> None:
        try:
            response = send()
        except httpx.HTTPError as exc:
            raise StoreError(f"{what} failed: {exc}", hint="is the store running? (scripts/virtuoso/start.sh)") from exc
        if response.status_code >= 300:
            raise StoreError(f"{what} failed on {response.request.url.copy_with(query=None)} "
                             f"({response.status_code}): {response.text[:300]}",
                             hint="check the write endpoints and credentials (kg publish --help)")


def _lines(content: bytes | Path) -> int:
    body = content.read_bytes() if isinstance(content, Path) else content
    return sum(1 for line in body.splitlines() if line.strip() and not line.lstrip().startswith(b"#"))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

