"""The messages exchanged between the executor (parent) and its worker processes, and the media types.

Both sides import this module, so it holds only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "BOOLEAN",
    "CSV",
    "GRAPH",
    "JSONLD",
    "NTRIPLES",
    "RDFXML",
    "RESULTS_JSON",
    "RESULTS_XML",
    "SOLUTIONS",
    "TABLE",
    "TSV",
    "TURTLE",
    "Job",
    "Outcome",
]

# Result kinds, as the worker finds them after running the query.
SOLUTIONS = "solutions"
BOOLEAN = "boolean"
GRAPH = "graph"

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
# Internal only (never negotiated): SPARQL JSON results for any kind, a graph as ?subject ?predicate ?object.
TABLE = "application/x-kg-table+json"


@dataclass(frozen=True)
class Job:
    """One query for a worker.

    Attributes:
        query: the SPARQL query text.
        base_iri: base against which relative IRIs of the query resolve (the endpoint URL).
        formats: media type to produce for each result kind (``SOLUTIONS``, ``BOOLEAN``, ``GRAPH``);
            a kind missing from it is not acceptable to the client.
        default_graphs: protocol ``default-graph-uri`` values, or None when the protocol gave no dataset.
        named_graphs: protocol ``named-graph-uri`` values, or None when the protocol gave no dataset.
        union_default_graph: evaluate against the union of the named graphs as default graph.
        max_rows: row (or triple) cap.
        truncate: past ``max_rows``, stop and flag the outcome as truncated instead of failing.
        native: let oxigraph write SPARQL JSON results itself (the worker clears it to fall back).
    """

    query: str
    base_iri: str
    formats: dict[str, str]
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    max_rows: int = 100_000
    truncate: bool = False
    native: bool = True


@dataclass(frozen=True)
class Outcome:
    """What a worker answers.

    Attributes:
        error: empty on success, else one of ``syntax``, ``rows``, ``not-acceptable``, ``no-store``, ``evaluation``, ``io``.
        kind: the result kind (``SOLUTIONS``, ``BOOLEAN``, ``GRAPH``), when the query ran.
        media_type / body: the serialised result.
        rows: number of rows (or triples) serialised; None when oxigraph serialised a result too small to need
            counting.
        truncated: the result was cut at ``Job.max_rows`` (only with ``Job.truncate``).
        message: the error message (safe to show: it never carries paths or traces).
        detail: extra error detail for the server log only.
    """

    error: str = ""
    kind: str = ""
    media_type: str = ""
    body: bytes = b""
    rows: int | None = 0
    truncated: bool = False
    message: str = ""
    detail: str = field(default="", repr=False)
