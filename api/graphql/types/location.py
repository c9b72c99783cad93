"""The Location interface: sites, facilities and places, and how they contain one another."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.fields import onto, relation
from api.graphql.kinds import EntityKind, kind_iri
from api.graphql.objects import context, entities
from api.graphql.pagination import Connection, paginate, to_connection
from api.graphql.types.entity import Entity
from kg.namespaces import EIP

__all__ = ["Location"]

EntityRef = Annotated["Entity", strawberry.lazy("api.graphql.types.entity")]


@strawberry.interface(description="Something with a place on the map: a site, a facility or a place "
                                  "(dct:Location). Containment is transitive (eip:within).")
class Location(Entity):
    located_in = relation("locatedIn")
    part_of = relation("partOf")
    within = relation("within")
    includes = relation("includes")
    near = relation("near")

    @strawberry.field(**onto("within", "Here: the inverse direction, everything within this location "
                                       "(transitively), optionally of one kind; Relay-paginated."))
    async def contains(self, info: Info, kind: EntityKind | None = None, first: int | None = None,
                       after: str | None = None, last: int | None = None,
                       before: str | None = None) -> Connection[EntityRef]:
        inner = await context(info).inverse.load((self.node.iri, str(EIP.within)))
        if kind is not None:
            inner = [e.node.iri for e in await entities(info, inner) if kind_iri(kind) in e.node.types]
        page = paginate(inner, first=first, after=after, last=last, before=before,
                        max_page=context(info).max_page)
        return to_connection(page, {e.node.iri: e for e in await entities(info, page.keys)})
