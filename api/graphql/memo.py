"""Bounded least-recently-used memos for what depends only on the published graph (answers, list orders).

A published store is never written again, so anything computed from it stays true until the next
publication; keys start with `store_version`, which changes with every publication and rollback.

>>> memo = Lru(max_entries=2, max_weight=10)
>>> memo.put("a", "x", weight=4); memo.put("b", "y", weight=4); memo.put("c", "z", weight=4)
>>> memo.get("a"), memo.get("c"), len(memo), memo.weight
(None, 'z', 2, 8)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from kg.remote_store import RemoteStore

__all__ = ["Lru", "store_version"]

V = TypeVar("V")


class Lru(Generic[V]):
    """A map bounded in entries and in total weight (bytes, items…); the least recently used go first.

    Either bound at 0 turns it off (nothing is kept).
    """

    def __init__(self, max_entries: int, max_weight: int) -> None:
        self.max_entries = max_entries
        self.max_weight = max_weight
        self.weight = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.max_weight > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> V | None:
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: V, weight: int) -> None:
        """Keep ``value`` (not when it alone is over the weight bound), evicting the least recently used."""
        if not self.enabled or weight > self.max_weight:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.weight -= old[1]
        self._entries[key] = (value, weight)
        self.weight += weight
        while len(self._entries) > self.max_entries or self.weight > self.max_weight:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.weight -= evicted


def store_version(store: Any) -> str | None:
    """What identifies the store's content: the published build's directory (embedded store), or the
    endpoint and its pinned graphs (remote store); None when the content may change under the same name (a
    remote store serving its default dataset) or the store does not say."""
    if isinstance(store, RemoteStore) and not store.graphs:
        return None
    return getattr(store, "revision", None)
