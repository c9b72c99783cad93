"""The Policy interface: programmes, initiatives, funds and calls, and what they fund or contain."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.fields import attribute, concept_field, inverse, onto, relation
from api.graphql.kinds import Rank, rank_of
from api.graphql.objects import claims, context
from api.graphql.types.claim import claim_sort_key
from api.graphql.types.entity import Entity
from kg.namespaces import EIP

__all__ = ["Policy"]

BudgetRef = Annotated["Budget", strawberry.lazy("api.graphql.types.budget")]
InvestmentRef = Annotated["Investment", strawberry.lazy("api.graphql.types.investment")]


@strawberry.interface(description="A programme, initiative, fund or call: the policy side of the graph.")
class Policy(Entity):
    part_of = relation("partOf")
    includes = relation("includes")
    parts = inverse("partOf", extra="Here: the inverse direction, what is part of this (facilities, calls, "
                                     "programmes…).")
    launched_by = relation("launchedBy")
    managed_by = relation("managedBy")
    funded_by = relation("fundedBy")
    partner = relation("partner")
    announced_at = relation("announcedAt")
    status = concept_field("status")
    legal_basis = attribute("legalBasis")
    document_type = attribute("documentType")
    vote_result = attribute("voteResult")
    countries_as_stated = attribute("countriesAsStated")
    announced_by = attribute("announcedBy")
    presented_by = attribute("presentedBy")
    led_by = attribute("ledBy")

    @strawberry.field(description="The budget claims about it, most trusted first (deprecated only on "
                                  "request).")
    async def budgets(self, info: Info, include_deprecated: bool = False) -> list[BudgetRef]:
        from api.graphql.types.budget import Budget

        found = await claims(info, self.node.iris(EIP.hasClaim), [Budget])
        if not include_deprecated:
            found = [c for c in found if rank_of(c.node) is not Rank.DEPRECATED]
        return sorted(found, key=claim_sort_key)

    @strawberry.field(**onto("underProgramme", "Here: the investments that belong to it: made under it or "
                                               "by it, about it, or about what is part of it "
                                               "(transitively); most trusted first, deprecated only on "
                                               "request."))
    async def investments(self, info: Info, include_deprecated: bool = False) -> list[InvestmentRef]:
        from api.graphql.types.investment import Investment

        iris = await context(info).programme_investments.load(self.node.iri)
        found = await claims(info, iris, [Investment])
        if not include_deprecated:
            found = [c for c in found if rank_of(c.node) is not Rank.DEPRECATED]
        return sorted(found, key=claim_sort_key)
