"""From loaded nodes to GraphQL objects: the registry of object types by kind, and loading helpers.

Type modules register themselves (`entity_type`, `claim_type`); resolvers call `entities`, `claims` or
`one_entity` with IRIs, which go through the request's DataLoaders (one batched store query per level).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from strawberry.types import Info

from api.graphql.context import GraphQLContext
from api.graphql.kinds import ClaimKind, EntityKind, claim_kind, entity_kind
from api.graphql.records import Node

__all__ = [
    "CLAIM_TYPES", "ENTITY_TYPES", "claim_object", "claim_type", "claims", "context", "entities",
    "entity_object", "entity_type", "lang_of", "node", "nodes", "one_entity",
]

ENTITY_TYPES: dict[EntityKind, type] = {}
CLAIM_TYPES: dict[ClaimKind, type] = {}
C = TypeVar("C", bound=type)


def entity_type(*kinds: EntityKind) -> Callable[[C], C]:
    """Register a GraphQL object type as the one for entities of ``kinds``."""

    def register(cls: C) -> C:
        for kind in kinds:
            ENTITY_TYPES[kind] = cls
        return cls

    return register


def claim_type(*kinds: ClaimKind) -> Callable[[C], C]:
    """Register a GraphQL object type as the one for claims of ``kinds``."""

    def register(cls: C) -> C:
        for kind in kinds:
            CLAIM_TYPES[kind] = cls
        return cls

    return register


def context(info: Info) -> GraphQLContext:
    return info.context


def lang_of(info: Info, requested: str | None) -> str:
    """The language asked for, else the request's default."""
    return requested or context(info).lang


def entity_object(item: Node) -> Any | None:
    """The GraphQL object of an entity node (None when the node is no entity)."""
    kind = entity_kind(item)
    cls = ENTITY_TYPES.get(kind) if kind else None
    return cls(node=item) if cls else None


def claim_object(item: Node) -> Any | None:
    """The GraphQL object of a claim node (None when the node is no claim)."""
    kind = claim_kind(item)
    cls = CLAIM_TYPES.get(kind) if kind else None
    return cls(node=item) if cls else None


async def node(info: Info, iri: str) -> Node:
    return await context(info).nodes.load(iri)


async def nodes(info: Info, iris: Iterable[str]) -> list[Node]:
    return list(await context(info).nodes.load_many(list(iris)))


def _keep(item: Any, types: Sequence[type] | None) -> bool:
    return item is not None and (types is None or isinstance(item, tuple(types)))


async def entities(info: Info, iris: Iterable[str], types: Sequence[type] | None = None) -> list[Any]:
    """The entity objects of ``iris`` (in order), skipping IRIs that are no entity or not of ``types``."""
    objects = [entity_object(n) for n in await nodes(info, iris)]
    return [o for o in objects if _keep(o, types)]


async def one_entity(info: Info, iri: str | None, types: Sequence[type] | None = None) -> Any | None:
    if iri is None:
        return None
    found = await entities(info, [iri], types)
    return found[0] if found else None


async def claims(info: Info, iris: Iterable[str], types: Sequence[type] | None = None) -> list[Any]:
    """The claim objects of ``iris`` (in order), skipping IRIs that are no claim or not of ``types``."""
    objects = [claim_object(n) for n in await nodes(info, iris)]
    return [o for o in objects if _keep(o, types)]
