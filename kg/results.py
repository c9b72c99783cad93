"""Writing SPARQL results for people and programs: an aligned table, CSV/TSV, SPARQL JSON, or RDF.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> a, b = ox.NamedNode("https://schema.org/a"), ox.NamedNode("https://schema.org/b")
>>> store.add(ox.Quad(a, b, ox.Literal("x")))
>>> print(render(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), "table").decode(), end="")
s        | o
---------+--
schema:a | x
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from kg.namespaces import PREFIXES

__all__ = ["FORMATS", "compact", "csv_cell", "render", "solutions_csv", "used_prefixes"]

FORMATS = ("table", "csv", "tsv", "json")
_TABULAR = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(text: str) -> str:
    """A CSV cell neutralised against spreadsheet formula injection: text starting with ``= + - @`` (or a
    tab or CR) gets a leading ``'``; plain numbers such as ``-42`` are left alone.

    >>> print(csv_cell('=HYPERLINK("http://x")'), csv_cell("-42"))
    '=HYPERLINK("http://x") -42
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _term_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return csv_cell(f"<< {term.subject} {term.predicate} {term.object} >>")
    return csv_cell(term.value)


def solutions_csv(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL 1.1 CSV results (RFC 4180, CRLF), every cell through ``csv_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_term_csv(term) for term in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
_SHOWN_PREFIXES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(term: Any, extra: dict[str, str] | None = None) -> str:
    """A short display form: prefixed IRIs, lexical literals (``@lang`` kept), ``_:`` blank nodes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in [*(extra or {}).items(), *_SHOWN_PREFIXES]:
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal) and term.language:
        return f"{term.value}@{term.language}"
    return str(term.value)


def render(result: Any, fmt: str, *, extra_prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise a pyoxigraph query result.

    SELECT: ``table`` (aligned, compact terms), ``csv``, ``tsv`` or ``json`` (SPARQL 1.1 results).
    ASK: ``true``/``false`` (table, csv, tsv) or SPARQL JSON. CONSTRUCT/DESCRIBE: Turtle, or JSON-LD for json.
    """
    if isinstance(result, ox.QueryTriples):
        rdf = ox.RdfFormat.JSON_LD if fmt == "json" else ox.RdfFormat.TURTLE
        return ox.serialize(list(result), format=rdf, prefixes=None if fmt == "json" else PREFIXES)
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return result.serialize(format=ox.QueryResultsFormat.JSON)
        return b"true\n" if bool(result) else b"false\n"
    if fmt == "csv":
        names = [v.value for v in result.variables]
        return solutions_csv(names, ([row[name] for name in names] for row in result))
    if fmt in _TABULAR:
        return result.serialize(format=_TABULAR[fmt])
    return _table(result, extra_prefixes).encode("utf-8")


def _table(solutions: ox.QuerySolutions, extra: dict[str, str] | None) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[compact(row[name], extra) for name in names] for row in solutions]
    widths = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(names)]
    lines = [" | ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def used_prefixes(triples: Sequence[ox.Triple], prefixes: dict[str, str] = PREFIXES) -> dict[str, str]:
    """The ``prefixes`` that abbreviate at least one IRI (or literal datatype) of ``triples``."""
    iris: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {name: ns for name, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}
