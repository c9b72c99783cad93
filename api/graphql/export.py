"""Write (or check) the committed SDL of the GraphQL schema, api/schema.graphql.

    python -m api.graphql.export            # write it
    python -m api.graphql.export --check    # exit 1 when it differs from the live schema

The SDL is what a client sees through introspection, printed by graphql-core with types and fields sorted,
so the file diffs cleanly in review.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graphql import (
    GraphQLSchema, IntrospectionQuery, build_client_schema, introspection_from_schema,
    lexicographic_sort_schema, print_schema,
)

from kg.config import PROJECT_ROOT

__all__ = ["EXPORT_COMMAND", "SDL_PATH", "canonical_sdl", "live_sdl", "main"]

SDL_PATH = PROJECT_ROOT / "api" / "schema.graphql"
EXPORT_COMMAND = "python -m api.graphql.export"


def canonical_sdl(introspection: IntrospectionQuery) -> str:
    """The SDL a client sees: built from an introspection result, types and fields sorted, newline-ended."""
    return print_schema(lexicographic_sort_schema(build_client_schema(introspection))).rstrip() + "\n"


def live_sdl(schema: GraphQLSchema) -> str:
    """`canonical_sdl` of a graphql-core schema (introspected in process)."""
    return canonical_sdl(introspection_from_schema(schema))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on a "
                                                             "difference")
    parser.add_argument("--output", type=Path, default=SDL_PATH, help=f"default: {SDL_PATH}")
    args = parser.parse_args(argv)
    from api.graphql.schema import schema

    sdl = live_sdl(schema._schema)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != sdl:
            print(f"{args.output} is out of date; run `{EXPORT_COMMAND}`", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(sdl, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
