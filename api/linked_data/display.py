"""How RDF terms look on an entity page: labels in a language, links, literals and numbers.

Everything here returns plain values (``Text``, ``Ref``); the template escapes them. Links are only ever made
to our own pages (IRIs under the base become paths of this service) or to http(s) IRIs
(``api.html.safe_href``), and a language tag reaches a ``lang`` attribute only when it is well formed.

>>> plain_number(Decimal("4000000000.0")), plain_number(Decimal("2.50"))
('4,000,000,000', '2.5')
>>> short_number(Decimal("20000000000")), short_number(Decimal("1234567"))
('20 bn', None)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from api.html import safe_href
from kg.namespaces import PREFIXES, XSD, Minter

__all__ = [
    "Labeller", "Ref", "Statement", "Text", "Value", "language_tag", "plain_number", "short_number",
    "to_decimal",
]

_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_PREFERRED_LANGS = ("en", "", "fr")
_NUMERIC = {XSD.decimal, XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.double, XSD.float,
            XSD.int, XSD.long}
_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))


@dataclass(frozen=True)
class Text:
    """A piece of text from the data, with its language tag when it has a valid one."""

    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Ref:
    """A resource shown as a link: its label (in ``lang``) and where it links to (None: not linkable)."""

    iri: str
    label: str
    lang: str | None
    href: str | None


Value = Text | Ref


@dataclass(frozen=True)
class Statement:
    """One property of a resource and its values (outbound), or the resources linking through it (inbound)."""

    predicate: Ref
    values: tuple[Value, ...]


def language_tag(tag: str | None) -> str | None:
    """``tag`` when it is a well-formed language tag (safe in a ``lang`` attribute), else None."""
    return tag if tag and _LANG_TAG.fullmatch(tag) else None


def plain_number(value: Decimal) -> str:
    """A number with thousands separators and no trailing zeros."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def short_number(value: Decimal) -> str | None:
    """``4 bn``, ``200 m``: the number in thousand-millions or millions, when that is exact to 3 decimals."""
    for scale, word in _SCALES:
        if abs(value) >= scale:
            scaled = value / scale
            if scaled == scaled.quantize(Decimal("0.001")):
                return f"{plain_number(scaled)} {word}"
            return None
    return None


def to_decimal(node: Node | None) -> Decimal | None:
    """The numeric value of a literal, or None."""
    if not isinstance(node, Literal):
        return None
    try:
        return Decimal(str(node))
    except InvalidOperation:
        return None


class Labeller:
    """Turns IRIs and literals into ``Ref`` and ``Text`` using the labels fetched for one page.

    Args:
        labels: IRI → language tag ('' for none) → label.
        minter: the IRI minter of the configured base (our IRIs link to pages of this service).
        root_path: the path this service is mounted under ('' at the root).
    """

    def __init__(self, labels: Mapping[str, Mapping[str, str]], minter: Minter, root_path: str = "") -> None:
        self.labels = labels
        self.minter = minter
        self.root_path = root_path.rstrip("/")

    def href(self, iri: str) -> str | None:
        """The link target of ``iri``: a path of this service for our IRIs, the IRI for http(s), else None."""
        if self.minter.is_ours(iri):
            return self.root_path + "/" + iri[len(self.minter.base):]
        return safe_href(iri)

    def text(self, iri: str) -> Text:
        """The label of ``iri`` (English, then untagged, then French, then any), or a readable fallback."""
        by_lang = self.labels.get(iri, {})
        for lang in (*_PREFERRED_LANGS, *sorted(by_lang)):
            if lang in by_lang:
                return Text(by_lang[lang], language_tag(lang))
        return Text(self._fallback(iri))

    def all_labels(self, iri: str) -> list[Text]:
        """Every label of ``iri``, one per language, preferred languages first."""
        by_lang = self.labels.get(iri, {})
        order = [lang for lang in _PREFERRED_LANGS if lang in by_lang]
        order += sorted(set(by_lang) - set(_PREFERRED_LANGS))
        return [Text(by_lang[lang], language_tag(lang)) for lang in order]

    def ref(self, iri: str) -> Ref:
        """``iri`` as a link with its label."""
        text = self.text(iri)
        return Ref(iri, text.value, text.lang, self.href(iri))

    def value(self, node: Node) -> Value:
        """Any object of a triple, ready to show."""
        if isinstance(node, URIRef):
            return self.ref(str(node))
        if isinstance(node, BNode):
            return Text("(blank node)")
        assert isinstance(node, Literal)
        return self.literal(node)

    def literal(self, node: Literal) -> Value:
        """A literal: numbers grouped, ``xsd:anyURI`` as a link, language-tagged text with its tag."""
        if node.language:
            return Text(str(node), language_tag(node.language))
        if node.datatype == XSD.anyURI:
            return Ref(str(node), str(node), None, safe_href(str(node)))
        if node.datatype in _NUMERIC:
            number = to_decimal(node)
            return Text(str(node) if number is None else plain_number(number))
        return Text(str(node))

    def _fallback(self, iri: str) -> str:
        if self.minter.is_ours(iri):
            return iri[len(self.minter.base) + 3:]
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri
