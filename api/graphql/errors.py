"""Errors a frontend developer can act on, and the policy that keeps everything else out of responses.

    ApiError                     message + ``extensions.code`` (+ ``hint``), shown as they are
    ├── NotFound                 NOT_FOUND: no entity/claim with that id (or not of the asked type)
    ├── BadId                    BAD_ID: the id is neither an IRI, ``kind/slug`` nor a slug
    ├── AmbiguousId              AMBIGUOUS_ID: a bare slug names several entities; ``candidates`` lists them
    ├── BadCursor                BAD_CURSOR: a cursor that this list did not hand out
    ├── PageSizeExceeded         PAGE_SIZE_EXCEEDED: first/last above ``Settings.graphql_max_page``
    └── BadArgument              BAD_ARGUMENT: an argument out of range (negative page size, from > to …)

`apply_error_policy` runs on every error (the schema's ``process_errors``): it keeps ApiErrors, turns the
store being unavailable into STORE_UNAVAILABLE, replaces any other error raised while resolving by
"internal error" with an incident id (the trace goes to the server log only), and gives every remaining
error a code
(GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_TOKENS,
QUERY_TOO_COMPLEX, BAD_USER_INPUT).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError

from kg.errors import StoreError

__all__ = [
    "AmbiguousId", "ApiError", "BadArgument", "BadCursor", "BadId", "NotFound", "PageSizeExceeded",
    "apply_error_policy", "error_code",
]

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error whose message is meant for the client; ``code`` goes to ``extensions.code``."""

    code = "BAD_REQUEST"
    hint = ""

    def __init__(self, message: str, *, hint: str = "", **details: Any) -> None:
        super().__init__(message)
        self.extensions: dict[str, Any] = {"code": self.code, **details}
        if hint or self.hint:
            self.extensions["hint"] = hint or self.hint


class NotFound(ApiError):
    code = "NOT_FOUND"
    hint = ("use a full IRI, `kind/slug` (company/verkor) or a slug (verkor); "
            "`entities(filter: {text: ...})` searches")


class BadId(ApiError):
    code = "BAD_ID"
    hint = "an id is a full IRI, `kind/slug` (company/verkor) or a slug (verkor)"


class AmbiguousId(ApiError):
    code = "AMBIGUOUS_ID"
    hint = "use one of the candidates (full IRI or kind/slug)"

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message, candidates=list(candidates))


class BadCursor(ApiError):
    code = "BAD_CURSOR"
    hint = "use a cursor from this list's edges or pageInfo, or start again without `after`/`before`"


class PageSizeExceeded(ApiError):
    code = "PAGE_SIZE_EXCEEDED"


class BadArgument(ApiError):
    code = "BAD_ARGUMENT"


_VALIDATION_CODES = (
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found", "TOO_MANY_ALIASES"),
    ("tokens", "TOO_MANY_TOKENS"),
    ("Syntax Error", "GRAPHQL_PARSE_FAILED"),
    ("has invalid value", "BAD_USER_INPUT"),
    ("of required type", "BAD_USER_INPUT"),
    ("was not provided", "BAD_USER_INPUT"),
)


def error_code(error: GraphQLError) -> str:
    """The code of a parse, validation or input-coercion error that has none."""
    for needle, code in _VALIDATION_CODES:
        if needle in error.message:
            return code
    return "GRAPHQL_VALIDATION_FAILED"


def _is_request_error(error: GraphQLError) -> bool:
    """A parse/validation error, or graphql-core's own message about a variable that does not coerce."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return True
    return error.path is None and any(needle in error.message for needle, _ in _VALIDATION_CODES)


def apply_error_policy(errors: list[GraphQLError]) -> None:
    """Code every error and mask the unexpected ones, in place (see the module docstring).

    Called by the schema's ``process_errors`` hook, which strawberry runs on every error path (parse,
    validation, coercion, execution) before the response is written.
    """
    for error in errors:
        _apply(error)


def _apply(error: GraphQLError) -> None:
    original = error.original_error
    extensions = error.extensions if error.extensions is not None else {}
    if isinstance(original, ApiError) or extensions.get("code"):
        log.debug("client error %s: %s", extensions.get("code"), error.message)
        return
    if _is_request_error(error):
        error.extensions = {**extensions, "code": error_code(error)}
        return
    if isinstance(original, StoreError):
        log.error("store unavailable while resolving %s: %s", error.path, original)
        _mask(error, "the graph store is unavailable; try again shortly",
              {"code": "STORE_UNAVAILABLE", "hint": original.hint or "the service is being rebuilt or "
                                                                     "restarted"})
        return
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s resolving %s", incident, error.path, exc_info=original)
    _mask(error, f"internal error (incident {incident})",
          {"code": "INTERNAL_SERVER_ERROR", "incident": incident})


def _mask(error: GraphQLError, message: str, extensions: dict[str, Any]) -> None:
    error.message = message
    error.extensions = extensions
    error.original_error = None
    error.__traceback__ = None
    error.__cause__ = error.__context__ = None
