"""Curated entities → typed, labelled resources with their identifiers and sources."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS

from kg.curated.records import Entity
from kg.errors import MappingError
from kg.mapping.context import MappingContext
from kg.namespaces import ADMS, EIP, NUTS, WD

__all__ = ["map_entity"]

_SUBCLASSES = {
    "Organisation": {"PublicBody", "Consortium"},
    "Facility": {"BatteryGigafactory", "AIFactory", "AIGigafactory", "Supercomputer", "ResearchFacility"},
    "Place": {"Country", "Region", "Municipality"},
}
_FACILITY_TYPES = {"BatteryGigafactory": "batteryGigafactory", "AIFactory": "aiFactory",
                   "AIGigafactory": "aiGigafactory", "Supercomputer": "supercomputer",
                   "ResearchFacility": "researchFacility"}
_EXACT_MATCH = {"wikidata": WD, "nuts": NUTS}


def map_entity(ctx: MappingContext, entity: Entity, source_iri: dict[str, URIRef]) -> None:
    """Write one entity: types, labels, sources, identifiers."""
    iri = ctx.iri(entity.id)
    ctx.add(iri, RDF.type, EIP[entity.type])
    if entity.cls:
        if entity.cls not in _SUBCLASSES.get(entity.type, set()):
            raise MappingError(f"entity {entity.id!r}: class {entity.cls!r} is not a subclass of {entity.type} "
                               f"(allowed: {', '.join(sorted(_SUBCLASSES.get(entity.type, ()))) or 'none'})",
                               location=str(entity.location))
        ctx.add(iri, RDF.type, EIP[entity.cls])
        if entity.cls in _FACILITY_TYPES:
            ctx.add(iri, EIP.facilityType, ctx.concept("facility-type", _FACILITY_TYPES[entity.cls]))
    ctx.add(iri, DCTERMS.identifier, Literal(entity.id))
    for lang, name in entity.names.items():
        ctx.add(iri, RDFS.label, Literal(name, lang=lang))
    for locator in entity.sources:
        ctx.add(iri, PROV.wasDerivedFrom, source_iri[locator])
    for scheme, notation in sorted(entity.identifiers.items()):
        _identifier(ctx, iri, entity, scheme, notation, source_iri)


def _identifier(ctx: MappingContext, iri: URIRef, entity: Entity, scheme: str, notation: str,
                source_iri: dict[str, URIRef]) -> None:
    if scheme == "website":
        ctx.add(iri, FOAF.homepage, URIRef(f"https://{notation.removeprefix('https://')}"))
        return
    if scheme not in _EXACT_MATCH:
        raise MappingError(f"entity {entity.id!r}: unknown identifier scheme {scheme!r} "
                           f"(known: website, {', '.join(sorted(_EXACT_MATCH))})", location=str(entity.location))
    node = ctx.minter.identifier(iri, scheme, notation)
    ctx.add(iri, ADMS.identifier, node)
    ctx.add(node, RDF.type, ADMS.Identifier)
    ctx.add(node, SKOS.notation, Literal(notation))
    ctx.add(node, DCTERMS.conformsTo, ctx.concept("identifier-scheme", scheme))
    ctx.add(node, EIP.linkMethod, ctx.concept("link-method", "curated"))
    ctx.add(node, EIP.confirmedByPerson, Literal(True))
    for locator in entity.sources:
        ctx.add(node, PROV.wasDerivedFrom, source_iri[locator])
    ctx.add(iri, SKOS.exactMatch, _EXACT_MATCH[scheme][notation])
