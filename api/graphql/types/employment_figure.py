"""A claim about a number of jobs."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import concept_field, onto
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type, one_entity
from api.graphql.types.claim import Claim
from kg.namespaces import EIP

__all__ = ["EmploymentFigure"]

EntityRef = Annotated["Entity", strawberry.lazy("api.graphql.types.entity")]


@claim_type(ClaimKind.EMPLOYMENT_FIGURE)
@strawberry.type(description=ontology_doc("EmploymentFigure", "EmploymentFigure"))
class EmploymentFigure(Claim):
    @strawberry.field(**onto("jobs"))
    def jobs(self) -> int | None:
        return self.node.integer(EIP.jobs)

    @strawberry.field(**onto("minJobs"))
    def min_jobs(self) -> int | None:
        return self.node.integer(EIP.minJobs)

    @strawberry.field(**onto("maxJobs"))
    def max_jobs(self) -> int | None:
        return self.node.integer(EIP.maxJobs)

    @strawberry.field(**onto("atFacility"))
    async def at_facility(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.atFacility))

    figure_kind = concept_field("figureKind")

    @strawberry.field(**onto("referenceYear"))
    def reference_year(self) -> int | None:
        return self.node.integer(EIP.referenceYear)
