"""A fund: a pool of money with its own budget and rules."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import EntityKind
from api.graphql.objects import entity_type
from api.graphql.types.policy import Policy

__all__ = ["Fund"]


@entity_type(EntityKind.FUND)
@strawberry.type(description=ontology_doc("Fund", "Fund"))
class Fund(Policy):
    pass
