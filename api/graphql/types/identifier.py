"""An external identifier of an entity (adms:Identifier) and how it was linked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.fields import concept_field, onto
from api.graphql.objects import entities
from api.graphql.records import Node, literal_date
from kg.namespaces import DCTERMS, EIP, PROV, SKOS

__all__ = ["Identifier"]

SourceRef = Annotated["Source", strawberry.lazy("api.graphql.types.source")]
ConceptRef = Annotated["Concept", strawberry.lazy("api.graphql.types.concept")]


@strawberry.type(description="An identifier of the entity in an external scheme (Wikidata, NUTS, LEI, SIREN, "
                             "ISO 3166, GeoNames, web site, EIB project), with how and when it was linked.")
class Identifier:
    node: strawberry.Private[Node]

    @strawberry.field(description="The identifier's IRI.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.iri)

    @strawberry.field(description="The identifier itself (skos:notation), e.g. `Q142` or `FRE`.")
    def notation(self) -> str:
        return self.node.text(SKOS.notation) or ""

    @strawberry.field(description="The identifier scheme (dct:conformsTo), a concept.")
    async def scheme(self, info: Info) -> ConceptRef | None:
        from api.graphql.types.concept import concept

        return await concept(info, self.node.iri_of(DCTERMS.conformsTo))

    link_method = concept_field("linkMethod")

    @strawberry.field(**onto("linkScore", "A Decimal scalar (string)."))
    def link_score(self) -> Decimal | None:
        return self.node.decimal(EIP.linkScore)

    @strawberry.field(**onto("linkDate"))
    def link_date(self) -> dt.date | None:
        return literal_date(self.node.first(EIP.linkDate))

    @strawberry.field(**onto("confirmedByPerson"))
    def confirmed_by_person(self) -> bool | None:
        return self.node.boolean(EIP.confirmedByPerson)

    @strawberry.field(**onto("nutsVersion"))
    def nuts_version(self) -> str | None:
        return self.node.text(EIP.nutsVersion)

    @strawberry.field(description="Where the identifier was found (prov:wasDerivedFrom).")
    async def sources(self, info: Info) -> list[SourceRef]:
        return await entities(info, self.node.iris(PROV.wasDerivedFrom))
