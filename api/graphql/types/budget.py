"""A budget: money a programme, fund, initiative or call has or aims to mobilise."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type
from api.graphql.types.monetary_figure import MonetaryFigure

__all__ = ["Budget"]


@claim_type(ClaimKind.BUDGET)
@strawberry.type(description=ontology_doc("Budget", "Budget"))
class Budget(MonetaryFigure):
    pass
