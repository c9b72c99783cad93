"""The root lists: find the members in the store, sort and cut the page here, load only the page's nodes.

An entity list costs one query per filter given plus one for the class and labels (api/graphql/candidates.py),
the sort-key query when sorting on dates or amounts, and one node query for the page, whatever the list's
length; a claim list costs the filter query and the page's node query. An entity list's order depends only on
the published graph, its criteria, its sort and its language, so it is kept per store version
(`GraphQLContext.orders`, bounded LRU): the other pages of a list, or the same list under another selection,
cost only the page's node query.
"""

from __future__ import annotations

import asyncio

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from strawberry.types import Info

from api.graphql.candidates import Labels, entity_candidates
from api.graphql.errors import BadArgument
from api.graphql.filters import (
    ClaimFilter, ClaimSort, ClaimSortField, EntityCriteria, EntityFilter, EntitySort, EntitySortField,
    claim_bindings, entity_criteria,
)
from api.graphql.kinds import EntityKind, Rank, SortDirection
from api.graphql.memo import store_version
from api.graphql.objects import ENTITY_TYPES, claims, context, entities
from api.graphql.pagination import Connection, paginate, to_connection
from api.graphql.records import pick_label
from api.graphql.textfold import fold
from kg.namespaces import vocab
from kg.terms import python_value

__all__ = ["MAX_ORDERED_KEYS", "Window", "kept", "list_claims", "list_entities"]

T = TypeVar("T")

_RANK_ORDER = {str(vocab("rank", r.value)): i for i, r in enumerate(Rank)}
MAX_ORDERED_KEYS = 1_000_000
"""Most IRIs the kept list orders hold together (the weight bound of `GraphQLContext.orders`)."""


@dataclass(frozen=True)
class Window:
    """The Relay arguments of a list field."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


def _sorted(keys: Sequence[str], key: Callable[[str], Any], direction: SortDirection) -> list[str]:
    """``keys`` sorted by ``key`` (None last in both directions), ties by IRI."""
    present = [k for k in keys if key(k) is not None]
    missing = sorted(k for k in keys if key(k) is None)
    ordered = sorted(sorted(present), key=key, reverse=direction is SortDirection.DESC)
    return ordered + missing


def _check_kind(base: EntityKind | None, flt: EntityFilter | None) -> None:
    if base and flt and flt.kind and ENTITY_TYPES.get(flt.kind) is not ENTITY_TYPES.get(base):
        raise BadArgument(f"kind {flt.kind.name} is not a kind of {ENTITY_TYPES[base].__name__}; use "
                          f"`entities`")


async def _entity_order(info: Info, labels: Labels, sort: EntitySort, lang: str) -> list[str]:
    keys = list(labels)
    if sort.by is EntitySortField.ID:
        return _sorted(keys, lambda k: k, sort.direction)
    if sort.by is EntitySortField.LABEL:
        names = {k: fold(pick_label(v, lang) or "") or None for k, v in labels.items()}
        return _sorted(keys, names.get, sort.direction)
    sort_keys = dict(zip(keys, await context(info).sort_keys.load_many(keys)))
    if sort.by is EntitySortField.FIRST_MILESTONE:
        return _sorted(keys, lambda k: sort_keys[k].first_date, sort.direction)
    return _sorted(keys, lambda k: sort_keys[k].largest_amount, sort.direction)


def _order_key(version: str, criteria: EntityCriteria, sort: EntitySort, lang: str) -> tuple[Any, ...]:
    filters = tuple((name, tuple(sorted((k, str(v)) for k, v in bindings.items())))
                    for name, bindings in criteria.filters)
    return (version, criteria.classes, filters, sort.by, sort.direction, lang)


async def kept(info: Info, key: Callable[[str], tuple[Any, ...]], compute: Callable[[], Awaitable[list[T]]]) -> list[T]:
    """``compute()``'s list, kept per store version in `GraphQLContext.orders` under ``key(version)``.

    Nothing is kept when the orders memo is off or the store has no stable version, nor when a publication
    happened while computing.
    """
    ctx = context(info)
    store = ctx.runner.store if ctx.orders is not None and ctx.orders.enabled else None
    version = store_version(store) if store is not None else None
    found = ctx.orders.get(key(version)) if version else None
    if found is not None:
        return found
    computed = await compute()
    if version and store_version(store) == version:  # no publication meanwhile
        ctx.orders.put(key(version), computed, weight=max(len(computed), 1))
    return computed


async def _ordered_entities(info: Info, criteria: EntityCriteria, sort: EntitySort, lang: str) -> list[str]:
    """The IRIs of the list in order: kept per store version, computed when not kept yet."""
    async def compute() -> list[str]:
        labels = await asyncio.to_thread(entity_candidates, context(info).runner, criteria)
        return await _entity_order(info, labels, sort, lang)

    return await kept(info, lambda version: _order_key(version, criteria, sort, lang), compute)


async def list_entities(info: Info, base: EntityKind | None, flt: EntityFilter | None,
                        sort: EntitySort | None, lang: str | None, window: Window) -> Connection[Any]:
    """A page of the entities of class ``base`` (all entities when None) passing ``flt``."""
    _check_kind(base, flt)
    ctx = context(info)
    criteria = await entity_criteria(info, flt, base)
    order = await _ordered_entities(info, criteria, sort or EntitySort(), lang or ctx.lang)
    page = paginate(order, first=window.first, after=window.after, last=window.last, before=window.before,
                    max_page=ctx.max_page)
    found = await entities(info, page.keys)
    return to_connection(page, {e.node.iri: e for e in found})


def _claim_rows(rows: list[dict[str, Any]], flt: ClaimFilter | None) -> dict[str, dict[str, Any]]:
    by_claim: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_claim.setdefault(row["claim"].value, row)
    if flt and flt.ranks:
        wanted = {str(vocab("rank", r.value)) for r in flt.ranks}
        by_claim = {k: r for k, r in by_claim.items() if r["rank"].value in wanted}
    if flt and flt.disputed is not None:
        by_claim = {k: r for k, r in by_claim.items()
                    if (r.get("disputed") is not None and r["disputed"].value == "true") is flt.disputed}
    return by_claim


def _claim_key(sort: ClaimSort, row: dict[str, Any]) -> Any:
    column = {ClaimSortField.EARLIEST: "earliest", ClaimSortField.AMOUNT: "value",
              ClaimSortField.AS_OF: "asOf"}.get(sort.by)
    if column is None:
        return (row["subject"].value, row["sourceProperty"].value, _RANK_ORDER.get(row["rank"].value, 9))
    if column not in row:
        return None
    value = python_value(row[column]) if column == "value" else row[column].value
    return (value, _RANK_ORDER.get(row["rank"].value, 9))


async def list_claims(info: Info, flt: ClaimFilter | None, sort: ClaimSort | None,
                      window: Window) -> Connection[Any]:
    """A page of the claims passing ``flt``."""
    ctx = context(info)
    sort = sort or ClaimSort()
    by_claim = _claim_rows(await ctx.runner.aselect("claims", **await claim_bindings(info, flt)), flt)
    order = _sorted(list(by_claim), lambda k: _claim_key(sort, by_claim[k]), sort.direction)
    page = paginate(order, first=window.first, after=window.after, last=window.last, before=window.before,
                    max_page=ctx.max_page)
    found = await claims(info, page.keys)
    return to_connection(page, {c.node.iri: c for c in found})


