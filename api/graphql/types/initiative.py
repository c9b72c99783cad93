"""A policy initiative: a plan, strategy, alliance or announced initiative."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import EntityKind
from api.graphql.objects import entity_type
from api.graphql.types.policy import Policy

__all__ = ["Initiative"]


@entity_type(EntityKind.INITIATIVE)
@strawberry.type(description=ontology_doc("Initiative", "Initiative"))
class Initiative(Policy):
    pass
