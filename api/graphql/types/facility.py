"""A facility: a plant, computing centre or laboratory, with operator, location, capacities and timeline."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import attribute, attribute_claims, concept_field, onto, relation
from api.graphql.kinds import EntityKind, Rank, rank_of
from api.graphql.objects import claims, context, entities, entity_type
from api.graphql.types.claim import claim_sort_key
from api.graphql.types.location import Location
from kg.namespaces import EIP

__all__ = ["Facility"]

OrganisationRef = Annotated["Organisation", strawberry.lazy("api.graphql.types.organisation")]
InvestmentRef = Annotated["Investment", strawberry.lazy("api.graphql.types.investment")]
CapacityRef = Annotated["Capacity", strawberry.lazy("api.graphql.types.capacity")]
EmploymentRef = Annotated["EmploymentFigure", strawberry.lazy("api.graphql.types.employment_figure")]

@entity_type(EntityKind.FACILITY, EntityKind.BATTERY_GIGAFACTORY, EntityKind.AI_FACTORY,
             EntityKind.AI_GIGAFACTORY, EntityKind.SUPERCOMPUTER, EntityKind.RESEARCH_FACILITY)
@strawberry.type(description=ontology_doc("Facility", "Facility"))
class Facility(Location):
    operated_by = relation("operatedBy")

    @strawberry.field(description="The organisation that runs the facility (the first of `operatedBy` that "
                                  "is an organisation).")
    async def operator(self, info: Info) -> OrganisationRef | None:
        from api.graphql.types.organisation import Organisation

        found = await entities(info, self.node.iris(EIP.operatedBy), [Organisation])
        return found[0] if found else None

    hosts_supercomputer = relation("hostsSupercomputer")
    funded_by = relation("fundedBy")
    customer = relation("customer")
    partner = relation("partner")
    announced_at = relation("announcedAt")
    status = concept_field("status")
    facility_type = concept_field("facilityType")
    hosted_by = attribute("hostedBy")
    led_by = attribute("ledBy")
    co_piloted_by = attribute("coPilotedBy")
    countries_as_stated = attribute("countriesAsStated")
    eib_project_reference = attribute("eibProjectReference")
    project_title = attribute("projectTitle")
    public_consultation = attribute("publicConsultation")
    supported_under_as_stated = attribute("supportedUnderAsStated")
    first_customer_model = attribute("firstCustomerModel")
    experimental_platform = attribute("experimentalPlatform")
    new_ai_optimised_supercomputer = attribute("newAIOptimisedSupercomputer")

    @strawberry.field(description="Where the sources say the facility is, in their words (attribute claims "
                                  "of eip:locatedIn), e.g. \"Linköping, Sweden\"; most trusted first.")
    async def location_as_stated(self, info: Info) -> list[str]:
        found = await attribute_claims(info, self, str(EIP.locatedIn), include_deprecated=False)
        return [c.value() for c in found]

    @strawberry.field(**onto("target", "Here: the investments whose target is this facility, most trusted "
                                       "first; deprecated ones only on request."))
    async def investments(self, info: Info, include_deprecated: bool = False) -> list[InvestmentRef]:
        from api.graphql.types.investment import Investment

        iris = await context(info).inverse.load((self.node.iri, str(EIP.target)))
        found = await claims(info, iris, [Investment])
        if not include_deprecated:
            found = [c for c in found if rank_of(c.node) is not Rank.DEPRECATED]
        return sorted(found, key=claim_sort_key)

    @strawberry.field(description="The capacity claims about the facility, most trusted first.")
    async def capacities(self, info: Info, include_deprecated: bool = False) -> list[CapacityRef]:
        from api.graphql.types.capacity import Capacity

        found = await claims(info, self.node.iris(EIP.hasClaim), [Capacity])
        if not include_deprecated:
            found = [c for c in found if rank_of(c.node) is not Rank.DEPRECATED]
        return sorted(found, key=claim_sort_key)

    @strawberry.field(**onto("atFacility", "Here: the employment figures about jobs at this facility, most "
                                           "trusted first (deprecated included: check `rank`)."))
    async def employment(self, info: Info) -> list[EmploymentRef]:
        from api.graphql.types.employment_figure import EmploymentFigure

        iris = await context(info).inverse.load((self.node.iri, str(EIP.atFacility)))
        return sorted(await claims(info, iris, [EmploymentFigure]), key=claim_sort_key)
