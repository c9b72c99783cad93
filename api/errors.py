"""The one place that decides what an error looks like to an HTTP client.

    KgError (kg.errors)                      → status by kind, message + hint shown
      QueryTimeout → 503, QueryError → 400, StoreError → 503, ValidationFailed → 422,
      LinkError → 502, any other KgError → 500
    HttpProblem (here)                       → its own status: 405/406/413/415/500/503 decided at the edge
    starlette HTTPException (404, 405 …)     → its status, its detail
    RequestValidationError                   → 400
    anything else                            → 500 "internal error" with an incident id; the trace goes
                                               to the server log only, never to the client

The body follows the client's Accept: JSON ``{"error": {...}}`` (default), plain text, or a small HTML page.
"""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.html import html_response
from api.sparql.negotiation import negotiate
from kg.errors import KgError, LinkError, QueryError, QueryTimeout, StoreError, ValidationFailed

__all__ = ["HttpProblem", "install_error_handlers", "problem_response", "status_of"]

log = logging.getLogger(__name__)

_STATUS_BY_KIND: tuple[tuple[type[KgError], int], ...] = (
    (QueryTimeout, 503),
    (QueryError, 400),
    (StoreError, 503),
    (ValidationFailed, 422),
    (LinkError, 502),
)

_ERROR_OFFERS = (
    ("application/json", "application/json"),
    ("text/plain", "text/plain"),
    ("text/html", "text/html"),
    ("application/problem+json", "application/json"),
)


class HttpProblem(Exception):
    """A refusal decided at the HTTP edge: wrong media type, nothing acceptable, too large, busy.

    Args:
        status: the HTTP status code.
        message: what went wrong, for the client.
        hint: what to do about it.
        headers: extra response headers (e.g. ``Retry-After``).
    """

    def __init__(self, status: int, message: str, *, hint: str = "",
                 headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.message = message
        self.hint = hint
        self.headers = headers or {}
        super().__init__(f"{status}: {message}")


def status_of(error: KgError) -> int:
    """The HTTP status of a kg error."""
    for kind, status in _STATUS_BY_KIND:
        if isinstance(error, kind):
            return status
    return 500


def problem_response(request: Request, status: int, title: str, message: str, hint: str = "",
                     headers: dict[str, str] | None = None) -> Response:
    """An error response in the format the client accepts (JSON, text or HTML)."""
    media_type = negotiate(request.headers.get("accept"), _ERROR_OFFERS) or "text/plain"
    headers = {"Vary": "Accept", **(headers or {})}
    if media_type == "text/html":
        return html_response("error.html", status_code=status, headers=headers,
                             status=status, title=title, message=message, hint=hint)
    if media_type == "text/plain":
        text = f"{status} {title}: {message}\n" + (f"Hint: {hint}\n" if hint else "")
        return PlainTextResponse(text, status_code=status, headers=headers)
    body = {"error": {"status": status, "type": title, "message": message, "hint": hint}}
    return JSONResponse(body, status_code=status, headers=headers)


async def _on_kg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KgError)
    status = status_of(exc)
    return problem_response(request, status, type(exc).__name__, str(exc), exc.hint)


async def _on_http_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpProblem)
    return problem_response(request, exc.status, _reason(exc.status), exc.message, exc.hint, exc.headers)


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else _reason(exc.status_code)
    return problem_response(request, exc.status_code, _reason(exc.status_code), message,
                            headers=dict(exc.headers or {}))


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = "; ".join(
        f"{'.'.join(str(part) for part in err.get('loc', ()))}: {err.get('msg', '')}" for err in exc.errors()
    )
    return problem_response(request, 400, "Bad Request", f"invalid request parameters ({fields})")


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
    return problem_response(request, 500, "Internal Server Error",
                            f"internal error (incident {incident}); it was logged",
                            "retry later, or report the incident id")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler above on ``app``."""
    app.add_exception_handler(KgError, _on_kg_error)
    app.add_exception_handler(HttpProblem, _on_http_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unexpected)
