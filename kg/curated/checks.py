"""Graph-wide checks of the curated mapping that no single fact can fail: cycles in containment."""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.errors import MappingError
from kg.namespaces import EIP

__all__ = ["CONTAINMENT", "check_containment_cycles"]

CONTAINMENT = (EIP.locatedIn, EIP.partOf)


def _edges(graph: Graph) -> dict[URIRef, set[URIRef]]:
    edges: dict[URIRef, set[URIRef]] = {}
    for predicate in CONTAINMENT:
        for subject, obj in graph.subject_objects(predicate):
            edges.setdefault(subject, set()).add(obj)
    return edges


def _find_cycle(edges: dict[URIRef, set[URIRef]]) -> list[URIRef] | None:
    state: dict[URIRef, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(edges):
        stack: list[tuple[URIRef, list[URIRef]]] = [(start, sorted(edges.get(start, ())))]
        path = [start]
        state[start] = state.get(start, 0) or 1
        if state[start] == 2:
            continue
        while stack:
            node, todo = stack[-1]
            if not todo:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop(0)
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if state.get(nxt) != 2:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(edges.get(nxt, ()))))
    return None


def _lines(graph: Graph, cycle: list[URIRef]) -> list[str]:
    lines = []
    for subject, obj in zip(cycle, cycle[1:]):
        for claim in graph.subjects(EIP.subject, subject):
            if graph.value(claim, EIP.object) == obj:
                lines.append(str(graph.value(claim, EIP.sourceLine)))
    return lines


def check_containment_cycles(graph: Graph) -> None:
    """MappingError naming the entities and fact lines of the first cycle in located-in / part-of."""
    cycle = _find_cycle(_edges(graph))
    if cycle:
        names = " → ".join(str(node).rsplit("/", 1)[-1] for node in cycle)
        lines = _lines(graph, cycle)
        raise MappingError(f"cycle in located_in/part_of: {names} (rule: containment must be a hierarchy)",
                           location=", ".join(lines))
