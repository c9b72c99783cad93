"""Routes of ``/sparql``: the protocol endpoint, its service description and its query page.

GET and POST share one path through ``_answer``: read the protocol request, then either describe the
service / show the page (no query) or analyse, negotiate, run on the worker pool and answer. Both
``/sparql`` and ``/sparql/`` are served (the W3C tests use the latter), without a redirect.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ExecutorDep, SettingsDep
from api.errors import HttpProblem, status_of
from api.sparql import description
from api.sparql.analysis import QueryShape, analyse, refuse_forbidden
from api.sparql.executor import Executor
from api.sparql.jobs import BOOLEAN, GRAPH, SOLUTIONS, TABLE, Job, Outcome
from api.sparql.negotiation import (
    GRAPH_OFFERS, OFFERS_BY_KIND, TABULAR, from_format_param, negotiate, prefers_html,
)
from api.sparql.page import PAGE_ROWS, query_page, result_view
from api.sparql.protocol import ProtocolRequest, read_request
from kg.config import Settings
from kg.errors import KgError, QueryError, StoreError

__all__ = ["build_router"]

log = logging.getLogger(__name__)

_FORM_KINDS = {"SELECT": SOLUTIONS, "ASK": BOOLEAN, "CONSTRUCT": GRAPH, "DESCRIBE": GRAPH}
_EXTENSIONS = {
    "application/sparql-results+json": "json", "application/sparql-results+xml": "xml", "text/csv": "csv",
    "text/tab-separated-values": "tsv", "text/turtle": "ttl", "application/n-triples": "nt",
    "application/ld+json": "jsonld", "application/rdf+xml": "rdf",
}


def _endpoint(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


def _formats(preq: ProtocolRequest, accept: str | None, html: bool) -> dict[str, str]:
    if html:
        return {SOLUTIONS: TABLE, BOOLEAN: TABLE, GRAPH: TABLE}
    chosen = {}
    for kind, offers in OFFERS_BY_KIND.items():
        media_type = from_format_param(preq.formats, kind) or negotiate(accept, offers)
        if media_type is not None:
            chosen[kind] = media_type
    return chosen


def _not_acceptable(kind: str, accept: str | None) -> HttpProblem:
    offers = OFFERS_BY_KIND[kind]
    produced = ", ".join(dict.fromkeys(media for _, media in offers))
    return HttpProblem(406, f"cannot answer a {kind} result as {accept!r}",
                       hint=f"accept one of: {produced}")


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[:limit].rstrip() + " …"


def _raise_for(outcome: Outcome, settings: Settings, accept: str | None, shape: QueryShape) -> None:
    if outcome.error == "syntax":
        raise QueryError(f"syntax error: {_short(outcome.message)}",
                         hint="fix the query text at the position given")
    if outcome.error == "rows":
        raise QueryError(
            f"{outcome.message} (limit: {settings.sparql_max_rows})",
            hint="add LIMIT/OFFSET to page through the result, or aggregate; the cap is KG_SPARQL_MAX_ROWS",
        )
    if outcome.error == "not-acceptable":
        raise _not_acceptable(outcome.kind, accept)
    if outcome.error == "no-store":
        raise StoreError(outcome.message if outcome.message != "no published store" else
                         "no graph has been published yet")
    if outcome.error == "evaluation" and not shape.services:
        raise QueryError(f"the query cannot be evaluated: {_short(outcome.message)}",
                         hint="check the functions and arguments the query uses (SPARQL 1.1 built-ins only)")
    if outcome.error:
        log.error("SPARQL query failed in the worker: %s", outcome.detail)
        if shape.services:
            raise HttpProblem(502, "the query failed; a SERVICE endpoint failed or is unreachable",
                              hint="use SERVICE SILENT to ignore a failing endpoint")
        raise HttpProblem(500, outcome.message, hint="retry; if it persists, report it to the operators")


def _download_headers(preq: ProtocolRequest, media_type: str) -> dict[str, str]:
    if not preq.formats:
        return {}
    return {"Content-Disposition": f'attachment; filename="query-results.{_EXTENSIONS[media_type]}"'}


async def _run(executor: Executor, job: Job) -> Outcome:
    return await run_in_threadpool(executor.run, job)


async def _describe(request: Request, settings: Settings, executor: Executor) -> Response:
    media_type = negotiate(request.headers.get("accept"), GRAPH_OFFERS)
    if media_type is None:
        raise _not_acceptable(GRAPH, request.headers.get("accept"))
    try:
        graphs = description.read_named_graphs(await _run(executor, description.named_graphs_job("")))
    except (KgError, HttpProblem):
        graphs = []
    graph = description.describe(_endpoint(request), settings, graphs)
    body = description.serialise(graph, media_type)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


async def _execute(request: Request, settings: Settings, executor: Executor, preq: ProtocolRequest,
                   html: bool) -> Outcome:
    accept = request.headers.get("accept")
    assert preq.query is not None
    shape = analyse(preq.query)
    refuse_forbidden(shape, settings.service_allowlist)
    formats = _formats(preq, accept, html)
    kind = _FORM_KINDS.get(shape.form or "")
    if kind is not None and kind not in formats:
        raise _not_acceptable(kind, accept)
    job = Job(
        query=preq.query, base_iri=_endpoint(request), formats=formats,
        default_graphs=preq.default_graphs if preq.has_dataset else None,
        named_graphs=preq.named_graphs if preq.has_dataset else None,
        union_default_graph=not shape.has_dataset_clause,
        max_rows=min(PAGE_ROWS, settings.sparql_max_rows) if html else settings.sparql_max_rows,
        truncate=html,
    )
    outcome = await _run(executor, job)
    _raise_for(outcome, settings, accept, shape)
    return outcome


async def _answer(request: Request, settings: Settings, executor: Executor) -> Response:
    preq = await read_request(request, settings.sparql_max_query_bytes)
    accept = request.headers.get("accept")
    html = not preq.formats and prefers_html(accept, TABULAR + GRAPH_OFFERS)
    if preq.query is None:
        return query_page(settings, preq) if html else await _describe(request, settings, executor)
    if not html:
        outcome = await _execute(request, settings, executor, preq, html=False)
        headers = {"Vary": "Accept", **_download_headers(preq, outcome.media_type)}
        return Response(outcome.body, media_type=outcome.media_type, headers=headers)
    try:
        outcome = await _execute(request, settings, executor, preq, html=True)
    except KgError as exc:
        return query_page(settings, preq, error=(type(exc).__name__, str(exc), exc.hint),
                          status_code=status_of(exc))
    except HttpProblem as exc:
        return query_page(settings, preq, error=("Error", exc.message, exc.hint), status_code=exc.status)
    return query_page(settings, preq, result=result_view(outcome))


def build_router() -> APIRouter:
    """The ``/sparql`` router (GET and POST, with and without a trailing slash)."""
    router = APIRouter(tags=["sparql"])

    @router.get("/sparql", summary="SPARQL 1.1 query (GET), service description, or the query page")
    async def sparql_get(request: Request, settings: SettingsDep, executor: ExecutorDep) -> Response:
        return await _answer(request, settings, executor)

    @router.post("/sparql", summary="SPARQL 1.1 query (POST form or application/sparql-query)")
    async def sparql_post(request: Request, settings: SettingsDep, executor: ExecutorDep) -> Response:
        return await _answer(request, settings, executor)

    router.add_api_route("/sparql/", sparql_get, methods=["GET"], include_in_schema=False)
    router.add_api_route("/sparql/", sparql_post, methods=["POST"], include_in_schema=False)
    return router
