"""Relay-style cursor connections over an ordered list of IRIs.

A list query returns every matching IRI in order (the store is read-only per publication, so the order is
stable); `paginate` cuts the page and the resolver loads only the page's nodes. A cursor is the opaque
base64 of ``v1:<IRI of the item>``, so it stays valid while its item is still in the list.

>>> page = paginate(["a", "b", "c"], first=2, after=None, last=None, before=None, max_page=10)
>>> page.keys, page.has_next, page.total
(['a', 'b'], True, 3)
>>> paginate(["a", "b", "c"], first=2, after=page.cursors[-1], last=None, before=None, max_page=10).keys
['c']
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

from api.graphql.errors import BadArgument, BadCursor, PageSizeExceeded

__all__ = ["DEFAULT_PAGE", "Connection", "Edge", "Page", "PageInfo", "decode_cursor", "encode_cursor",
           "paginate", "to_connection"]

T = TypeVar("T")
DEFAULT_PAGE = 20
"""Page size when neither ``first`` nor ``last`` is given (capped by ``Settings.graphql_max_page``)."""
_PREFIX = "v1:"


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode((_PREFIX + key).encode("utf-8")).decode("ascii")


def decode_cursor(cursor: str) -> str:
    """The key a cursor stands for; BadCursor when it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise BadCursor(f"cursor {cursor!r} is not a cursor of this API") from exc
    if not text.startswith(_PREFIX):
        raise BadCursor(f"cursor {cursor!r} is not a cursor of this API")
    return text[len(_PREFIX):]


@dataclass(frozen=True)
class Page:
    """One page of an ordered key list."""

    keys: list[str]
    has_next: bool
    has_previous: bool
    total: int

    @property
    def cursors(self) -> list[str]:
        return [encode_cursor(k) for k in self.keys]


def _position(keys: Sequence[str], cursor: str, index: dict[str, int]) -> int:
    key = decode_cursor(cursor)
    if key not in index:
        raise BadCursor(f"cursor {cursor!r} points at an item that is not in this list "
                        "(other filters or sort order, or a newer publication of the graph)")
    return index[key]


def _check_size(name: str, value: int | None, max_page: int) -> None:
    if value is None:
        return
    if value < 0:
        raise BadArgument(f"`{name}` must be 0 or more, got {value}")
    if value > max_page:
        raise PageSizeExceeded(f"`{name}` is {value}, above the maximum page size of {max_page}",
                               hint=f"ask for at most {max_page} items and follow pageInfo.endCursor",
                               maxPageSize=max_page)


def paginate(keys: Sequence[str], *, first: int | None, after: str | None, last: int | None,
             before: str | None, max_page: int) -> Page:
    """The page of ``keys`` the Relay arguments select (``first``/``after``; backwards ``last``/``before``).

    Raises:
        PageSizeExceeded: first/last above ``max_page``. BadArgument: a negative size, or first and last
        together. BadCursor: a cursor that is not one of this list's.
    """
    _check_size("first", first, max_page)
    _check_size("last", last, max_page)
    if first is not None and last is not None:
        raise BadArgument("give `first` or `last`, not both")
    index = {k: i for i, k in enumerate(keys)} if (after or before) else {}
    start = _position(keys, after, index) + 1 if after else 0
    end = _position(keys, before, index) if before else len(keys)
    end = max(start, end)
    if last is not None:
        lo, hi = max(start, end - last), end
    else:
        size = first if first is not None else min(DEFAULT_PAGE, max_page)
        lo, hi = start, min(end, start + size)
    return Page(list(keys[lo:hi]), has_next=hi < len(keys), has_previous=lo > 0, total=len(keys))


@strawberry.type(description="Where a page sits in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page (ask with `after: "
                                                       "endCursor`).")
    has_previous_page: bool = strawberry.field(description="Items precede this page (ask with "
                                                           "`before: startCursor`).")
    start_cursor: str | None = strawberry.field(description="The cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last item of the page.")


@strawberry.type(description="One item of a list and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass it as `after` (or `before`) to page from this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list: edges (item + cursor), pageInfo and the total count.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page with their cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many items the whole list has (all pages).")

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def to_connection(page: Page, objects: dict[str, T] | Callable[[str], T | None]) -> Connection[T]:
    """A connection from a page and the objects of its keys (keys without an object are skipped)."""
    get = objects.get if isinstance(objects, dict) else objects
    edges = [Edge(cursor=encode_cursor(k), node=obj) for k in page.keys if (obj := get(k)) is not None]
    info = PageInfo(has_next_page=page.has_next, has_previous_page=page.has_previous,
                    start_cursor=edges[0].cursor if edges else None,
                    end_cursor=edges[-1].cursor if edges else None)
    return Connection(edges=edges, page_info=info, total_count=page.total)
