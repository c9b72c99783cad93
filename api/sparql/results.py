"""Serialisers of SPARQL results: SELECT and ASK as JSON, XML, CSV and TSV; CONSTRUCT/DESCRIBE as RDF.

The worker materialises at most ``max_rows`` rows, so these functions take plain lists.

CSV output is safe from spreadsheet formula injection: a cell whose text starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with a single quote (``'``), unless the whole cell is a plain
number (``-3``, ``+1.5e3`` stay as they are, since no spreadsheet reads them as a formula). The CSV format
is lossy anyway (it drops datatypes and languages); use TSV or JSON for exact values. TSV cells are terms
in N-Triples syntax and always start with ``"``, ``<`` or ``_:``, so they need no such prefix.

>>> csv_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> csv_cell("-42")
'-42'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from api.sparql.jobs import CSV, JSONLD, NTRIPLES, RDFXML, RESULTS_JSON, RESULTS_XML, TABLE, TSV, TURTLE
from kg.results import csv_cell, solutions_csv, used_prefixes

__all__ = [
    "GRAPH_FORMATS",
    "Row",
    "boolean_body",
    "csv_cell",
    "graph_body",
    "solutions_body",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# --- JSON ---------------------------------------------------------------------------------------------

def _term_json(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _term_json(term.subject),
            "predicate": _term_json(term.predicate),
            "object": _term_json(term.object),
        }}
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _solutions_json(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    bindings = [
        {name: _term_json(term) for name, term in zip(variables, row) if term is not None}
        for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- XML ----------------------------------------------------------------------------------------------

def _xml_text(text: str) -> str:
    return escape(_XML_INVALID.sub("\ufffd", text))


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        return "<triple>" + "".join(f"<{n}>{_term_xml(t)}</{n}>" for n, t in parts) + "</triple>"
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attr = f" datatype={quoteattr(_XML_INVALID.sub('', term.datatype.value))}"
    else:
        attr = ""
    return f"<literal{attr}>{_xml_text(term.value)}</literal>"


def _xml_document(head: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{RESULTS_NS}">\n'
        f"<head>{head}</head>\n{body}\n</sparql>\n"
    ).encode("utf-8")


def _solutions_xml(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    head = "".join(f"<variable name={quoteattr(name)}/>" for name in variables)
    results = []
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(name)}>{_term_xml(term)}</binding>"
            for name, term in zip(variables, row) if term is not None
        )
        results.append(f"<result>{cells}</result>")
    return _xml_document(head, "<results>\n" + "\n".join(results) + "\n</results>")


# --- CSV and TSV --------------------------------------------------------------------------------------

def _solutions_tsv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines.extend("\t".join("" if term is None else str(term) for term in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


_SOLUTION_WRITERS = {
    RESULTS_JSON: _solutions_json,
    TABLE: _solutions_json,
    RESULTS_XML: _solutions_xml,
    CSV: solutions_csv,
    TSV: _solutions_tsv,
}


def solutions_body(media_type: str, variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """SELECT results in ``media_type`` (JSON, XML, CSV, TSV or the internal table format).

    >>> solutions_body("text/csv", ["x"], [[ox.Literal("=1+1")]])
    b"x\\r\\n'=1+1\\r\\n"
    """
    return _SOLUTION_WRITERS[media_type](variables, rows)


def boolean_body(media_type: str, value: bool) -> bytes:
    """ASK result in ``media_type``; CSV and TSV carry one column ``_askResult`` (not standardised).

    >>> boolean_body("application/sparql-results+json", True)
    b'{"head":{},"boolean":true}'
    """
    word = "true" if value else "false"
    if media_type in (RESULTS_JSON, TABLE):
        return json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode("utf-8")
    if media_type == RESULTS_XML:
        return _xml_document("", f"<boolean>{word}</boolean>")
    if media_type == CSV:
        return f"_askResult\r\n{word}\r\n".encode("utf-8")
    return f"?_askResult\n{word}\n".encode("utf-8")


def graph_body(media_type: str, triples: Sequence[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT/DESCRIBE results in ``media_type``; the internal table format lists them as rows."""
    if media_type == TABLE:
        rows = [(t.subject, t.predicate, t.object) for t in triples]
        return _solutions_json(("subject", "predicate", "object"), rows)
    rdf_format = GRAPH_FORMATS[media_type]
    used = used_prefixes(triples, prefixes) if rdf_format != ox.RdfFormat.N_TRIPLES else None
    return ox.serialize(triples, format=rdf_format, prefixes=used or None)
