"""Identifier schemes: their concept IRI (``eipi:``), the external IRI an identifier maps to, and validation.

>>> SCHEMES["geonames"].external_iri("3020686")
'https://sws.geonames.org/3020686/'
>>> lei_is_valid("5493001KJTIIGC8Y1R12")
True
>>> SCHEMES["nuts"].is_valid("FRE1"), SCHEMES["nuts"].is_valid("fre1")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import URIRef

from kg.errors import LinkError
from kg.namespaces import NUTS, WD, vocab

__all__ = ["SCHEMES", "Scheme", "lei_is_valid", "scheme"]


def lei_is_valid(code: str) -> bool:
    """ISO 17442: 18 alphanumerics and 2 check digits, ISO 7064 MOD 97-10 over the whole code equals 1."""
    if not re.fullmatch(r"[0-9A-Z]{18}[0-9]{2}", code):
        return False
    digits = "".join(str(int(ch, 36)) for ch in code)
    return int(digits) % 97 == 1


@dataclass(frozen=True)
class Scheme:
    """One identifier scheme.

    Attributes:
        code: the scheme's code in ``eipi:`` (and in identifier IRIs and link file names).
        label: a human name.
        pattern: what a notation must look like.
        template: the external IRI of a notation (``{}`` is replaced), or None when there is no such IRI.
        check: an extra validity check beyond the pattern.
    """

    code: str
    label: str
    pattern: str
    template: str | None = None
    check: Callable[[str], bool] | None = None

    @property
    def concept(self) -> URIRef:
        return vocab("identifier-scheme", self.code)

    def is_valid(self, notation: str) -> bool:
        if not re.fullmatch(self.pattern, notation):
            return False
        return self.check(notation) if self.check else True

    def external_iri(self, notation: str) -> str | None:
        """The IRI that ``skos:exactMatch`` points to, or None for schemes without one."""
        return self.template.format(notation) if self.template else None


SCHEMES: dict[str, Scheme] = {
    s.code: s
    for s in (
        Scheme("wikidata", "Wikidata item", r"Q[1-9][0-9]*", str(WD) + "{}"),
        Scheme(
            "lei",
            "Legal Entity Identifier (ISO 17442)",
            r"[0-9A-Z]{18}[0-9]{2}",
            "https://lei.info/{}",
            lei_is_valid,
        ),
        Scheme("nuts", "NUTS code (Eurostat)", r"[A-Z]{2}[0-9A-Z]{0,3}", str(NUTS) + "{}"),
        Scheme("iso3166-1", "ISO 3166-1 alpha-2 country code", r"[A-Z]{2}"),
        Scheme("iso3166-2", "ISO 3166-2 subdivision code", r"[A-Z]{2}-[0-9A-Z]{1,3}"),
        Scheme("geonames", "GeoNames feature ID", r"[1-9][0-9]*", "https://sws.geonames.org/{}/"),
        Scheme("siren", "French SIREN number", r"[0-9]{9}"),
        Scheme("website", "Website", r"\S+"),
        Scheme("eib-project", "EIB project reference", r"[0-9]{8}"),
    )
}


def scheme(code: str) -> Scheme:
    """The scheme of a code; LinkError for an unknown one."""
    try:
        return SCHEMES[code]
    except KeyError:
        raise LinkError(
            f"unknown identifier scheme {code!r}", hint=f"use one of {', '.join(sorted(SCHEMES))}"
        ) from None
