"""Name normalisation for matching: case, accents, punctuation, legal forms, articles, bracketed acronyms.

>>> normalise("VERKOR SAS")
'verkor'
>>> normalise("Automotive Cells Company S.p.A.")
'automotive cells company'
>>> normalise("Grand Port Maritime de Dunkerque")
'grand port maritime dunkerque'
>>> variants("Automotive Cells Company (ACC)")
['automotive cells company', 'acc']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LEGAL_FORMS", "acronym", "normalise", "tokens", "variants"]

# Legal-form tokens, written as they are after folding (dots and slashes removed inside the form).
LEGAL_FORMS: frozenset[str] = frozenset(
    {
        # France, Belgium, Luxembourg
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "sca",
        "scs",
        "snc",
        "sci",
        "scop",
        "gie",
        "asbl",
        # Europe-wide
        "se",
        "sce",
        "eeig",
        "geie",
        # Germany, Austria, Switzerland
        "gmbh",
        "ag",
        "kg",
        "kgaa",
        "ohg",
        "ev",
        "gbr",
        "ug",
        # Italy, Spain, Portugal
        "spa",
        "srl",
        "sapa",
        "snc",
        "sl",
        "slu",
        "lda",
        # Netherlands, Nordics, Central Europe
        "bv",
        "nv",
        "vof",
        "ab",
        "oy",
        "oyj",
        "as",
        "asa",
        "aps",
        "sro",
        "as",
        "zrt",
        "kft",
        "doo",
        "dd",
        "spzoo",
        # English-speaking
        "ltd",
        "limited",
        "plc",
        "llc",
        "llp",
        "lp",
        "inc",
        "incorporated",
        "corp",
        "co",
    }
)

_ARTICLES: frozenset[str] = frozenset(
    {
        "the",
        "of",
        "and",
        "le",
        "la",
        "les",
        "l",
        "de",
        "du",
        "des",
        "d",
        "et",
        "der",
        "die",
        "das",
        "und",
    }
)

# Dotted or spaced legal forms folded to one token before punctuation is removed: "S.p.A." → "spa".
_DOTTED = re.compile(r"\b(?:[a-z]\.){1,4}[a-z]?\.?(?=\s|$|,)")
_SPACED_FORMS = (("sp z o o", "spzoo"), ("s r o", "sro"), ("d o o", "doo"), ("a s", "as"), ("a g", "ag"))
_BRACKETS = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    """Lower case, accents removed, ligatures and typographic apostrophes folded."""
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "OE").replace("&", " and ")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.casefold()


def tokens(text: str, *, keep_legal_form: bool = False) -> list[str]:
    """Words of a name after folding, with articles and (unless kept) legal forms removed.

    A name made only of such words keeps them (``"SE"`` stays ``["se"]``).
    """
    folded = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), _fold(text))
    words = _NON_WORD.sub(" ", folded).split()
    joined = " " + " ".join(words) + " "
    for spaced, single in _SPACED_FORMS:
        joined = joined.replace(f" {spaced} ", f" {single} ")
    words = joined.split()
    dropped = _ARTICLES if keep_legal_form else _ARTICLES | LEGAL_FORMS
    kept = [w for w in words if w not in dropped]
    return kept or words


def normalise(text: str) -> str:
    """The comparison key of a name: its tokens joined by one space."""
    return " ".join(tokens(text))


def acronym(text: str) -> str | None:
    """The acronym written in a name, e.g. ``ACC`` in ``Automotive Cells Company (ACC)``, or None."""
    for inner in _BRACKETS.findall(text):
        word = inner.strip()
        if 2 <= len(word) <= 12 and word.replace(" ", "").replace("-", "").isupper():
            return normalise(word)
    return None


def variants(text: str) -> list[str]:
    """Comparison keys of a name and of its parts: the name without brackets, and each bracketed part.

    ``"Verkor Gigafactory (Bourbourg / Port of Dunkirk)"`` gives the name without the bracket and
    ``"bourbourg port dunkirk"``; empty keys are dropped, order is kept, duplicates removed.
    """
    outside = _BRACKETS.sub(" ", text)
    keys = [normalise(outside)] + [normalise(inner) for inner in _BRACKETS.findall(text)]
    if "(" not in text and "[" not in text:
        keys = [normalise(text)]
    seen: list[str] = []
    for key in keys:
        if key and key not in seen:
            seen.append(key)
    return seen
