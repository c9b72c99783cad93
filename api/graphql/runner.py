"""How resolvers reach the store: named SPARQL files of ``kg/queries/graphql/``, batch slots, a query counter.

A query file is loaded by name (``kg.store.load_query("graphql/<name>")``). Single values are passed as
pyoxigraph substitutions (the variable must be projected by the query). Batches of keys go into the file's one
*empty* ``VALUES`` block, e.g. ``VALUES ?node { }`` or ``VALUES (?object ?predicate) { }``: that block is
filled with the keys serialised as N-Triples terms (pyoxigraph validates every IRI, so no text from a client
reaches the query unescaped). A file with an empty VALUES block still runs as it is in any SPARQL tool
(it matches nothing).

>>> fill_values("SELECT * { VALUES ?n { } ?n ?p ?o }", [(ox.NamedNode("https://example.org/a"),)])
'SELECT * { VALUES ?n { <https://example.org/a> } ?n ?p ?o }'
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import KgStore, load_query

__all__ = ["QueryRunner", "QueryStats", "Row", "fill_values", "iri"]

Row = dict[str, Any]
_SLOT = re.compile(r"VALUES\s+(\?\w+|\(\s*\?\w+(?:\s+\?\w+)*\s*\))\s*\{\s*\}")


def iri(value: str) -> ox.NamedNode:
    """A pyoxigraph IRI; ValueError when ``value`` is not a valid IRI."""
    return ox.NamedNode(value)


def fill_values(text: str, rows: Iterable[Sequence[ox.NamedNode | ox.Literal]]) -> str:
    """``text`` with its one empty VALUES block holding ``rows`` (one term per variable of the block).

    Raises:
        QueryError: the query has no empty VALUES block, or more than one.
    """
    slots = _SLOT.findall(text)
    if len(slots) != 1:
        raise QueryError(f"a batch query needs exactly one empty VALUES block, found {len(slots)}")
    width = len(slots[0].strip("()").split())
    body = " ".join(_row(row, width) for row in rows)
    return _SLOT.sub(lambda m: f"VALUES {m.group(1)} {{ {body} }}", text, count=1)


def _row(row: Sequence[ox.NamedNode | ox.Literal], width: int) -> str:
    if len(row) != width:
        raise QueryError(f"a VALUES row has {len(row)} terms, the block has {width} variables")
    terms = " ".join(str(term) for term in row)
    return terms if width == 1 else f"({terms})"


@dataclass
class QueryStats:
    """What one GraphQL request asked of the store."""

    queries: int = 0
    names: list[str] = field(default_factory=list)


class QueryRunner:
    """Runs the named GraphQL queries against one store and counts them (per request).

    Args:
        store: a `KgStore`, or a callable returning one (opened lazily, on the first query).
    """

    PREFIX = "graphql/"

    def __init__(self, store: KgStore | Callable[[], KgStore]) -> None:
        self._store = store
        self.stats = QueryStats()

    @property
    def store(self) -> KgStore:
        if callable(self._store) and not isinstance(self._store, KgStore):
            self._store = self._store()
        return self._store

    def select(self, name: str, *, keys: Sequence[Sequence[ox.NamedNode | ox.Literal]] | None = None,
               **bindings: Any) -> list[Row]:
        """The rows of ``kg/queries/graphql/<name>.rq`` as dicts (unbound variables are absent).

        Args:
            name: the query file, without folder and extension.
            keys: the rows of the batch VALUES block (None: the query has no batch slot).
            bindings: single values for projected variables (None values are left unbound).

        Raises:
            StoreError: the store is missing or unreadable. QueryError: the query file is wrong.
        """
        if keys is not None and not keys:
            return []
        text = load_query(self.PREFIX + name)
        if keys is not None:
            text = fill_values(text, keys)
        self.stats.queries += 1
        self.stats.names.append(name)
        solutions = self.store.query(text, {k: v for k, v in bindings.items() if v is not None})
        names = [variable.value for variable in solutions.variables]
        # one pass over each solution's terms (row[name] builds the Python term anew on every access)
        return [{n: term for n, term in zip(names, row) if term is not None} for row in solutions]

    async def aselect(self, name: str, *, keys: Sequence[Sequence[ox.NamedNode | ox.Literal]] | None = None,
                      **bindings: Any) -> list[Row]:
        """``select`` on a worker thread, so that a slow store query never blocks the event loop (other
        requests, /health, /sparql keep being served meanwhile)."""
        return await asyncio.to_thread(self.select, name, keys=keys, **bindings)
