"""An investment: money flowing from an investor to a recipient or target."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import concept_field, onto
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type, one_entity
from api.graphql.types.monetary_figure import MonetaryFigure
from kg.namespaces import EIP

__all__ = ["Investment"]

EntityRef = Annotated["Entity", strawberry.lazy("api.graphql.types.entity")]


@claim_type(ClaimKind.INVESTMENT)
@strawberry.type(description=ontology_doc("Investment", "Investment"))
class Investment(MonetaryFigure):
    @strawberry.field(**onto("investor"))
    async def investor(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.investor))

    @strawberry.field(**onto("recipient"))
    async def recipient(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.recipient))

    @strawberry.field(**onto("target"))
    async def target(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.target))

    @strawberry.field(description="Who receives the money: the recipient, else the target.")
    async def beneficiary(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.recipient) or self.node.iri_of(EIP.target))

    @strawberry.field(**onto("underProgramme"))
    async def under_programme(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.underProgramme))

    instrument = concept_field("instrument")
