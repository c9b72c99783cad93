"""/sparql on a remote store: each ``Job`` is forwarded to the store's SPARQL endpoint instead of a worker.

``RemoteExecutor`` has the executor's interface (``start``, ``close``, ``pids``, ``run(job) -> Outcome``), so the
router's protocol parsing, negotiation, SERVICE refusal, query-size and row limits and error mapping are the same
for both stores. The endpoint is asked for SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE);
the answer is parsed and written again by the worker's own serialiser (``api.sparql.worker.serialise``) in the
negotiated format, with the row cap.

Time limit: the HTTP client gives up after ``Settings.sparql_timeout_s`` (then `QueryTimeout`), and the endpoint
is told the same limit through ``Settings.store_timeout_param`` (Virtuoso's ``timeout``, milliseconds), so it
stops working on the query too. Virtuoso then answers 200 with partial results and ``X-SQL-State: S1TAT``
(its "anytime" queries); that answer is refused as a timeout rather than served incomplete. Queries whose
estimated cost is over the server's own limit are refused by it (Virtuoso: SQL state 42000, "estimated
execution time … exceeds the limit"), also answered as a timeout.

Dataset: the protocol's ``default-graph-uri``/``named-graph-uri`` are passed through; without them the query
runs on the store's graphs (``Settings.store_graphs``, or the endpoint's default dataset), except when the
query has its own FROM / FROM NAMED clauses, which then apply.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from api.sparql.jobs import Job, Outcome
from api.sparql.worker import serialise
from kg.errors import QueryError, QueryTimeout, StoreError
from kg.remote_store import RemoteStore, parse_body, query_kind

__all__ = ["RemoteExecutor"]

_ACCEPT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
           "CONSTRUCT": "application/n-triples", "DESCRIBE": "application/n-triples"}
_TIMEOUT_STATES = {"S1TAT"}
"""Virtuoso's SQL state of a query cut short by its ``timeout`` parameter (partial results follow)."""
_OVER_COST = "exceeds the limit"


class RemoteExecutor:
    """Runs /sparql jobs on the endpoint of a `RemoteStore`.

    Args:
        store: returns the app's remote store (``api.deps.app_store``), called for every job.
        timeout_s: the time limit of one query.
        prefixes: prefixes offered to the Turtle/RDF-XML/JSON-LD writers.
        timeout_param: the endpoint's time-limit parameter (milliseconds); empty: none sent.
    """

    def __init__(self, store: Callable[[], RemoteStore], *, timeout_s: float, prefixes: dict[str, str],
                 timeout_param: str = "") -> None:
        self._store = store
        self.size = 0  # no worker processes (``/health`` reports the pool's size)
        self.timeout_s = timeout_s
        self.prefixes = dict(prefixes)
        self.timeout_param = timeout_param

    def start(self) -> None:
        """Nothing to start: the HTTP client connects on the first query."""

    def close(self) -> None:
        """Nothing to stop here: the app closes its store."""

    def pids(self) -> list[int]:
        """No worker processes."""
        return []

    def run(self, job: Job) -> Outcome:
        """Forward ``job`` to the endpoint and serialise its answer like a worker does.

        Raises:
            QueryTimeout: no answer within the limit, or the endpoint stopped or refused the query for its time.
            StoreError: the endpoint cannot be reached (its server errors become an ``io`` outcome: 500, or 502
                when the query has a SERVICE clause).
        """
        store = self._store()
        try:
            kind = query_kind(job.query)
        except QueryError as exc:
            return Outcome(error="syntax", message=str(exc))
        extra = {self.timeout_param: str(int(self.timeout_s * 1000))} if self.timeout_param else {}
        try:
            default, named = _dataset(job)
            response = store.send(_with_base(job), _ACCEPT[kind], default_graphs=default, named_graphs=named,
                                  extra=extra)
        except QueryTimeout:
            raise
        except QueryError as exc:
            return Outcome(error="syntax", message=_syntax_message(job) or str(exc))
        except StoreError as exc:
            if exc.__cause__ is not None:  # not reached: the transport failed
                raise
            if _OVER_COST in str(exc):
                raise QueryTimeout(f"the store refused the query as too costly for its time limit: {exc}",
                                   hint="narrow the query (bind a subject or a type, add LIMIT)") from None
            return Outcome(error="io", message="the store failed while answering the query", detail=str(exc))
        if response.headers.get("x-sql-state") in _TIMEOUT_STATES:
            raise QueryTimeout(f"the store stopped the query at the time limit ({self.timeout_s:g} s)",
                               hint="narrow the query or page through it with LIMIT/OFFSET")
        try:
            result = parse_body(kind, response.content)
        except (SyntaxError, ValueError) as exc:
            return Outcome(error="io", message="the store answered with an unreadable result", detail=repr(exc))
        return serialise(result, job, self.prefixes)


def _syntax_message(job: Job) -> str:
    """The embedded parser's message (with line:column) for a query the endpoint refused, if it fails too.

    Only called after a refusal, and only parsing is wanted: a SELECT/CONSTRUCT/DESCRIBE is not iterated;
    an ASK is evaluated, but on an empty in-memory store.
    """
    try:
        ox.Store().query(job.query, base_iri=job.base_iri or None)
    except SyntaxError as exc:
        return str(exc)
    except (ValueError, RuntimeError, OSError):
        return ""
    return ""


def _with_base(job: Job) -> str:
    """The query resolved against the endpoint URL, as the embedded store does (the protocol has no base)."""
    return f"BASE <{job.base_iri}>\n{job.query}" if job.base_iri else job.query


def _dataset(job: Job) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Default and named graphs to send: the protocol's, none (the query's FROM), or None (the store's)."""
    if job.default_graphs is not None or job.named_graphs is not None:
        return job.default_graphs or (), job.named_graphs or ()
    if not job.union_default_graph:
        return (), ()
    return None, None
