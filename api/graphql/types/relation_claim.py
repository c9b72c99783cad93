"""A claim linking its subject to another entity or a concept through an ontology property."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import onto
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type, node, one_entity
from api.graphql.types.claim import Claim
from api.graphql.types.property import OntologyProperty
from kg.namespaces import EIP

__all__ = ["RelationClaim"]

EntityRef = Annotated["Entity", strawberry.lazy("api.graphql.types.entity")]
ConceptRef = Annotated["Concept", strawberry.lazy("api.graphql.types.concept")]


@claim_type(ClaimKind.RELATION)
@strawberry.type(description=ontology_doc("RelationClaim", "RelationClaim"))
class RelationClaim(Claim):
    @strawberry.field(**onto("predicate"))
    async def predicate(self, info: Info) -> OntologyProperty | None:
        iri = self.node.iri_of(EIP.predicate)
        return OntologyProperty(node=await node(info, iri)) if iri else None

    @strawberry.field(**onto("object", "Null when the object is a concept (see `objectConcept`)."))
    async def object(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.object))

    @strawberry.field(description="The object when it is a concept (a status…); null when it is an entity.")
    async def object_concept(self, info: Info) -> ConceptRef | None:
        from api.graphql.kinds import entity_kind
        from api.graphql.types.concept import Concept

        iri = self.node.iri_of(EIP.object)
        if iri is None:
            return None
        target = await node(info, iri)
        return Concept(node=target) if entity_kind(target) is None else None
