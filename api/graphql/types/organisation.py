"""An organisation: a public body, company, consortium or other organisation."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import attribute, onto, relation
from api.graphql.kinds import EntityKind
from api.graphql.objects import claims, context, entities, entity_type
from api.graphql.types.claim import claim_sort_key
from api.graphql.types.entity import Entity
from kg.namespaces import EIP, LEGAL

__all__ = ["Organisation"]

FacilityRef = Annotated["Facility", strawberry.lazy("api.graphql.types.facility")]
InvestmentRef = Annotated["Investment", strawberry.lazy("api.graphql.types.investment")]


async def _investments(info: Info, iri: str, predicate: str) -> list[object]:
    from api.graphql.types.investment import Investment

    found = await claims(info, await context(info).inverse.load((iri, predicate)), [Investment])
    return sorted(found, key=claim_sort_key)


@entity_type(EntityKind.ORGANISATION, EntityKind.PUBLIC_BODY, EntityKind.COMPANY, EntityKind.CONSORTIUM)
@strawberry.type(description=ontology_doc("Organisation", "Organisation"))
class Organisation(Entity):
    headquartered_in = relation("headquarteredIn")
    owned_by = relation("ownedBy")
    shareholder = relation("shareholder")
    customer = relation("customer")
    public_funder = relation("publicFunder")
    partner = relation("partner")
    part_of = relation("partOf")
    chief_executive = attribute("chiefExecutive")
    founders = attribute("founders")
    investors_as_stated = attribute("investorsAsStated")
    legal_basis = attribute("legalBasis")
    vote_result = attribute("voteResult")

    @strawberry.field(description="The registered legal name (legal:legalName).")
    def legal_name(self) -> str | None:
        return self.node.text(LEGAL.legalName)

    @strawberry.field(**onto("operatedBy", "Here: the inverse direction, the facilities this organisation "
                                           "runs."))
    async def facilities(self, info: Info) -> list[FacilityRef]:
        from api.graphql.types.facility import Facility

        iris = await context(info).inverse.load((self.node.iri, str(EIP.operatedBy)))
        return await entities(info, iris, [Facility])

    @strawberry.field(**onto("recipient", "Here: the investments this organisation receives, most trusted "
                                          "first."))
    async def investments_received(self, info: Info) -> list[InvestmentRef]:
        return await _investments(info, self.node.iri, str(EIP.recipient))

    @strawberry.field(**onto("investor", "Here: the investments this organisation makes, most trusted "
                                         "first."))
    async def investments_made(self, info: Info) -> list[InvestmentRef]:
        return await _investments(info, self.node.iri, str(EIP.investor))
