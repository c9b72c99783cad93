"""A quantity figure that is not a capacity (a count of facilities, an area, a share, a ranking…)."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type
from api.graphql.types.quantity_figure import QuantityFigure

__all__ = ["OtherQuantityFigure"]


@claim_type(ClaimKind.QUANTITY_FIGURE)
@strawberry.type(description=ontology_doc("QuantityFigure", "OtherQuantityFigure",
                                          "This type holds those that are not capacities."))
class OtherQuantityFigure(QuantityFigure):
    pass
