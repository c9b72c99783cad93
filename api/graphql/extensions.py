"""What the schema adds to strawberry: the error policy on every error, and the store-query count.

``KgSchema.process_errors`` is strawberry's hook for every error path (parse, validation, coercion,
execution), so `apply_error_policy` sees every error before a response is written. `StoreStats` adds
``extensions.store.queries`` to each response: how many store queries the request ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from api.graphql.errors import apply_error_policy

__all__ = ["KgSchema", "StoreStats"]


class KgSchema(strawberry.Schema):
    """The strawberry schema with the API's error policy applied to every error (api/graphql/errors.py)."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        apply_error_policy(errors)


class StoreStats(SchemaExtension):
    """Adds ``extensions.store.queries``: how many store queries the request ran."""

    def on_operation(self) -> Iterator[None]:
        yield

    def get_results(self) -> dict[str, Any]:
        stats = getattr(self.execution_context.context, "stats", None)
        return {"store": {"queries": stats.queries}} if stats is not None else {}
