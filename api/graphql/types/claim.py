"""The Claim interface: one fact as one source states it, with its qualifier, rank, date and sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import RANK_ORDER, onto
from api.graphql.kinds import ClaimKind, Rank, claim_kind, kind_iri, rank_of
from api.graphql.objects import claims, entities, lang_of, one_entity
from api.graphql.records import Node, pick_label
from api.graphql.types.common import LangString, PartialDate, lang_string, partial_date
from kg.namespaces import EIP, PROV, RDFS

__all__ = ["Claim", "claim_sort_key", "select_claims"]

EntityRef = Annotated["Entity", strawberry.lazy("api.graphql.types.entity")]
SourceRef = Annotated["Source", strawberry.lazy("api.graphql.types.source")]
ConceptRef = Annotated["Concept", strawberry.lazy("api.graphql.types.concept")]


def claim_sort_key(claim: Any) -> tuple[int, str, str]:
    """Most trusted first, then by curated property, then by IRI."""
    node = claim.node
    return (RANK_ORDER[rank_of(node)], node.text(EIP.sourceProperty) or "", node.iri)


async def select_claims(info: Info, iris: Sequence[str], *, kind: ClaimKind | None = None,
                        source_property: str | None = None, ranks: Sequence[Rank] | None = None,
                        disputed_only: bool = False) -> list[Any]:
    """The claim objects of ``iris`` that pass the filters, sorted by `claim_sort_key`."""
    found = await claims(info, iris)
    if kind is not None:
        found = [c for c in found if kind_iri(kind) in c.node.types]
    if source_property:
        found = [c for c in found if c.node.text(EIP.sourceProperty) == source_property]
    if ranks:
        found = [c for c in found if rank_of(c.node) in ranks]
    if disputed_only:
        found = [c for c in found if c.node.boolean(EIP.disputed)]
    return sorted(found, key=claim_sort_key)


@strawberry.interface(description=ontology_doc("Claim", "Claim"))
class Claim:
    node: strawberry.Private[Node]

    @strawberry.field(description="The claim's IRI.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.iri)

    @strawberry.field(description="The most specific claim class.")
    def kind(self) -> ClaimKind:
        return claim_kind(self.node) or ClaimKind.CLAIM

    @strawberry.field(**onto("subject"))
    async def subject(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.node.iri_of(EIP.subject))

    @strawberry.field(**onto("sourceProperty"))
    def source_property(self) -> str:
        return self.node.text(EIP.sourceProperty) or ""

    @strawberry.field(**onto("qualifier"))
    async def qualifier(self, info: Info) -> ConceptRef | None:
        from api.graphql.types.concept import concept

        return await concept(info, self.node.iri_of(EIP.qualifier))

    @strawberry.field(**onto("rank"))
    def rank(self) -> Rank:
        return rank_of(self.node)

    @strawberry.field(**onto("rankReason"))
    def rank_reason(self, info: Info, lang: str | None = None) -> str | None:
        return pick_label(self.node.all(EIP.rankReason), lang_of(info, lang))

    @strawberry.field(**onto("disputed", "False when no other claim disagrees."))
    def disputed(self) -> bool:
        return bool(self.node.boolean(EIP.disputed))

    @strawberry.field(**onto("asOf"))
    def as_of(self) -> PartialDate | None:
        return partial_date(self.node.first(EIP.asOf))

    @strawberry.field(**onto("asStated"))
    def as_stated(self) -> LangString | None:
        return lang_string(self.node.first(EIP.asStated))

    @strawberry.field(description="The curator's note about the claim (rdfs:comment).")
    def note(self, info: Info, lang: str | None = None) -> str | None:
        return pick_label(self.node.all(RDFS.comment), lang_of(info, lang))

    @strawberry.field(**onto("scope"))
    def scope(self, info: Info, lang: str | None = None) -> str | None:
        return pick_label(self.node.all(EIP.scope), lang_of(info, lang))

    @strawberry.field(**onto("batch"))
    def batch(self) -> int | None:
        return self.node.integer(EIP.batch)

    @strawberry.field(**onto("sourceLine"))
    def source_line(self) -> str | None:
        return self.node.text(EIP.sourceLine)

    @strawberry.field(description="The sources that state the claim (prov:wasDerivedFrom), with address and "
                                  "date.")
    async def sources(self, info: Info) -> list[SourceRef]:
        return await entities(info, self.node.iris(PROV.wasDerivedFrom))

    @strawberry.field(description="Every claim about the same subject and curated property (this one "
                                  "included unless `includeSelf` is false), most trusted first: for a "
                                  "disputed fact, the competing values with their ranks and rank reasons.")
    async def competing(self, info: Info, include_self: bool = True) -> list[Claim]:
        subject = self.node.iri_of(EIP.subject)
        if subject is None:
            return [self] if include_self else []
        subject_nodes = await entities(info, [subject])
        iris = subject_nodes[0].node.iris(EIP.hasClaim) if subject_nodes else [self.node.iri]
        found = await select_claims(info, iris, source_property=self.source_property())
        return [c for c in found if include_self or c.node.iri != self.node.iri]
