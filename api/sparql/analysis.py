"""What a query text is, found by a small SPARQL lexer before the query reaches a worker.

The lexer splits the text into comments, strings, IRIs, variables, prefixed names and bare words exactly as
the SPARQL 1.1 grammar's terminals do, so a keyword hidden in a string, an IRI, a comment or a prefixed
name (``ex:SERVICE``) is never taken for one, and a real keyword is never missed: text the lexer cannot
classify is kept as code (the safe side). From the tokens it reads:

- the query form (``SELECT``/``CONSTRUCT``/``DESCRIBE``/``ASK``) after the prologue, for negotiation;
- whether the text is an update (``INSERT``, ``DELETE``, ``LOAD`` … occur only in SPARQL Update);
- whether the query has a dataset clause (``FROM``), which decides the union default graph;
- the target of every ``SERVICE``, resolved through ``PREFIX``/``BASE`` (None for a variable);
- how deep brackets nest and the longest run of unary operators: the store's parser recurses on both and
  overflows its stack (killing the worker) on a few thousand levels, so past ``MAX_NESTING`` a query is refused.

>>> shape = analyse("PREFIX w: <http://ex.org/> SELECT * { SERVICE SILENT w:sparql { ?s ?p ?o } }")
>>> shape.form, shape.services
('SELECT', ('http://ex.org/sparql',))
>>> analyse("SELECT ('SERVICE <x>' AS ?s) {} # SERVICE <y>").services
()
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from kg.errors import QueryError

__all__ = ["MAX_NESTING", "QueryShape", "analyse", "refuse_forbidden"]

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
MAX_NESTING = 256
_OPENERS, _CLOSERS, _UNARY = frozenset("({["), frozenset(")}]"), frozenset("!-+")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"})

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              | '(?:[^'\\\n\r]|\\.)*'
              | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
  | (?P<bnode>_:[\w.\-\u00b7]*)
  | (?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w\-:.\u00b7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class QueryShape:
    """What ``analyse`` found in a query text.

    Attributes:
        form: ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``; None when the text starts otherwise.
        is_update: the text holds SPARQL Update operations.
        has_dataset_clause: the query has ``FROM`` or ``FROM NAMED``.
        services: the IRI of each ``SERVICE``; None where it is a variable or cannot be resolved.
        nesting: the deepest bracket nesting, or the longest run of unary operators if that is longer.
    """

    form: str | None
    is_update: bool
    has_dataset_clause: bool
    services: tuple[str | None, ...]
    nesting: int = 0


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (whitespace and comments dropped)."""
    return [
        Token(match.lastgroup or "other", match.group())
        for match in _TOKEN.finditer(text)
        if match.lastgroup not in ("ws", "comment")
    ]


def _is_word(token: Token, *words: str) -> bool:
    return token.kind == "word" and token.text.upper() in words


def _prologue(toks: Sequence[Token]) -> tuple[int, str | None, dict[str, str]]:
    """Index of the first token after BASE/PREFIX declarations, the base IRI and the prefixes."""
    base: str | None = None
    prefixes: dict[str, str] = {}
    i = 0
    while i < len(toks):
        if _is_word(toks[i], "BASE") and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = _resolve(toks[i + 1].text[1:-1], base)
            i += 2
        elif (_is_word(toks[i], "PREFIX") and i + 2 < len(toks) and toks[i + 1].kind == "pname"
              and toks[i + 2].kind == "iri"):
            prefixes[toks[i + 1].text.split(":", 1)[0]] = _resolve(toks[i + 2].text[1:-1], base) or ""
            i += 3
        else:
            break
    return i, base, prefixes


def _resolve(iri: str, base: str | None) -> str | None:
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        return iri
    return urljoin(base, iri) if base else None


def _service_target(token: Token | None, base: str | None, prefixes: dict[str, str]) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return _resolve(token.text[1:-1], base)
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix)
        return namespace + _LOCAL_ESCAPE.sub(r"\1", local.rstrip(".")) if namespace else None
    return None


def _services(toks: Sequence[Token], base: str | None, prefixes: dict[str, str]) -> Iterable[str | None]:
    for i, token in enumerate(toks):
        if not _is_word(token, "SERVICE"):
            continue
        j = i + 1
        if j < len(toks) and _is_word(toks[j], "SILENT"):
            j += 1
        yield _service_target(toks[j] if j < len(toks) else None, base, prefixes)


def _nesting(toks: Sequence[Token]) -> int:
    depth = deepest = run = 0
    for token in toks:
        text = token.text if token.kind == "other" else ""
        depth += (text in _OPENERS) - (text in _CLOSERS)
        run = run + 1 if text in _UNARY else 0
        deepest = max(deepest, depth, run)
    return deepest


def analyse(text: str) -> QueryShape:
    """The ``QueryShape`` of a query text (never raises; a malformed text gives a partial shape)."""
    toks = tokens(text)
    start, base, prefixes = _prologue(toks)
    first = toks[start].text.upper() if start < len(toks) and toks[start].kind == "word" else ""
    words = {t.text.upper() for t in toks if t.kind == "word"}
    return QueryShape(
        form=first if first in QUERY_FORMS else None,
        is_update=first in UPDATE_WORDS or first == "WITH" or bool(words & UPDATE_WORDS),
        has_dataset_clause="FROM" in words,
        services=tuple(_services(toks, base, prefixes)),
        nesting=_nesting(toks),
    )


def refuse_forbidden(shape: QueryShape, allowlist: Sequence[str]) -> None:
    """Raise ``QueryError`` for an update or a SERVICE whose endpoint is not in ``allowlist``.

    >>> refuse_forbidden(analyse("ASK { SERVICE ?x {} }"), ["http://ex.org/sparql"])
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SERVICE with a variable or unresolvable endpoint is refused
    """
    if shape.is_update:
        raise QueryError(
            "SPARQL Update is refused: this endpoint is read-only",
            hint="the graph is rebuilt from its sources with `kg build`; send only SELECT, ASK, "
                 "CONSTRUCT or DESCRIBE queries",
        )
    if shape.nesting > MAX_NESTING:
        raise QueryError(f"the query nests {shape.nesting} levels deep; at most {MAX_NESTING} are accepted",
                         hint="flatten the query: fewer nested groups, subqueries, parentheses or negations")
    allowed = set(allowlist)
    for target in shape.services:
        if target is None:
            raise QueryError("SERVICE with a variable or unresolvable endpoint is refused",
                             hint=_service_hint(allowlist))
        if target not in allowed:
            raise QueryError(f"SERVICE <{target}> is refused: not in the allow-list",
                             hint=_service_hint(allowlist))


def _service_hint(allowlist: Sequence[str]) -> str:
    if not allowlist:
        return "federated queries (SERVICE) are disabled here (KG_SERVICE_ALLOWLIST is empty)"
    return "allowed SERVICE endpoints: " + ", ".join(f"<{iri}>" for iri in allowlist)
