"""An ontology property, as named by relation and attribute claims (eip:locatedIn, legal:legalName…)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.objects import lang_of
from api.graphql.records import Node, pick_label
from kg.namespaces import RDFS, SKOS

__all__ = ["OntologyProperty"]


@strawberry.type(description="A property of the ontology (or of a reused vocabulary).")
class OntologyProperty:
    node: strawberry.Private[Node]

    @strawberry.field(description="The property's IRI.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.iri)

    @strawberry.field(description="The property's local name, e.g. `locatedIn`.")
    def name(self) -> str:
        return self.node.iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    @strawberry.field(description="The property's label in `lang` (fallback: English, French, any).")
    def label(self, info: Info, lang: str | None = None) -> str:
        return pick_label(self.node.all(RDFS.label), lang_of(info, lang)) or self.name()

    @strawberry.field(description="The property's definition in `lang` (fallback: English, French, any).")
    def definition(self, info: Info, lang: str | None = None) -> str | None:
        return pick_label(self.node.all(SKOS.definition), lang_of(info, lang))
