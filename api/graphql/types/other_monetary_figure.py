"""A monetary figure that is neither an investment nor a budget (a valuation, a market estimate…)."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type
from api.graphql.types.monetary_figure import MonetaryFigure

__all__ = ["OtherMonetaryFigure"]


@claim_type(ClaimKind.MONETARY_FIGURE)
@strawberry.type(description=ontology_doc("MonetaryFigure", "OtherMonetaryFigure",
                                          "This type holds those that are neither investments nor budgets "
                                          "(valuations, market estimates…)."))
class OtherMonetaryFigure(MonetaryFigure):
    pass
