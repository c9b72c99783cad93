"""Field factories for ontology properties: each field is described by the property's definition and carries
``metadata={"ontology": <IRI>}``, which the drift test reads back from the schema.

    relation("operatedBy")          entities the node points at (plain "truthy" triples: not deprecated)
    inverse("operatedBy", Facility)  entities pointing at the node through the property
    concept_field("status")         the concept the node points at
    attribute("hostedBy")           the attribute claims about the node with that predicate (not deprecated)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.kinds import Rank, rank_of
from api.graphql.objects import claims, context, entities
from kg.namespaces import EIP

__all__ = ["RANK_ORDER", "attribute", "concept_field", "inverse", "onto", "relation"]

EntityRef = Annotated["Entity", strawberry.lazy("api.graphql.types.entity")]
ConceptRef = Annotated["Concept", strawberry.lazy("api.graphql.types.concept")]
AttributeClaimRef = Annotated["AttributeClaim", strawberry.lazy("api.graphql.types.attribute_claim")]

RANK_ORDER = {Rank.PREFERRED: 0, Rank.NORMAL: 1, Rank.DEPRECATED: 2}


def onto(term: str, extra: str = "") -> dict[str, Any]:
    """``description`` and ``metadata`` keyword arguments of a field standing for an ontology term."""
    iri = EIP[term] if ":" not in term else term
    return {"description": ontology_doc(iri, extra=extra), "metadata": {"ontology": str(iri)}}


def relation(term: str, extra: str = "") -> Any:
    """A list field: the entities the node points at through ``eip:<term>``."""
    predicate = str(EIP[term])

    async def resolve(root: Any, info: Info) -> list[EntityRef]:
        return await entities(info, root.node.iris(predicate))

    return strawberry.field(resolver=resolve, **onto(term, extra))


def inverse(term: str, types: Sequence[type] | None = None, extra: str = "") -> Any:
    """A list field: the entities (of ``types``) that point at the node through ``eip:<term>``."""
    predicate = str(EIP[term])

    async def resolve(root: Any, info: Info) -> list[EntityRef]:
        subjects = await context(info).inverse.load((root.node.iri, predicate))
        return await entities(info, subjects, types)

    return strawberry.field(resolver=resolve, **onto(term, extra or "Here: the inverse direction."))


def concept_field(term: str, extra: str = "") -> Any:
    """A field: the concept the node points at through ``eip:<term>`` (null when none)."""
    predicate = str(EIP[term])

    async def resolve(root: Any, info: Info) -> ConceptRef | None:
        from api.graphql.types.concept import concept

        return await concept(info, root.node.iri_of(predicate))

    return strawberry.field(resolver=resolve, **onto(term, extra))


async def attribute_claims(info: Info, root: Any, predicate: str, include_deprecated: bool) -> list[Any]:
    """The attribute claims about ``root`` with ``predicate``, most trusted first."""
    from api.graphql.types.attribute_claim import AttributeClaim

    found = await claims(info, root.node.iris(EIP.hasClaim), [AttributeClaim])
    found = [c for c in found if c.node.iri_of(EIP.predicate) == predicate]
    if not include_deprecated:
        found = [c for c in found if rank_of(c.node) is not Rank.DEPRECATED]
    return sorted(found, key=lambda c: (RANK_ORDER[rank_of(c.node)], c.node.iri))


def attribute(term: str, extra: str = "") -> Any:
    """A list field: the attribute claims (texts with sources) about the node for ``eip:<term>``."""
    predicate = str(EIP[term])

    async def resolve(root: Any, info: Info, include_deprecated: bool = False) -> list[AttributeClaimRef]:
        return await attribute_claims(info, root, predicate, include_deprecated)

    return strawberry.field(resolver=resolve, **onto(term, extra or "As stated by the sources (claims)."))
