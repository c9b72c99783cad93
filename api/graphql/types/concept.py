"""A SKOS concept of one of the project's schemes (status, figure kind, unit, qualifier, milestone type…)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.objects import lang_of, node, nodes
from api.graphql.records import Node, pick_label
from kg.namespaces import SKOS

__all__ = ["Concept", "concept", "concepts"]


@strawberry.type(description="A concept of a controlled vocabulary (SKOS), such as a status, a figure kind, "
                             "a unit, a qualifier or a milestone type.")
class Concept:
    node: strawberry.Private[Node]

    @strawberry.field(description="The concept's IRI.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.iri)

    @strawberry.field(description="The concept's code (skos:notation), e.g. `operational`; filters take "
                                  "codes.")
    def code(self) -> str:
        return self.node.text(SKOS.notation) or self.node.iri.rstrip("/").rsplit("/", 1)[-1]

    @strawberry.field(description="The concept's label in `lang` (fallback: English, French, any).")
    def label(self, info: Info, lang: str | None = None) -> str:
        return pick_label(self.node.all(SKOS.prefLabel), lang_of(info, lang)) or self.code()

    @strawberry.field(description="The concept's definition in `lang` (fallback: English, French, any).")
    def definition(self, info: Info, lang: str | None = None) -> str | None:
        return pick_label(self.node.all(SKOS.definition), lang_of(info, lang))

    @strawberry.field(description="The IRI of the concept scheme it belongs to.")
    def scheme(self) -> str | None:
        return self.node.iri_of(SKOS.inScheme)


async def concept(info: Info, iri: str | None) -> Concept | None:
    """The concept object of an IRI (loaded through the node loader)."""
    return Concept(node=await node(info, iri)) if iri else None


async def concepts(info: Info, iris: list[str]) -> list[Concept]:
    return [Concept(node=n) for n in await nodes(info, iris)]
