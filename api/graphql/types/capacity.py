"""A production or computing capacity."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type
from api.graphql.types.quantity_figure import QuantityFigure

__all__ = ["Capacity"]


@claim_type(ClaimKind.CAPACITY)
@strawberry.type(description=ontology_doc("Capacity", "Capacity"))
class Capacity(QuantityFigure):
    pass
