from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from api.sparql.jobs import CSV, RESULTS_JSON, RESULTS_XML, TABLE, TSV, TURTLE
from api.sparql.results import boolean_body, csv_cell, graph_body, solutions_body

IRI = ox.NamedNode("http://example.org/a")
LANG = ox.Literal("chat", language="fr")
TYPED = ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
PLAIN = ox.Literal("plain")
BNODE = ox.BlankNode("b0")


@pytest.mark.parametrize("text", [
    "=1+1", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")",
])
def test_csv_cell_prefixes_formula_starts(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-42", "+1.5", "-1e10", "-.5", "plain", "", "1=1", "a@b"])
def test_csv_cell_leaves_numbers_and_other_text(text: str) -> None:
    assert csv_cell(text) == text


def test_csv_solutions_neutralise_formulas_and_quote_specials() -> None:
    body = solutions_body(CSV, ["v", "w"], [[ox.Literal("=cmd()"), ox.Literal('a,"b"\nc')], [None, BNODE]])
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows == [["v", "w"], ["'=cmd()", 'a,"b"\nc'], ["", "_:b0"]]
    assert body.endswith(b"\r\n")


def test_json_solutions_describe_each_term_kind() -> None:
    row = [IRI, LANG, TYPED, PLAIN, BNODE, None]
    body = solutions_body(RESULTS_JSON, ["a", "b", "c", "d", "e", "f"], [row])
    binding = json.loads(body)["results"]["bindings"][0]
    assert binding == {
        "a": {"type": "uri", "value": "http://example.org/a"},
        "b": {"type": "literal", "value": "chat", "xml:lang": "fr"},
        "c": {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
        "d": {"type": "literal", "value": "plain"},
        "e": {"type": "bnode", "value": "b0"},
    }


def test_json_solutions_write_triple_terms() -> None:
    triple = ox.Triple(IRI, IRI, PLAIN)
    binding = json.loads(solutions_body(TABLE, ["t"], [[triple]]))["results"]["bindings"][0]
    assert binding["t"]["type"] == "triple"
    assert binding["t"]["value"]["object"] == {"type": "literal", "value": "plain"}


def test_xml_solutions_escape_markup_and_drop_invalid_characters() -> None:
    body = solutions_body(RESULTS_XML, ["x"], [[ox.Literal("<b>&\x01")]])
    literal = ET.fromstring(body).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal.text == "<b>&\ufffd"


def test_tsv_solutions_write_ntriples_terms() -> None:
    body = solutions_body(TSV, ["x", "y"], [[LANG, None], [ox.Literal("a\tb"), IRI]])
    assert body.decode().splitlines() == ["?x\t?y", '"chat"@fr\t', '"a\\tb"\t<http://example.org/a>']


def test_boolean_bodies() -> None:
    assert json.loads(boolean_body(RESULTS_JSON, False)) == {"head": {}, "boolean": False}
    assert ET.fromstring(boolean_body(RESULTS_XML, True)).find(
        "{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    assert boolean_body(CSV, True) == b"_askResult\r\ntrue\r\n"


def test_graph_body_declares_only_used_prefixes() -> None:
    triples = [ox.Triple(IRI, ox.NamedNode("http://example.org/p"), PLAIN)]
    body = graph_body(TURTLE, triples, {"ex": "http://example.org/", "other": "http://other.example/"})
    assert b"@prefix ex:" in body
    assert b"other" not in body


def test_graph_body_as_table_lists_triples() -> None:
    triples = [ox.Triple(IRI, IRI, PLAIN)]
    doc = json.loads(graph_body(TABLE, triples, {}))
    assert doc["head"]["vars"] == ["subject", "predicate", "object"]
    assert len(doc["results"]["bindings"]) == 1
