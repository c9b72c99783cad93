"""A call for proposals or expressions of interest."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import attribute
from api.graphql.kinds import EntityKind
from api.graphql.objects import entity_type
from api.graphql.types.policy import Policy

__all__ = ["Call"]


@entity_type(EntityKind.CALL)
@strawberry.type(description=ontology_doc("Call", "Call"))
class Call(Policy):
    call_identifier = attribute("callIdentifier")
