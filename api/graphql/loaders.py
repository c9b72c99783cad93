"""Batch functions of the per-request DataLoaders: one named SPARQL query per batch, keys are IRIs.

Each function takes the request's `QueryRunner` and the keys the DataLoader gathered during one tick of the
event loop, and returns one result per key, in key order. However many items a GraphQL list has, a level of
the query costs one store query per loader used at that level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from api.graphql.records import Node
from api.graphql.runner import QueryRunner, iri
from kg.terms import python_value

__all__ = ["SortKeys", "load_inverse", "load_nodes", "load_programme_investments", "load_slugs",
           "load_sort_keys", "load_timeline"]


def _sorted_unique(values: Sequence[str]) -> list[str]:
    return sorted(set(values))


async def load_nodes(runner: QueryRunner, keys: Sequence[str]) -> list[Node]:
    """The node (outgoing triples) of each IRI; a node without triples has ``exists`` False."""
    rows = await runner.aselect("nodes", keys=[(iri(k),) for k in keys])
    pairs: dict[str, list[tuple[str, ox.NamedNode | ox.Literal]]] = defaultdict(list)
    for row in rows:
        pairs[row["node"].value].append((row["predicate"].value, row["object"]))
    return [Node.build(k, pairs.get(k, ())) for k in keys]


async def load_inverse(runner: QueryRunner, keys: Sequence[tuple[str, str]]) -> list[list[str]]:
    """For each (object IRI, predicate IRI), the sorted IRIs of the subjects pointing at the object."""
    rows = await runner.aselect("inverse", keys=[(iri(o), iri(p)) for o, p in keys])
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        found[(row["object"].value, row["predicate"].value)].append(row["subject"].value)
    return [_sorted_unique(found.get(k, [])) for k in keys]


async def load_slugs(runner: QueryRunner, keys: Sequence[str]) -> list[list[str]]:
    """For each slug (``dct:identifier``), the sorted IRIs of the entities that have it."""
    rows = await runner.aselect("slugs", keys=[(ox.Literal(k),) for k in keys])
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        found[row["slug"].value].append(row["entity"].value)
    return [_sorted_unique(found.get(k, [])) for k in keys]


async def load_timeline(runner: QueryRunner, keys: Sequence[str]) -> list[list[str]]:
    """For each focus IRI, the milestones about it and about everything within it (unordered)."""
    rows = await runner.aselect("timeline", keys=[(iri(k),) for k in keys])
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        found[row["focus"].value].append(row["milestone"].value)
    return [_sorted_unique(found.get(k, [])) for k in keys]


async def load_programme_investments(runner: QueryRunner, keys: Sequence[str]) -> list[list[str]]:
    """For each programme, fund or initiative, the investments that belong to it (see the .rq file)."""
    rows = await runner.aselect("programme-investments", keys=[(iri(k),) for k in keys])
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        found[row["programme"].value].append(row["investment"].value)
    return [_sorted_unique(found.get(k, [])) for k in keys]


@dataclass(frozen=True)
class SortKeys:
    """What entities are sorted on besides their label."""

    first_date: str | None = None
    largest_amount: Decimal | None = None


async def load_sort_keys(runner: QueryRunner, keys: Sequence[str]) -> list[SortKeys]:
    """For each entity, its earliest non-deprecated milestone date and largest non-deprecated amount."""
    rows = await runner.aselect("entity-sort-keys", keys=[(iri(k),) for k in keys])
    found: dict[str, SortKeys] = {}
    for row in rows:
        amount = python_value(row["largestAmount"]) if "largestAmount" in row else None
        found[row["entity"].value] = SortKeys(
            first_date=row["firstDate"].value if "firstDate" in row else None,
            largest_amount=Decimal(str(amount)) if amount is not None else None,
        )
    return [found.get(k, SortKeys()) for k in keys]
