"""Conversion of RDF terms between rdflib (mapping, validation) and pyoxigraph (store, queries).

>>> to_oxigraph(Literal(5))
<Literal value=5 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
>>> to_rdflib(ox.NamedNode("https://example.org/a"))
rdflib.term.URIRef('https://example.org/a')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

__all__ = ["OxTerm", "graph_to_ntriples", "python_value", "to_oxigraph", "to_rdflib", "triples_to_graph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_oxigraph(value: Any) -> OxTerm:
    """A pyoxigraph term from an rdflib term, a pyoxigraph term or a plain Python value.

    Plain ``str`` becomes a string literal (use ``URIRef`` for an IRI); numbers, booleans, dates and
    ``Decimal`` become typed literals.
    """
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if not isinstance(value, Literal):
        value = Literal(value)
    if value.language:
        return ox.Literal(str(value), language=value.language)
    if value.datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
    return ox.Literal(str(value))


def to_rdflib(term: OxTerm | None) -> rdflib.term.Identifier | None:
    """An rdflib term from a pyoxigraph term (``None`` stays ``None``: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib parses it (RDF 1.1: the same term)
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def python_value(term: OxTerm | None) -> Any:
    """The Python value of a term: IRIs as str, literals as int/Decimal/float/bool/date/str."""
    node = to_rdflib(term)
    if node is None or isinstance(node, (URIRef, BNode)):
        return None if node is None else str(node)
    value = node.toPython()
    return value if isinstance(value, (int, float, bool, Decimal, dt.date, str)) else str(node)


def graph_to_ntriples(graph: rdflib.Graph) -> bytes:
    """N-Triples bytes of an rdflib graph (for pyoxigraph's bulk loader)."""
    return graph.serialize(format="nt", encoding="utf-8")


def triples_to_graph(triples: Any, graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Add pyoxigraph triples (e.g. CONSTRUCT results) to an rdflib graph, converting each term."""
    graph = rdflib.Graph() if graph is None else graph
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph
