"""Reads the subjects to link from a graph: organisations and places with names, class, country and known
identifiers (``linking/subjects.rq``, ``linking/context.rq``).

The country of a subject is the first ISO 3166-1 (or NUTS level-0) code found on it or on what it lies in,
following ``eip:locatedIn``, ``eip:partOf`` and ``eip:headquarteredIn`` breadth first.
"""

from __future__ import annotations

from collections import defaultdict, deque

from rdflib import Graph

from kg.linking.records import Subject
from kg.namespaces import EIP, VOCAB
from kg.store import load_query as load

__all__ = ["country_of", "identifier_holders", "subjects_from_graph"]

_PLACE_CLASSES = frozenset({"Place", "Country", "Region", "Municipality"})
_NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}
_SCHEME_PREFIX = VOCAB + "identifier-scheme/"
_NAME_ORDER = {"label": 0, "legal": 1, "alias": 2}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _own_country(known: dict[str, str]) -> str | None:
    if "iso3166-1" in known:
        return known["iso3166-1"]
    nuts = known.get("nuts", "")
    if len(nuts) == 2:
        return _NUTS_TO_ISO.get(nuts, nuts)
    if "iso3166-2" in known:
        return known["iso3166-2"][:2]
    return None


def country_of(entity: str, edges: dict[str, set[str]], known: dict[str, dict[str, str]]) -> str | None:
    """The country code of ``entity`` from its own identifiers or those of the places it lies in."""
    queue, seen = deque([entity]), {entity}
    while queue:
        current = queue.popleft()
        code = _own_country(known.get(current, {}))
        if code:
            return code
        for target in sorted(edges.get(current, ())):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return None


def _context(graph: Graph) -> tuple[dict[str, set[str]], dict[str, dict[str, str]]]:
    edges: dict[str, set[str]] = defaultdict(set)
    known: dict[str, dict[str, str]] = defaultdict(dict)
    for row in graph.query(load("linking/context")):
        entity = str(row.entity)
        if row.target is not None:
            edges[entity].add(str(row.target))
        elif row.scheme is not None and str(row.scheme).startswith(_SCHEME_PREFIX):
            known[entity][str(row.scheme)[len(_SCHEME_PREFIX) :]] = str(row.notation)
    return edges, known


def identifier_holders(graph: Graph) -> dict[tuple[str, str], set[str]]:
    """The entities holding each identifier ``(scheme, notation)`` in ``graph`` (curated or linked)."""
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in graph.query(load("linking/context")):
        if row.scheme is not None and str(row.scheme).startswith(_SCHEME_PREFIX):
            holders[(str(row.scheme)[len(_SCHEME_PREFIX) :], str(row.notation))].add(str(row.entity))
    return dict(holders)


def subjects_from_graph(graph: Graph) -> list[Subject]:
    """Every organisation and place of ``graph`` as a Subject, sorted by IRI."""
    edges, known = _context(graph)
    classes: dict[str, set[str]] = defaultdict(set)
    slugs: dict[str, str] = {}
    names: dict[str, set[tuple[int, str, str]]] = defaultdict(set)
    for row in graph.query(load("linking/subjects")):
        entity = str(row.entity)
        if str(row["class"]).startswith(str(EIP)):
            classes[entity].add(_local(str(row["class"])))
        if row.slug is not None:
            slugs[entity] = str(row.slug)
        if row.name is not None:
            names[entity].add((_NAME_ORDER[str(row.nameKind)], str(row.name), row.name.language or ""))
    subjects = []
    for entity in sorted(classes):
        ordered = sorted(names[entity], key=lambda n: (n[0], n[2] != "en", n[1]))
        kind = "place" if classes[entity] & _PLACE_CLASSES else "organisation"
        subjects.append(
            Subject(
                iri=entity,
                slug=slugs.get(entity, _local(entity)),
                kind=kind,
                classes=frozenset(classes[entity]),
                names=tuple(dict.fromkeys((text, lang) for _, text, lang in ordered)),
                country=country_of(entity, edges, known),
                known=dict(known.get(entity, {})),
            )
        )
    return subjects
