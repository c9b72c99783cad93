"""A named geographic area: a country, region or municipality."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import onto
from api.graphql.kinds import EntityKind
from api.graphql.objects import entity_type
from api.graphql.types.location import Location
from kg.namespaces import EIP

__all__ = ["Place"]


@entity_type(EntityKind.PLACE, EntityKind.COUNTRY, EntityKind.REGION, EntityKind.MUNICIPALITY)
@strawberry.type(description=ontology_doc("Place", "Place"))
class Place(Location):
    @strawberry.field(**onto("nutsLevel"))
    def nuts_level(self) -> int | None:
        return self.node.integer(EIP.nutsLevel)
