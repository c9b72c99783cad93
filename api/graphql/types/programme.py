"""A public programme, instrument or legal act of EU industrial policy."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import EntityKind
from api.graphql.objects import entity_type
from api.graphql.types.policy import Policy

__all__ = ["Programme"]


@entity_type(EntityKind.PROGRAMME)
@strawberry.type(description=ontology_doc("Programme", "Programme"))
class Programme(Policy):
    pass
