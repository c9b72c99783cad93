"""Export of the published graph: the union of its graphs as triples, or the dataset with its named graphs.

>>> FORMATS["ttl"].name, FORMATS["trig"].supports_datasets
('Turtle', True)
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import QueryError
from kg.namespaces import PREFIXES, Minter
from kg.store import KgStore

__all__ = ["DATASET_FORMATS", "FORMATS", "export_graph"]

FORMATS: dict[str, ox.RdfFormat] = {
    "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
}
DATASET_FORMATS = frozenset({"trig", "nq"})
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_ONE_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def export_graph(store: KgStore, fmt: str, out: BinaryIO, *, settings: Settings,
                 graph: str | None = None) -> int:
    """Write the store (or one named graph) to ``out``; return how many triples or quads were written.

    Args:
        fmt: ``nt``, ``ttl`` or ``jsonld`` (triples: the union of all graphs, each triple once) or ``trig``,
            ``nq`` (quads, graph names kept).
        graph: a short graph name (``curated``, ``import/<name>``) or a graph IRI; all graphs by default.
    """
    rdf = FORMATS.get(fmt)
    if rdf is None:
        raise QueryError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    graph_node = _graph_node(settings, graph) if graph else None
    if fmt in DATASET_FORMATS:
        pattern = store.raw.quads_for_pattern(None, None, None, graph_node)
        items = [q for q in pattern if not isinstance(q.graph_name, ox.DefaultGraph)]
    elif graph_node is None:
        items = list(store.query(_UNION))
    else:
        items = list(store.query(_ONE_GRAPH, {"g": graph_node}))
    ox.serialize(items, out, format=rdf, prefixes=PREFIXES if rdf in _PREFIXED else None)
    return len(items)


_PREFIXED = {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG}


def _graph_node(settings: Settings, graph: str) -> ox.NamedNode:
    if graph.startswith(("http://", "https://")):
        return ox.NamedNode(graph)
    return ox.NamedNode(str(Minter(settings.base_iri).graph(graph)))
