"""Child side of the query pool: one process holding the published store open read-only.

The parent (``api.sparql.executor``) starts ``python -c … main(fd, parent_pid)`` with one end of a socket
pair, sends ``(current, prefixes)`` first, then ``Job`` objects, and reads one ``Outcome`` back per job.
The worker never times itself out: pyoxigraph cannot cancel a query, so the parent kills this process
(SIGKILL) when a job overruns and starts a fresh one. Before each job the worker resolves the ``current``
symlink and reopens the store when it points at a new publication.

Only pyoxigraph and the standard library are imported here, so a worker starts in milliseconds.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from dataclasses import replace
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection

import pyoxigraph as ox

from api.sparql.jobs import BOOLEAN, GRAPH, RESULTS_JSON, SOLUTIONS, Job, Outcome
from api.sparql.results import boolean_body, graph_body, solutions_body

__all__ = ["StoreHandle", "execute", "main", "serialise", "serve"]


class _TooManyRows(Exception):
    pass


class _NativeOverflow(Exception):
    """The natively serialised result passed ``NATIVE_BYTES_BOUND``: serialise it row by row instead."""


NATIVE_BYTES_BOUND = 64 * 2**20
"""Past this many bytes a natively serialised result is abandoned and the query re-run row by row (capped)."""
_MIN_JSON_ROW_BYTES = 3
"""The fewest bytes one solution takes in oxigraph's SPARQL JSON results: ``{}`` and a comma."""


class _BoundedSink:
    """A write-only buffer for ``QuerySolutions.serialize`` that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _NativeOverflow
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered outside ``parts``."""


class StoreHandle:
    """The published store, reopened when the ``current`` symlink moves to a new publication."""

    def __init__(self, current: str) -> None:
        self.current = current
        self.target = ""
        self.store: ox.Store | None = None

    def get(self) -> ox.Store | None:
        """The store ``current`` points at now, or None when nothing is published."""
        target = os.path.realpath(self.current)
        if target != self.target or self.store is None:
            self.store = ox.Store.read_only(target) if os.path.isdir(target) else None
            self.target = target if self.store is not None else ""
        return self.store


def _capped(items: Iterator, job: Job) -> tuple[list, bool]:
    taken = []
    for item in items:
        if len(taken) == job.max_rows:
            if job.truncate:
                return taken, True
            raise _TooManyRows
        taken.append(item)
    return taken, False


def _dataset_options(job: Job) -> dict[str, object]:
    if job.default_graphs is None and job.named_graphs is None:
        return {"use_default_graph_as_union": job.union_default_graph}
    return {
        "default_graph": [ox.NamedNode(iri) for iri in job.default_graphs or ()],
        "named_graphs": [ox.NamedNode(iri) for iri in job.named_graphs or ()],
    }


def serialise(result: object, job: Job, prefixes: dict[str, str]) -> Outcome:
    """A query result as the job asks: in its media type, within its row cap (else an ``Outcome`` error)."""
    try:
        return _serialise(result, job, prefixes)
    except _TooManyRows:
        return Outcome(error="rows", message=f"the result has more than {job.max_rows} rows")


def _serialise(result: object, job: Job, prefixes: dict[str, str]) -> Outcome:
    if isinstance(result, ox.QueryBoolean):
        kind = BOOLEAN
    elif isinstance(result, ox.QuerySolutions):
        kind = SOLUTIONS
    else:
        kind = GRAPH
    media_type = job.formats.get(kind)
    if media_type is None:
        return Outcome(error="not-acceptable", kind=kind,
                       message=f"no acceptable media type for a {kind} result")
    if kind == BOOLEAN:
        return Outcome(kind=kind, media_type=media_type, body=boolean_body(media_type, bool(result)), rows=1)
    if kind == SOLUTIONS and media_type == RESULTS_JSON and job.native and not job.truncate:
        return _native_json(result, job, media_type)
    if kind == SOLUTIONS:
        names = [variable.value for variable in result.variables]
        rows, truncated = _capped((list(solution) for solution in result), job)
        body = solutions_body(media_type, names, rows)
    else:
        rows, truncated = _capped(iter(result), job)
        body = graph_body(media_type, rows, prefixes)
    return Outcome(kind=kind, media_type=media_type, body=body, rows=len(rows), truncated=truncated)


def _native_json(result: ox.QuerySolutions, job: Job, media_type: str) -> Outcome:
    """SPARQL JSON written by oxigraph itself, about 5 times faster than term-by-term Python.

    The row cap stays exact: a body shorter than ``(max_rows + 1)`` of the smallest possible solutions cannot
    hold too many rows; a longer one is parsed back and counted. Past ``NATIVE_BYTES_BOUND`` the sink refuses
    more bytes and ``_NativeOverflow`` tells ``execute`` to re-run the query on the capped row-by-row path.
    """
    sink = _BoundedSink(NATIVE_BYTES_BOUND)
    result.serialize(sink, ox.QueryResultsFormat.JSON)  # the sink's _NativeOverflow passes through
    body = b"".join(sink.parts)
    rows = None
    if len(body) >= _MIN_JSON_ROW_BYTES * (job.max_rows + 1):
        rows = sum(1 for _ in ox.parse_query_results(body, ox.QueryResultsFormat.JSON))
        if rows > job.max_rows:
            raise _TooManyRows
    return Outcome(kind=SOLUTIONS, media_type=media_type, body=body, rows=rows)


def execute(handle: StoreHandle, job: Job, prefixes: dict[str, str]) -> Outcome:
    """Run one job against the store; every expected failure becomes an ``Outcome`` with ``error`` set."""
    try:
        store = handle.get()
    except (OSError, RuntimeError, ValueError) as exc:
        return Outcome(error="no-store", message="the published store cannot be read", detail=repr(exc))
    if store is None:
        return Outcome(error="no-store", message="no published store")
    try:
        result = store.query(job.query, base_iri=job.base_iri or None, **_dataset_options(job))
        try:
            return serialise(result, job, prefixes)
        except _NativeOverflow:
            result = store.query(job.query, base_iri=job.base_iri or None, **_dataset_options(job))
            return serialise(result, replace(job, native=False), prefixes)
    except SyntaxError as exc:
        return Outcome(error="syntax", message=str(exc))
    except _TooManyRows:
        return Outcome(error="rows", message=f"the result has more than {job.max_rows} rows")
    except (ValueError, RuntimeError) as exc:  # raised by evaluation: unsupported function, bad argument…
        return Outcome(error="evaluation", message=str(exc) or type(exc).__name__, detail=repr(exc))
    except OSError as exc:
        return Outcome(error="io", message="the query failed while reading data", detail=repr(exc))


def serve(conn: Connection, current: str, prefixes: dict[str, str]) -> None:
    """Worker main loop: answer each ``Job`` received on ``conn`` with an ``Outcome`` until EOF."""
    handle = StoreHandle(current)
    try:
        handle.get()
    except (OSError, RuntimeError):
        pass  # reported on the first job
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(handle, job, prefixes))


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies, so no orphan keeps computing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the worker still exits at the next EOF on its connection
    if os.getppid() != parent_pid:
        os._exit(0)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of a worker process: ``main([fd, parent_pid])``."""
    fd, parent_pid = (int(arg) for arg in (argv if argv is not None else sys.argv[1:]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops workers itself
    _die_with_parent(parent_pid)
    conn = Connection(fd)
    try:
        current, prefixes = conn.recv()
    except (EOFError, OSError):
        return
    serve(conn, current, prefixes)
