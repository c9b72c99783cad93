"""Reading RDF files into rdflib graphs with errors that name the file and line.

pyoxigraph parses (it reports line and column; rdflib's parsers often do not), rdflib holds the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.errors import SourceError
from kg.terms import to_rdflib

__all__ = ["RDF_SUFFIXES", "rdf_format", "read_rdf", "read_rdf_files"]

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".n3")
_EXTRA = {"owl": ox.RdfFormat.RDF_XML, "json": ox.RdfFormat.JSON_LD}


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format of a file from its extension.

    Raises:
        SourceError: the extension is not an RDF one.
    """
    suffix = path.suffix.lstrip(".").lower()
    found = ox.RdfFormat.from_extension(suffix) or _EXTRA.get(suffix)
    if found is None:
        raise SourceError(f"not an RDF file extension: {path.suffix or '(none)'}; expected one of "
                          f"{', '.join(RDF_SUFFIXES)}", location=str(path))
    return found


def read_rdf(path: Path, graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Parse an RDF file (named graphs of TriG/N-Quads are merged) into ``graph`` or a new graph.

    Raises:
        SourceError: the file is missing or unreadable, or has a syntax error (location ``file:line:column``).
    """
    graph = rdflib.Graph() if graph is None else graph
    rdf = rdf_format(path)
    try:
        for quad in ox.parse(path=str(path), format=rdf):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}:{exc.offset}" if exc.lineno else str(path)
        raise SourceError(f"RDF syntax error ({rdf.name}): {exc.msg}", location=where) from exc
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}", location=str(path)) from exc
    return graph


def read_rdf_files(paths: Iterable[Path], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Parse several RDF files into ``graph`` or a new graph."""
    graph = rdflib.Graph() if graph is None else graph
    for path in paths:
        read_rdf(path, graph)
    return graph
