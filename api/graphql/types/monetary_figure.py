"""The MonetaryFigure interface: a claim stating an amount of money (investments, budgets, valuations…)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import onto
from api.graphql.objects import node
from api.graphql.types.amount import MonetaryAmount
from api.graphql.types.claim import Claim
from kg.namespaces import EIP

__all__ = ["MonetaryFigure"]

ConceptRef = Annotated["Concept", strawberry.lazy("api.graphql.types.concept")]


@strawberry.interface(description=ontology_doc("MonetaryFigure", "MonetaryFigure"))
class MonetaryFigure(Claim):
    @strawberry.field(**onto("amount"))
    async def amount(self, info: Info) -> MonetaryAmount | None:
        iri = self.node.iri_of(EIP.amount)
        return MonetaryAmount(node=await node(info, iri)) if iri else None

    @strawberry.field(**onto("figureKind"))
    async def figure_kind(self, info: Info) -> ConceptRef | None:
        from api.graphql.types.concept import concept

        return await concept(info, self.node.iri_of(EIP.figureKind))

    @strawberry.field(**onto("period"))
    def period(self) -> str | None:
        return self.node.text(EIP.period)

    @strawberry.field(**onto("referenceYear"))
    def reference_year(self) -> int | None:
        return self.node.integer(EIP.referenceYear)
