"""Resolvers of the root lookups: an id (IRI, ``kind/slug`` or slug) to an object of the expected type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from strawberry.types import Info

from api.graphql.errors import NotFound
from api.graphql.ids import resolve_id
from api.graphql.kinds import entity_kind
from api.graphql.lists import Window
from api.graphql.objects import claim_object, context, entity_object, node
from api.graphql.pagination import Connection, paginate, to_connection

__all__ = ["lookup_claim", "lookup_entity", "timeline_page"]


async def lookup_entity(info: Info, raw: str, types: Sequence[type] | None = None) -> Any:
    """The entity an id names, of one of ``types`` when given.

    Raises:
        NotFound: no such entity, or one of another type (the message names its kind). BadId, AmbiguousId.
    """
    iri = await resolve_id(info, raw)
    found = entity_object(await node(info, iri))
    if found is None:
        raise NotFound(f"no entity with id {raw!r}")
    if types and not isinstance(found, tuple(types)):
        kind = entity_kind(found.node)
        wanted = " or ".join(t.__name__ for t in types)
        raise NotFound(f"{raw!r} is a {kind.name if kind else 'thing'}, not a {wanted}",
                       hint="use `entity(id:)` for any kind", actualKind=kind.name if kind else None)
    return found


async def lookup_claim(info: Info, raw: str) -> Any:
    """The claim an IRI names. Raises NotFound."""
    iri = await resolve_id(info, raw)
    found = claim_object(await node(info, iri))
    if found is None:
        raise NotFound(f"no claim with id {raw!r}", hint="claim ids are full IRIs (Claim.id)")
    return found


async def timeline_page(info: Info, raw: str, *, from_: dt.date | None, to: dt.date | None,
                        types: list[str] | None, include_deprecated: bool, window: Window) -> Connection[Any]:
    """A page of the timeline of an entity or place (see `timeline_of`)."""
    from api.graphql.types.milestone import timeline_of

    focus = await lookup_entity(info, raw)
    found = await timeline_of(info, focus.node.iri, from_=from_, to=to, types=types,
                              include_deprecated=include_deprecated)
    page = paginate([m.node.iri for m in found], first=window.first, after=window.after, last=window.last,
                    before=window.before, max_page=context(info).max_page)
    return to_connection(page, {m.node.iri: m for m in found})
