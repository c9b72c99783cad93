"""The published store: one Oxigraph directory per build and an atomically swapped ``current`` symlink.

Layout under ``Settings.data_dir``::

    stores/<build-id>/                  a published build: an Oxigraph (RocksDB) folder, never written again
    stores/<build-id>.json              what the build loaded (triples per graph, duration)
    stores/.building-<build-id>-<pid>/  a build in progress; removed by `prune` once its process is gone
    current  -> stores/<build-id>       the published store: what readers open
    previous -> stores/<build-id>       the one before it, kept for `rollback`
    .lock                               serialises publications

A build writes and fully loads its own staging directory, closes it and checks that it opens read-only
with the expected counts; then `publish` renames it to ``stores/<build-id>`` and points ``current`` at it by renaming a
temporary symlink over it (``os.replace``, atomic on POSIX). A failed or killed build therefore never touches
``current``. Stores other than ``current`` and ``previous`` are pruned. Readers use `KgStore` (read-only); a
long-running reader calls `KgStore.refresh` to follow publications.
The SPARQL default graph is the union of the named graphs (see docs/model.md).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from kg.config import PACKAGE_DIR, Settings
from kg.errors import QueryError, SourceError, StoreError
from kg.namespaces import PREFIXES
from kg.terms import OxTerm, graph_to_ntriples, to_oxigraph

__all__ = [
    "QUERIES_DIR", "Derivation", "GraphContent", "KgStore", "NamedQueries", "StagedStore", "StoreLayout", "load_query", "new_build_id",
    "prune", "publish", "published_path", "read_manifest", "rollback", "write_store",
]

QUERIES_DIR = PACKAGE_DIR / "queries"
_QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")
_BUILDING = ".building-"

GraphContent = rdflib.Graph | Path | bytes
Derivation = Callable[[ox.Store], None]
"""A step run on the open staging store after loading (see `write_store`)."""
"""What a named graph can be loaded from: an rdflib graph, an RDF file (format from its extension) or
N-Triples bytes."""


@dataclass(frozen=True)
class StoreLayout:
    """The paths of the store layout under one data directory."""

    data_dir: Path

    @classmethod
    def of(cls, settings: Settings) -> StoreLayout:
        return cls(Path(settings.data_dir))

    @property
    def stores(self) -> Path:
        return self.data_dir / "stores"

    @property
    def current(self) -> Path:
        return self.data_dir / "current"

    @property
    def previous(self) -> Path:
        return self.data_dir / "previous"

    @property
    def lock(self) -> Path:
        return self.data_dir / ".lock"

    def target(self, link: Path) -> Path | None:
        """The store directory a symlink points at, or None when the link does not exist."""
        try:
            raw = os.readlink(link)
        except FileNotFoundError:
            return None
        except OSError as exc:  # exists but is not a symlink
            raise StoreError(f"{link} is not a symlink to a store ({exc.strerror})") from exc
        return (link.parent / raw).resolve()


def new_build_id() -> str:
    """A sortable, unique build id: UTC time plus a random suffix, e.g. ``20250411T093000Z-3f9a``."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def published_path(settings: Settings) -> Path | None:
    """The directory of the published store (target of ``current``), or None when nothing is published."""
    return StoreLayout.of(settings).target(StoreLayout.of(settings).current)


# --------------------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class StagedStore:
    """A fully written, closed and checked store that is not yet published."""

    build_id: str
    path: Path
    triples: dict[str, int]


def write_store(settings: Settings, build_id: str, graphs: Mapping[str, Sequence[GraphContent]],
                derive: Derivation | None = None) -> StagedStore:
    """Write a new store holding ``graphs`` (graph IRI → contents) under a staging name; do not publish it.

    ``derive``, when given, runs on the open store once ``graphs`` are loaded and may add graphs of its own
    (inferences, aggregates) before the store is closed: data too large for rdflib never leaves Oxigraph.

    The store is loaded, closed, reopened read-only and its counts checked. It keeps its staging name
    (``stores/.building-<id>-<pid>``, protected from `prune` while this process lives) until `publish`.

    Raises:
        SourceError: a file given as content cannot be parsed.
        StoreError: the store cannot be written or does not read back as written.
    """
    layout = StoreLayout.of(settings)
    layout.stores.mkdir(parents=True, exist_ok=True)
    staging = layout.stores / f"{_BUILDING}{build_id}-{os.getpid()}"
    try:
        expected = _load_and_close(staging, graphs, derive)
        counts = _count_graphs(staging)
        if counts != expected:
            raise StoreError(f"store {staging} read back {counts} triples per graph, wrote {expected}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StagedStore(build_id, staging, counts)


def _load_and_close(path: Path, graphs: Mapping[str, Sequence[GraphContent]],
                    derive: Derivation | None = None) -> dict[str, int]:
    try:
        store = ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot create a store in {path}: {exc}") from exc
    for graph_iri, contents in graphs.items():
        for content in contents:
            _load_one(store, ox.NamedNode(graph_iri), content)
    if derive is not None:
        derive(store)
    store.flush()
    store.optimize()
    counts = _graph_counts(store)
    del store  # dropping the last reference closes RocksDB
    return counts


def _load_one(store: ox.Store, graph: ox.NamedNode, content: GraphContent) -> None:
    if isinstance(content, rdflib.Graph):
        content = graph_to_ntriples(content)
    if isinstance(content, bytes):
        store.bulk_load(input=content, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        return
    rdf_format = ox.RdfFormat.from_extension(content.suffix.lstrip("."))
    if rdf_format is None:
        raise SourceError(f"unknown RDF file extension {content.suffix!r}", location=str(content))
    try:
        store.bulk_load(path=str(content), format=rdf_format, to_graph=graph)
    except SyntaxError as exc:
        raise SourceError(f"RDF syntax error: {exc}", location=str(content)) from exc


def _graph_counts(store: ox.Store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def _count_graphs(path: Path) -> dict[str, int]:
    try:
        store = ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"the new store {path} does not open read-only: {exc}") from exc
    return _graph_counts(store)


def _write_manifest(store_dir: Path, info: Mapping[str, Any]) -> None:
    path = store_dir.with_name(store_dir.name + ".json")
    path.write_text(json.dumps(info, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def read_manifest(store_dir: Path) -> dict[str, Any]:
    """The build metadata of a store directory ({} when absent or unreadable)."""
    try:
        return json.loads(store_dir.with_name(store_dir.name + ".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# ------------------------------------------------------------------------------------------ publishing


@contextmanager
def _locked(layout: StoreLayout) -> Iterator[None]:
    layout.data_dir.mkdir(parents=True, exist_ok=True)
    with open(layout.lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _swap_link(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` atomically: a temporary symlink renamed over it."""
    tmp = link.with_name(f".{link.name}-{os.getpid()}-{secrets.token_hex(4)}")
    os.symlink(os.path.relpath(target, link.parent), tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(link.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(settings: Settings, staged: StagedStore, manifest: Mapping[str, Any] | None = None) -> Path:
    """Publish a staged store: rename it to ``stores/<build-id>``, write its manifest, swap ``current``.

    The store ``current`` pointed at becomes ``previous``; older stores are pruned.

    Returns:
        the store directory now published.
    """
    layout = StoreLayout.of(settings)
    final = layout.stores / staged.build_id
    with _locked(layout):
        if final.exists():
            raise StoreError(f"store {final} already exists", hint="build again: a new build id is drawn")
        if not staged.path.is_dir():
            raise StoreError(f"staged store {staged.path} is missing")
        os.rename(staged.path, final)
        _write_manifest(final, {"build_id": staged.build_id, "triples": staged.triples, **(manifest or {})})
        old = layout.target(layout.current)
        _swap_link(layout.current, final)
        if old is not None and old != final.resolve():
            _swap_link(layout.previous, old)
        _prune_locked(layout)
    return final.resolve()


def rollback(settings: Settings) -> Path:
    """Swap ``current`` and ``previous``: serve the store published before the current one.

    Raises:
        StoreError: there is no previous store.
    """
    layout = StoreLayout.of(settings)
    with _locked(layout):
        old_current, old_previous = layout.target(layout.current), layout.target(layout.previous)
        if old_previous is None or not old_previous.is_dir():
            raise StoreError("there is no previous store to roll back to", hint="run `kg build`")
        _swap_link(layout.current, old_previous)
        if old_current is not None:
            _swap_link(layout.previous, old_current)
    return old_previous


def prune(settings: Settings) -> list[Path]:
    """Remove stores other than ``current`` and ``previous``, and leftovers of builds whose process died."""
    layout = StoreLayout.of(settings)
    with _locked(layout):
        return _prune_locked(layout)


def _prune_locked(layout: StoreLayout) -> list[Path]:
    if not layout.stores.is_dir():
        return []
    keep = {p for p in (layout.target(layout.current), layout.target(layout.previous)) if p is not None}
    removed = []
    for entry in sorted(layout.stores.iterdir()):
        if entry.name.startswith(_BUILDING):
            if _pid_alive(entry.name.rsplit("-", 1)[-1]):
                continue
        elif entry.suffix == ".json":
            if entry.with_suffix("").resolve() in keep:
                continue
        elif entry.resolve() in keep:
            continue
        _remove(entry)
        removed.append(entry)
    return removed


def _pid_alive(pid_text: str) -> bool:
    try:
        os.kill(int(pid_text), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


# -------------------------------------------------------------------------------------------- reading


@lru_cache(maxsize=256)
def load_query(name: str) -> str:
    """The text of ``kg/queries/<name>.rq`` (``name`` may hold sub-folders: ``inference/within``); cached.

    Raises:
        QueryError: the name is malformed or no such query file exists.
    """
    if not _QUERY_NAME.match(name):
        raise QueryError(f"bad query name {name!r}: lower-case words, '-', '_' and '/' only")
    path = QUERIES_DIR / f"{name}.rq"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise QueryError(f"no named query {name!r} ({path} does not exist)") from exc


class NamedQueries:
    """``query_named`` and ``rows`` over a store's ``query(text, bindings)`` (KgStore and RemoteStore)."""

    def query_named(self, name: str, **bindings: Any) -> Any:
        """Run ``kg/queries/<name>.rq`` with ``bindings`` substituted (see `query`)."""
        return self.query(load_query(name), bindings)

    def rows(self, name: str, **bindings: Any) -> list[dict[str, OxTerm | None]]:
        """The solutions of a named SELECT query as dicts (unbound variables are None)."""
        solutions = self.query_named(name, **bindings)
        names = [v.value for v in solutions.variables]
        return [{n: row[n] for n in names} for row in solutions]


class KgStore(NamedQueries):
    """A read-only view of one store directory, with the named graphs' union as default graph.

    >>> store = KgStore.open_published(settings)          # doctest: +SKIP
    >>> store.query_named("investai-budget").__next__()   # doctest: +SKIP
    """

    def __init__(self, path: Path, *, link: Path | None = None) -> None:
        self.path = Path(path)
        self._link = link
        self._link_target = _readlink(link) if link else None
        self._store = _open_read_only(self.path)

    @classmethod
    def open(cls, path: Path) -> KgStore:
        """Open a store directory read-only."""
        return cls(path)

    @classmethod
    def open_published(cls, settings: Settings) -> KgStore:
        """Open the published store (``<data_dir>/current``) read-only.

        Raises:
            StoreError: nothing is published, or the store is missing or corrupt (hint: run `kg build`).
        """
        if settings.store != "oxigraph":
            raise StoreError(f"store backend {settings.store!r} is not supported by KgStore",
                             hint="set KG_STORE=oxigraph")
        layout = StoreLayout.of(settings)
        target = layout.target(layout.current)
        if target is None:
            raise StoreError(f"no published store: {layout.current} does not exist")
        if not target.is_dir():
            raise StoreError(f"the published store {target} is missing ({layout.current} points at nothing)")
        return cls(target, link=layout.current)

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              default_prefixes: bool = False) -> Any:
        """Run a SPARQL query over the union of all graphs.

        Args:
            sparql: the query text.
            bindings: variable name (without ``?``) → value, substituted before evaluation (pyoxigraph
                ``substitutions``, SEP-0007: a SELECT must project the variable); rdflib terms, pyoxigraph
                terms and plain Python values are accepted.
            default_prefixes: let the query use the project prefixes (``eip:``, ``prov:``…) undeclared.

        Returns:
            pyoxigraph ``QuerySolutions`` (SELECT), ``QueryBoolean`` (ASK) or ``QueryTriples``.

        Raises:
            QueryError: the query does not parse. StoreError: the store cannot be read.
        """
        substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(sparql, use_default_graph_as_union=True,
                                     substitutions=substitutions or None,
                                     prefixes=PREFIXES if default_prefixes else None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (ValueError, RuntimeError) as exc:  # evaluation errors, e.g. a binding of an unknown variable
            raise QueryError(f"SPARQL query failed: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc}") from exc

    def graph_counts(self) -> dict[str, int]:
        """Triples per named graph IRI."""
        return _graph_counts(self._store)

    def changed(self) -> bool:
        """True when ``current`` now points elsewhere than when this store was opened (one readlink)."""
        return self._link is not None and _readlink(self._link) != self._link_target

    def refresh(self) -> bool:
        """Reopen on the newly published store if `changed`; return whether it did.

        Queries already running keep the old store object alive until they finish.
        """
        if not self.changed():
            return False
        assert self._link is not None
        target = (self._link.parent / (_readlink(self._link) or "")).resolve()
        store = _open_read_only(target)
        self._store, self.path, self._link_target = store, target, _readlink(self._link)
        return True

    @property
    def revision(self) -> str:
        """What this store serves now (its directory); changes when `refresh` follows a publication."""
        return str(self.path)

    @property
    def raw(self) -> ox.Store:
        """The underlying read-only pyoxigraph store."""
        return self._store


def _readlink(link: Path) -> str | None:
    try:
        return os.readlink(link)
    except OSError:
        return None


def _open_read_only(path: Path) -> ox.Store:
    if not path.is_dir():
        raise StoreError(f"store directory {path} does not exist")
    try:
        store = ox.Store.read_only(str(path))
        store.query("ASK { GRAPH ?g { ?s ?p ?o } }")
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise StoreError(f"store {path} is corrupt or unreadable: {exc}") from exc
    return store
