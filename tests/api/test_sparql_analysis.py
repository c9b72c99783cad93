from __future__ import annotations

import pytest

from api.sparql.analysis import analyse, refuse_forbidden
from kg.errors import QueryError


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * {}", "SELECT"),
    ("  # comment\nprefix ex: <http://ex.org/>\nBASE <http://b/>\n construct { } where { }", "CONSTRUCT"),
    ("DESCRIBE <http://ex.org/a>", "DESCRIBE"),
    ("ask {}", "ASK"),
    ("PREFIX : <http://ex.org/> SELECT ?x { ?x :p 1 }", "SELECT"),
    ("SELEC * {}", None),
])
def test_analyse_finds_the_query_form(query: str, form: str | None) -> None:
    assert analyse(query).form == form


@pytest.mark.parametrize("query", [
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX ex: <http://ex.org/> DELETE WHERE { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://ex.org/data.ttl>",
    "ASK {} ; CLEAR ALL",
    "drop silent graph <http://g>",
])
def test_analyse_detects_updates(query: str) -> None:
    assert analyse(query).is_update


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p 'INSERT DATA' }",
    "SELECT * { ?s <http://ex.org/delete> ?o } # DROP ALL",
    "PREFIX ex: <http://ex.org/> SELECT * { ?s ex:load ?o }",
    "SELECT ?insert { ?insert ?p ?o }",
])
def test_analyse_ignores_update_words_in_strings_iris_comments_names(query: str) -> None:
    assert not analyse(query).is_update


def test_analyse_sees_dataset_clause() -> None:
    assert analyse("SELECT * FROM <http://g> {}").has_dataset_clause
    assert analyse("SELECT * FROM NAMED <http://g> {}").has_dataset_clause
    assert not analyse("SELECT * { ?from ?p 'FROM' }").has_dataset_clause


@pytest.mark.parametrize(("query", "services"), [
    ("SELECT * { SERVICE <http://a/sparql> { } }", ("http://a/sparql",)),
    ("select * { service silent <http://a/sparql> { } }", ("http://a/sparql",)),
    ("PREFIX w: <http://w/> SELECT * { SERVICE w:sparql { } }", ("http://w/sparql",)),
    ("BASE <http://b/> SELECT * { SERVICE <sparql> { } }", ("http://b/sparql",)),
    ("SELECT * { SERVICE <sparql> { } }", (None,)),
    ("SELECT * { SERVICE ?endpoint { } }", (None,)),
    ("SELECT * { SERVICE undeclared:sparql { } }", (None,)),
    ("ASK{FILTER(?a<?b)SERVICE<http://evil/>{}}", ("http://evil/",)),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://x/>", ()),
    ("SELECT * { ?s ?p '''SERVICE <http://x/> { }''' }", ()),
    ('SELECT * { ?s ?p "SERVICE <http://x/>" }', ()),
    ("PREFIX ex: <http://ex.org/> SELECT * { ?s ex:SERVICE <http://x/> }", ()),
    ("SELECT * { ?s <http://ex.org/SERVICE> ?o }", ()),
    ("SELECT * { SERVICE <http://a/> { SERVICE <http://b/> { } } }", ("http://a/", "http://b/")),
])
def test_analyse_resolves_service_targets(query: str, services: tuple) -> None:
    assert analyse(query).services == services


def test_refuse_forbidden_lets_allowlisted_service_through() -> None:
    refuse_forbidden(analyse("SELECT * { SERVICE <http://a/sparql> { } }"), ["http://a/sparql"])


def test_refuse_forbidden_names_the_refused_service_and_the_allowlist() -> None:
    with pytest.raises(QueryError) as raised:
        refuse_forbidden(analyse("SELECT * { SERVICE <http://b/sparql> { } }"), ["http://a/sparql"])
    assert "http://b/sparql" in raised.value.message
    assert "http://a/sparql" in raised.value.hint


def test_refuse_forbidden_explains_disabled_federation() -> None:
    with pytest.raises(QueryError) as raised:
        refuse_forbidden(analyse("SELECT * { SERVICE <http://b/sparql> { } }"), [])
    assert "KG_SERVICE_ALLOWLIST is empty" in raised.value.hint


def test_refuse_forbidden_refuses_updates() -> None:
    with pytest.raises(QueryError, match="read-only"):
        refuse_forbidden(analyse("INSERT DATA { <a> <b> <c> }"), [])
