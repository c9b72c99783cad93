"""Which entities an entity list holds: small selective queries, intersected here, then labels.

Each filter given runs its own named query (``kg/queries/graphql/entities-<filter>.rq``) returning the IRIs
that pass it; the sets are intersected, smallest first, and the remaining filters are skipped once nothing
is left. The class test and the labels (to sort on) come last: for the candidates only, in one batch
``VALUES`` query, when there are at most `BATCH_LIMIT` of them; otherwise (and when no filter is given) from
the class query, which lists the class with its labels.

A list therefore costs one query per filter given plus one, whatever the size of the page or of the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from api.graphql.filters import EntityCriteria
from api.graphql.runner import QueryRunner, Row, iri

__all__ = ["BATCH_LIMIT", "Labels", "entity_candidates"]

BATCH_LIMIT = 5_000
"""Most candidates whose types and labels are fetched by IRI; above it the class query is cheaper."""

Labels = dict[str, list[ox.Literal]]
"""Entity IRI → its labels (every language), for every entity of a list, in no particular order."""


def _filtered(runner: QueryRunner, criteria: EntityCriteria) -> set[str] | None:
    """The IRIs passing every filter (None: no filter given)."""
    found: list[set[str]] = []
    for name, bindings in criteria.filters:
        found.append({row["entity"].value for row in runner.select(name, **bindings)})
        if not found[-1]:
            return set()
    if not found:
        return None
    found.sort(key=len)
    return set.intersection(*found)


def _labels(rows: Iterable[Row], keep: set[str] | None = None) -> Labels:
    labels: Labels = defaultdict(list)
    for row in rows:
        entity = row["entity"].value
        if keep is not None and entity not in keep:
            continue
        found = labels[entity]
        if "label" in row and row["label"] not in found:
            found.append(row["label"])
    return dict(labels)


def _of_classes(runner: QueryRunner, criteria: EntityCriteria, keep: set[str] | None) -> Labels:
    rows = runner.select("entities-of-class", keys=[(iri(c),) for c in criteria.classes])
    return _labels(rows, keep)


def _by_iri(runner: QueryRunner, criteria: EntityCriteria, candidates: set[str]) -> Labels:
    rows = runner.select("entity-labels", keys=[(iri(k),) for k in sorted(candidates)])
    wanted = set(criteria.classes)
    listed = {row["entity"].value for row in rows if "type" in row and row["type"].value in wanted}
    return _labels(rows, listed)


def entity_candidates(runner: QueryRunner, criteria: EntityCriteria) -> Labels:
    """Every entity of ``criteria.classes`` passing all of ``criteria.filters``, with its labels."""
    candidates = _filtered(runner, criteria)
    if candidates is not None and not candidates:
        return {}
    if candidates is None:
        return _of_classes(runner, criteria, None)
    if len(candidates) <= BATCH_LIMIT:
        return _by_iri(runner, criteria, candidates)
    return _of_classes(runner, criteria, candidates)
