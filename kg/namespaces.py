"""Namespaces and IRI minting. No IRI of ours is written as a string literal anywhere else.

Ontology terms are fixed (``eip:``); concept schemes live under ``vocab/<scheme>/<code>``; entity, fact and
graph IRIs are minted under the configurable base (``Settings.base_iri``) and are deterministic.

>>> Minter("https://w3id.org/eu-industrial-kg/").entity("company", "verkor")
rdflib.term.URIRef('https://w3id.org/eu-industrial-kg/id/company/verkor')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

__all__ = [
    "ADMS", "CURRENCY", "CV", "DCAT", "DCTERMS", "EIP", "EIP_ONTOLOGY_IRI", "FOAF", "GEO", "LEGAL", "LOCN",
    "Minter", "NUTS", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA", "SH", "SKOS", "TIME", "VOCAB",
    "VOID", "WD", "XSD", "curie", "slugify", "vocab",
]

EIP_ONTOLOGY_IRI = "https://w3id.org/eu-industrial-kg/ontology"
EIP = Namespace(EIP_ONTOLOGY_IRI + "#")
VOCAB = "https://w3id.org/eu-industrial-kg/vocab/"

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LEGAL = Namespace("http://www.w3.org/ns/legal#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
CV = Namespace("http://data.europa.eu/m8g/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
WD = Namespace("http://www.wikidata.org/entity/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
CURRENCY = Namespace("http://publications.europa.eu/resource/authority/currency/")

PREFIXES: dict[str, str] = {
    "eip": str(EIP), "org": str(ORG), "schema": str(SCHEMA), "adms": str(ADMS), "legal": str(LEGAL),
    "locn": str(LOCN), "cv": str(CV), "geo": str(GEO), "prov": str(PROV), "dct": str(DCTERMS),
    "dcat": str(DCAT), "skos": str(SKOS), "time": str(TIME), "owl": str(OWL), "rdfs": str(RDFS),
    "rdf": str(RDF), "xsd": str(XSD), "foaf": str(FOAF), "wd": str(WD), "nuts": str(NUTS),
    "sh": str(SH), "void": str(VOID),
    "eipq": VOCAB + "qualifier/", "eipr": VOCAB + "rank/", "eipm": VOCAB + "milestone-type/",
    "eipk": VOCAB + "figure-kind/", "eipu": VOCAB + "unit/", "eipp": VOCAB + "precision/",
    "eips": VOCAB + "status/", "eipf": VOCAB + "facility-type/", "eipi": VOCAB + "identifier-scheme/",
    "eipl": VOCAB + "link-method/",
}


def vocab(scheme: str, code: str | None = None) -> URIRef:
    """The IRI of a concept scheme, or of one of its concepts.

    >>> vocab("qualifier", "upTo")
    rdflib.term.URIRef('https://w3id.org/eu-industrial-kg/vocab/qualifier/upTo')
    """
    return URIRef(f"{VOCAB}{scheme}" + (f"/{code}" if code else ""))


_SLUG_BAD = re.compile(r"[^a-z0-9]+")


def curie(iri: str) -> str:
    """``prefix:local`` for an IRI under one of the project's PREFIXES, else ``<iri>``."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def slugify(text: str) -> str:
    """Lower-case ASCII slug: accents folded, runs of other characters turned into one hyphen.

    >>> slugify("Île-de-France  (NUTS 1)")
    'ile-de-france-nuts-1'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_BAD.sub("-", folded).strip("-")


def _digest(*parts: str, length: int = 10) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


class Minter:
    """Mints entity, fact, source and graph IRIs under one base IRI."""

    KINDS = frozenset({
        "programme", "initiative", "fund", "call", "organisation", "public-body", "company", "consortium",
        "facility", "site", "place", "source", "fact", "dataset", "identifier", "release",
    })

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri if base_iri.endswith("/") else base_iri + "/"
        self.id = Namespace(self.base + "id/")

    def entity(self, kind: str, slug: str) -> URIRef:
        """``<base>id/<kind>/<slug>``; ``kind`` is one of ``KINDS``."""
        if kind not in self.KINDS:
            raise ValueError(f"unknown entity kind {kind!r}; expected one of {sorted(self.KINDS)}")
        if not slug or slugify(slug) != slug:
            raise ValueError(f"slug {slug!r} is not a lower-case ASCII slug (try {slugify(slug)!r})")
        return URIRef(f"{self.base}id/{kind}/{slug}")

    def fact(self, subject_slug: str, *content: str) -> URIRef:
        """A fact's IRI: its subject's slug plus a digest of what it states and who states it."""
        return URIRef(f"{self.base}id/fact/{subject_slug}-{_digest(subject_slug, *content)}")

    def source(self, locator: str) -> URIRef:
        """A source's IRI from its URL (or ``seed:`` locator): readable host part plus a digest."""
        scheme, _, rest = locator.partition(":")
        host = rest.lstrip("/").removeprefix("www.").split("/")[0] if rest.startswith("//") else scheme
        return URIRef(f"{self.base}id/source/{slugify(host)[:40]}-{_digest(locator, length=8)}")

    def identifier(self, subject: str, scheme: str, notation: str) -> URIRef:
        """An identifier node of one entity: ``<base>id/identifier/<scheme>-<slug(notation)>-<kind>-<slug>``.

        Minted per holder, so two entities given the same identifier (one of them wrongly) never share the
        node that records how each link was made.
        """
        kind, slug = self.split(subject)
        return self.entity("identifier", f"{scheme}-{slugify(notation)}-{kind}-{slug}")

    def graph(self, name: str) -> URIRef:
        """A named graph of the store: ``ontology``, ``curated``, ``inferred``, ``links``, ``import/<name>``."""
        return URIRef(f"{self.base}graph/{name}")

    def is_ours(self, iri: str) -> bool:
        """True when ``iri`` is an entity IRI under this base."""
        return iri.startswith(self.base + "id/")

    def split(self, iri: str) -> tuple[str, str]:
        """``(kind, slug)`` of an entity IRI under this base; ValueError otherwise."""
        if not self.is_ours(iri):
            raise ValueError(f"{iri!r} is not an entity IRI under {self.base}id/")
        kind, _, slug = iri[len(self.base) + 3:].partition("/")
        return kind, slug
