"""A site: a physical area used by organisations, such as a port or an industrial zone."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import EntityKind
from api.graphql.objects import entity_type
from api.graphql.types.location import Location

__all__ = ["Site"]


@entity_type(EntityKind.SITE)
@strawberry.type(description=ontology_doc("Site", "Site"))
class Site(Location):
    pass
