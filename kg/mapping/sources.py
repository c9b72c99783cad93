"""Source locators (URLs or ``seed:`` files) → eip:Source resources."""

from __future__ import annotations

from urllib.parse import urlsplit

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kg.curated.records import Fact
from kg.mapping.context import MappingContext
from kg.mapping.dates import parse_as_of
from kg.namespaces import EIP, SCHEMA

__all__ = ["SEED_LANGUAGE", "map_sources"]

SEED_LANGUAGE = "fr"


def map_sources(ctx: MappingContext, locators: set[str], facts: list[Fact]) -> dict[str, URIRef]:
    """Write one eip:Source per locator; returns locator → IRI."""
    issued = {fact.source: fact.source_date for fact in facts if fact.source_date}
    iris = {}
    for locator in sorted(locators):
        iri = iris[locator] = ctx.minter.source(locator)
        if locator.startswith("seed:"):
            _seed(ctx, iri, locator)
        else:
            _web_page(ctx, iri, locator)
        if locator in issued:
            lexical, datatype = parse_as_of(issued[locator])
            ctx.add(iri, DCTERMS.issued, Literal(lexical, datatype=XSD[datatype]))
    return iris


def _seed(ctx: MappingContext, iri: URIRef, locator: str) -> None:
    ctx.add(iri, RDF.type, EIP.NewsArticle)
    ctx.add(iri, RDFS.label, Literal(f"Seed article ({locator.removeprefix('seed:')})", lang="en"))
    ctx.add(iri, DCTERMS.language, Literal(SEED_LANGUAGE))
    ctx.add(iri, DCTERMS.identifier, Literal(locator))


def _web_page(ctx: MappingContext, iri: URIRef, url: str) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    ctx.add(iri, RDF.type, EIP.WebPage)
    ctx.add(iri, SCHEMA.url, Literal(url, datatype=XSD.anyURI))
    ctx.add(iri, EIP.domain, Literal(host))
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.query or host
    ctx.add(iri, RDFS.label, Literal(f"Web page on {host}: {tail[:80]}", lang="en"))
