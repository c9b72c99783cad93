"""A claim giving its subject a literal value (a name, a legal basis, a location as worded by the source)."""

from __future__ import annotations

import pyoxigraph as ox
import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import onto
from api.graphql.kinds import ClaimKind
from api.graphql.objects import claim_type, node
from api.graphql.types.claim import Claim
from api.graphql.types.property import OntologyProperty
from kg.namespaces import EIP

__all__ = ["AttributeClaim"]


@claim_type(ClaimKind.ATTRIBUTE)
@strawberry.type(description=ontology_doc("AttributeClaim", "AttributeClaim"))
class AttributeClaim(Claim):
    @strawberry.field(**onto("predicate"))
    async def predicate(self, info: Info) -> OntologyProperty | None:
        iri = self.node.iri_of(EIP.predicate)
        return OntologyProperty(node=await node(info, iri)) if iri else None

    @strawberry.field(**onto("value", "As text (numbers and booleans in their XSD form)."))
    def value(self) -> str:
        term = self.node.first(EIP.value)
        return term.value if term is not None else ""

    @strawberry.field(description="The language of the value, when it is a text with one.")
    def value_lang(self) -> str | None:
        term = self.node.first(EIP.value)
        return (term.language or None) if isinstance(term, ox.Literal) else None
