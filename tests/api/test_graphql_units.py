"""Units of the GraphQL package that need no store: pagination, labels, values, batch slots, text folding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyoxigraph as ox
import pytest

from api.graphql.errors import BadArgument, BadCursor, PageSizeExceeded
from api.graphql.kinds import DatePrecision
from api.graphql.pagination import decode_cursor, encode_cursor, paginate
from api.graphql.records import decimal_text, pick_label
from api.graphql.router import preferred_language
from api.graphql.runner import fill_values
from api.graphql.textfold import fold
from api.graphql.types.common import partial_date
from kg.errors import QueryError

KEYS = [f"k{i}" for i in range(10)]
XSD = "http://www.w3.org/2001/XMLSchema#"


def _page(**kwargs: object) -> list[str]:
    args = {"first": None, "after": None, "last": None, "before": None, "max_page": 5, **kwargs}
    return paginate(KEYS, **args).keys


def test_paginate_first_after_last_before() -> None:
    assert _page(first=3) == ["k0", "k1", "k2"]
    assert _page(first=3, after=encode_cursor("k2")) == ["k3", "k4", "k5"]
    assert _page(last=2) == ["k8", "k9"]
    assert _page(last=2, before=encode_cursor("k5")) == ["k3", "k4"]
    assert _page(first=5, after=encode_cursor("k1"), before=encode_cursor("k4")) == ["k2", "k3"]
    assert _page() == KEYS[:5]


def test_paginate_page_flags_and_total() -> None:
    page = paginate(KEYS, first=4, after=encode_cursor("k5"), last=None, before=None, max_page=5)
    assert (page.keys, page.has_next, page.has_previous, page.total) == (
        ["k6", "k7", "k8", "k9"], False, True, 10)


@pytest.mark.parametrize("kwargs, error", [
    ({"first": 6}, PageSizeExceeded), ({"last": 6}, PageSizeExceeded), ({"first": -1}, BadArgument),
    ({"first": 1, "last": 1}, BadArgument), ({"after": "%%%"}, BadCursor),
    ({"after": encode_cursor("not-in-list")}, BadCursor),
])
def test_paginate_refuses_bad_arguments(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        _page(**kwargs)


def test_cursor_round_trip_and_foreign_cursor() -> None:
    assert decode_cursor(encode_cursor("https://example.org/é")) == "https://example.org/é"
    with pytest.raises(BadCursor):
        decode_cursor("YWJj")  # base64 of "abc": not one of ours


def test_label_fallback_requested_then_english_then_french_then_any() -> None:
    labels = [ox.Literal("Dünkirchen", language="de"), ox.Literal("Dunkerque", language="fr"),
              ox.Literal("Dunkirk", language="en")]
    assert pick_label(labels, "de") == "Dünkirchen"
    assert pick_label(labels, "nl") == "Dunkirk"
    assert pick_label(labels[:2], "nl") == "Dunkerque"
    assert pick_label(labels[:1], "fr") == "Dünkirchen"
    assert pick_label([ox.Literal("Duinkerke", language="nl-BE")], "nl") == "Duinkerke"
    assert pick_label([], "en") is None


def test_decimal_text_keeps_every_digit() -> None:
    assert decimal_text(Decimal("4E+9")) == "4000000000"
    assert decimal_text(Decimal("334505608.130")) == "334505608.13"
    assert decimal_text(Decimal("123456789012345678901234567890")) == "123456789012345678901234567890"


def test_partial_date_keeps_the_stated_precision() -> None:
    month = partial_date(ox.Literal("2024-02", datatype=ox.NamedNode(XSD + "gYearMonth")))
    assert (month.value, month.precision, month.earliest, month.latest) == (
        "2024-02", DatePrecision.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    year = partial_date(ox.Literal("2025", datatype=ox.NamedNode(XSD + "gYear")))
    assert (year.precision, year.latest) == (DatePrecision.YEAR, dt.date(2025, 12, 31))
    assert partial_date(ox.Literal("not a date")) is None


def test_fill_values_serialises_keys_as_terms() -> None:
    query = "SELECT * { VALUES (?o ?p) { } ?s ?p ?o }"
    filled = fill_values(query, [(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p"))])
    assert "VALUES (?o ?p) { (<https://e.org/a> <https://e.org/p>) }" in filled
    assert '"x\\"y"' in fill_values("SELECT * { VALUES ?s { } }", [(ox.Literal('x"y'),)])


def test_fill_values_needs_exactly_one_empty_block() -> None:
    with pytest.raises(QueryError):
        fill_values("SELECT * { ?s ?p ?o }", [])
    with pytest.raises(QueryError):
        fill_values("SELECT * { VALUES ?a { } VALUES ?b { } }", [])


def test_iri_with_injected_sparql_is_refused() -> None:
    with pytest.raises(ValueError):
        ox.NamedNode("https://e.org/a> } ; DROP ALL ; { <x")


def test_fold_matches_french_and_nordic_spellings() -> None:
    assert fold("Île-de-France") == "ile de france"
    assert fold("Linköping") == fold("LINKOPING") == "linkoping"
    assert fold("Grand Port Maritime de Dunkerque") == "grand port maritime de dunkerque"
    assert fold("l'Europe  —  œuvre") == "l europe oeuvre"


def test_preferred_language_reads_accept_language() -> None:
    assert preferred_language("fr-FR,fr;q=0.9,en;q=0.8") == "fr"
    assert preferred_language("*") == "en"
    assert preferred_language(None) == "en"
