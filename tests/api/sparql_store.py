"""A small published store for the SPARQL tests, and settings pointing at it.

``publish`` writes a pyoxigraph store under ``<data_dir>/stores/<name>`` and points the ``current`` symlink
at it atomically, as a publication does. The session store holds a few hand-made triples in two named
graphs plus 2000 filler triples (enough for a cartesian product that never ends).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings

EX = "http://example.org/"
GRAPH_A = EX + "graph/a"
GRAPH_B = EX + "graph/b"
FILLER = EX + "graph/filler"
FILLER_SIZE = 2000
ENDLESS_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?b . ?c ?p2 ?d . ?e ?p3 ?f . ?g ?p4 ?h . ?i ?p5 ?j }"
)
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _q(s: str, p: str, o: ox.NamedNode | ox.Literal, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + p), o, ox.NamedNode(g))


def sample_quads() -> list[ox.Quad]:
    """The hand-made part of the test store."""
    return [
        _q("verkor", "name", ox.Literal("Verkor", language="fr"), GRAPH_A),
        _q("verkor", "jobs", ox.Literal("1200", datatype=XSD_INTEGER), GRAPH_A),
        _q("verkor", "site", ox.NamedNode(EX + "grenoble"), GRAPH_A),
        _q("evil", "name", ox.Literal("<script>alert('x')</script>"), GRAPH_A),
        _q("evil", "formula", ox.Literal("=HYPERLINK(\"http://evil.example/\",\"click\")"), GRAPH_A),
        _q("evil", "link", ox.NamedNode("javascript:alert(1)"), GRAPH_A),
        _q("evil", "delta", ox.Literal("-42", datatype=XSD_INTEGER), GRAPH_A),
        _q("grenoble", "name", ox.Literal("Grenoble\tIsère\n", language="fr"), GRAPH_B),
    ]


def filler_quads(size: int = FILLER_SIZE) -> Iterable[ox.Quad]:
    graph = ox.NamedNode(FILLER)
    return (ox.Quad(ox.NamedNode(f"{EX}n{i}"), ox.NamedNode(EX + "rank"), ox.Literal(str(i)), graph)
            for i in range(size))


def publish(data_dir: Path, name: str, quads: Iterable[ox.Quad]) -> Path:
    """Write a store ``<data_dir>/stores/<name>`` and swap ``<data_dir>/current`` to it atomically."""
    target = data_dir / "stores" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(target))
    store.extend(quads)
    store.flush()
    del store
    link = data_dir / "current"
    temporary = data_dir / f".current-{name}"
    os.symlink(target, temporary)
    os.replace(temporary, link)
    return target


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": data_dir, "sparql_timeout_s": 1.5, "sparql_workers": 2}
    values.update(overrides)
    return Settings(**values)


