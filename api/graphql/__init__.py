"""The GraphQL API over the knowledge graph (strawberry): schema, router, per-request loaders.

    from api.graphql import graphql_router
    app.include_router(graphql_router(settings), prefix="/graphql")

Regenerate the committed SDL (api/schema.graphql) after a schema change with
``python -m api.graphql.export``.
"""

from api.graphql.router import graphql_router
from api.graphql.schema import build_schema, schema

__all__ = ["build_schema", "graphql_router", "schema"]
