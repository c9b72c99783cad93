"""Accent-insensitive text matching: the same folding in Python (the search text) and in SPARQL (labels).

`fold` lower-cases, replaces accented Latin letters by their base letters (``FOLD_TABLE``), and turns runs of
spaces, punctuation and symbols into one space. The build rule ``kg/queries/inference/search-text.rq`` applies
the same table to names (``eip:searchText``) with a chain of ``BIND(REPLACE(...))``; `sparql_fold` writes that
chain and a test checks the rule still holds it, so both sides cannot drift apart.

>>> fold("Île-de-France"), fold("Linköping"), fold("  Dunkerque! ")
('ile de france', 'linkoping', 'dunkerque')
"""

from __future__ import annotations

import unicodedata

__all__ = ["FOLD_TABLE", "fold", "sparql_fold"]

FOLD_TABLE: tuple[tuple[str, str], ...] = (
    ("àáâãäåāăąǎ", "a"), ("çćĉċč", "c"), ("ďđð", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
    ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņň", "n"), ("òóôõöøōŏőǒ", "o"),
    ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűųǔ", "u"), ("ŵ", "w"), ("ýÿŷ", "y"),
    ("źżž", "z"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("þ", "th"),
)
"""Groups of lower-case accented letters and the ASCII text each becomes."""

_CHAR_MAP = {char: ascii_ for chars, ascii_ in FOLD_TABLE for char in chars}
_SEPARATOR_CLASS = r"[\\s\\p{P}\\p{S}]+"


def _is_separator(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PSZ"


def fold(text: str) -> str:
    """Lower case, no accents (`FOLD_TABLE`), one space per run of spaces/punctuation/symbols, trimmed."""
    out: list[str] = []
    for char in text.lower():
        if _is_separator(char):
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(_CHAR_MAP.get(char, char))
    return "".join(out).strip()


def sparql_fold(variable: str, result: str = "folded") -> str:
    """SPARQL BINDs folding ``?variable`` as `fold` does (without the final trim) into ``?result``.

    One BIND per replacement: Oxigraph evaluates deeply nested REPLACE calls in exponential time, a chain of
    BINDs in linear time.
    """
    steps = [f"BIND(LCASE(STR(?{variable})) AS ?{result}0)"]
    for i, (chars, ascii_) in enumerate(FOLD_TABLE):
        pattern = f"[{chars}]" if len(chars) > 1 else chars
        steps.append(f'BIND(REPLACE(?{result}{i}, "{pattern}", "{ascii_}") AS ?{result}{i + 1})')
    steps.append(f'BIND(REPLACE(?{result}{len(FOLD_TABLE)}, "{_SEPARATOR_CLASS}", " ") AS ?{result})')
    return "\n".join(steps)
