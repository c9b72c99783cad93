"""The enums of the API: entity and claim kinds (ontology classes), ranks and date precisions (concepts).

Each value is described by the ontology (or the concept scheme) it stands for. `entity_kind` and
`claim_kind` give the most specific kind of a loaded node from its ``rdf:type`` closure.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.records import Node
from kg.namespaces import EIP, vocab

__all__ = [
    "CLAIM_CLASSES", "ENTITY_CLASSES", "ClaimKind", "DatePrecision", "EntityKind", "Rank", "SortDirection",
    "claim_kind", "entity_kind", "kind_iri", "rank_of",
]


def _value(enum: str, name: str, term: str) -> object:
    return strawberry.enum_value(term, description=ontology_doc(term, f"{enum}.{name}"))


@strawberry.enum(description="The kind of an entity: the most specific ontology class it belongs to.")
class EntityKind(Enum):
    PROGRAMME = _value("EntityKind", "PROGRAMME", "Programme")
    INITIATIVE = _value("EntityKind", "INITIATIVE", "Initiative")
    FUND = _value("EntityKind", "FUND", "Fund")
    CALL = _value("EntityKind", "CALL", "Call")
    ORGANISATION = _value("EntityKind", "ORGANISATION", "Organisation")
    PUBLIC_BODY = _value("EntityKind", "PUBLIC_BODY", "PublicBody")
    COMPANY = _value("EntityKind", "COMPANY", "Company")
    CONSORTIUM = _value("EntityKind", "CONSORTIUM", "Consortium")
    SITE = _value("EntityKind", "SITE", "Site")
    FACILITY = _value("EntityKind", "FACILITY", "Facility")
    BATTERY_GIGAFACTORY = _value("EntityKind", "BATTERY_GIGAFACTORY", "BatteryGigafactory")
    AI_FACTORY = _value("EntityKind", "AI_FACTORY", "AIFactory")
    AI_GIGAFACTORY = _value("EntityKind", "AI_GIGAFACTORY", "AIGigafactory")
    SUPERCOMPUTER = _value("EntityKind", "SUPERCOMPUTER", "Supercomputer")
    RESEARCH_FACILITY = _value("EntityKind", "RESEARCH_FACILITY", "ResearchFacility")
    PLACE = _value("EntityKind", "PLACE", "Place")
    COUNTRY = _value("EntityKind", "COUNTRY", "Country")
    REGION = _value("EntityKind", "REGION", "Region")
    MUNICIPALITY = _value("EntityKind", "MUNICIPALITY", "Municipality")
    SOURCE = _value("EntityKind", "SOURCE", "Source")
    NEWS_ARTICLE = _value("EntityKind", "NEWS_ARTICLE", "NewsArticle")
    WEB_PAGE = _value("EntityKind", "WEB_PAGE", "WebPage")
    DATASET = _value("EntityKind", "DATASET", "Dataset")


@strawberry.enum(description="The kind of a claim: the most specific claim class it belongs to.")
class ClaimKind(Enum):
    CLAIM = _value("ClaimKind", "CLAIM", "Claim")
    MONETARY_FIGURE = _value("ClaimKind", "MONETARY_FIGURE", "MonetaryFigure")
    INVESTMENT = _value("ClaimKind", "INVESTMENT", "Investment")
    BUDGET = _value("ClaimKind", "BUDGET", "Budget")
    EMPLOYMENT_FIGURE = _value("ClaimKind", "EMPLOYMENT_FIGURE", "EmploymentFigure")
    QUANTITY_FIGURE = _value("ClaimKind", "QUANTITY_FIGURE", "QuantityFigure")
    CAPACITY = _value("ClaimKind", "CAPACITY", "Capacity")
    MILESTONE = _value("ClaimKind", "MILESTONE", "Milestone")
    RELATION = _value("ClaimKind", "RELATION", "RelationClaim")
    ATTRIBUTE = _value("ClaimKind", "ATTRIBUTE", "AttributeClaim")


def _concept_value(enum: str, name: str, scheme: str, code: str) -> object:
    term = vocab(scheme, code)
    return strawberry.enum_value(code, description=ontology_doc(term, f"{enum}.{name}"))


@strawberry.enum(description=ontology_doc("rank", extra="Ordered from most to least trusted."))
class Rank(Enum):
    PREFERRED = _concept_value("Rank", "PREFERRED", "rank", "preferred")
    NORMAL = _concept_value("Rank", "NORMAL", "rank", "normal")
    DEPRECATED = _concept_value("Rank", "DEPRECATED", "rank", "deprecated")


@strawberry.enum(description=ontology_doc("precision"))
class DatePrecision(Enum):
    DAY = _concept_value("DatePrecision", "DAY", "precision", "day")
    MONTH = _concept_value("DatePrecision", "MONTH", "precision", "month")
    QUARTER = _concept_value("DatePrecision", "QUARTER", "precision", "quarter")
    HALF_YEAR = _concept_value("DatePrecision", "HALF_YEAR", "precision", "halfYear")
    PART_OF_YEAR = _concept_value("DatePrecision", "PART_OF_YEAR", "precision", "partOfYear")
    YEAR = _concept_value("DatePrecision", "YEAR", "precision", "year")
    DECADE = _concept_value("DatePrecision", "DECADE", "precision", "decade")


@strawberry.enum(description="Sort order.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


ENTITY_CLASSES: tuple[tuple[EntityKind, str], ...] = tuple(
    (kind, str(EIP[kind.value])) for kind in (
        EntityKind.BATTERY_GIGAFACTORY, EntityKind.AI_FACTORY, EntityKind.AI_GIGAFACTORY,
        EntityKind.SUPERCOMPUTER, EntityKind.RESEARCH_FACILITY, EntityKind.FACILITY, EntityKind.SITE,
        EntityKind.PUBLIC_BODY, EntityKind.COMPANY, EntityKind.CONSORTIUM, EntityKind.ORGANISATION,
        EntityKind.COUNTRY, EntityKind.REGION, EntityKind.MUNICIPALITY, EntityKind.PLACE,
        EntityKind.NEWS_ARTICLE, EntityKind.WEB_PAGE, EntityKind.DATASET, EntityKind.SOURCE,
        EntityKind.PROGRAMME, EntityKind.INITIATIVE, EntityKind.FUND, EntityKind.CALL,
    )
)
"""Entity classes, most specific first: the first one a node has is its kind."""

CLAIM_CLASSES: tuple[tuple[ClaimKind, str], ...] = tuple(
    (kind, str(EIP[kind.value])) for kind in (
        ClaimKind.INVESTMENT, ClaimKind.BUDGET, ClaimKind.MONETARY_FIGURE, ClaimKind.CAPACITY,
        ClaimKind.QUANTITY_FIGURE, ClaimKind.EMPLOYMENT_FIGURE, ClaimKind.MILESTONE, ClaimKind.RELATION,
        ClaimKind.ATTRIBUTE, ClaimKind.CLAIM,
    )
)
"""Claim classes, most specific first."""


def kind_iri(kind: EntityKind | ClaimKind) -> str:
    """The ontology class IRI of a kind."""
    return str(EIP[kind.value])


def entity_kind(node: Node) -> EntityKind | None:
    """The most specific entity kind of ``node``, or None when it is no entity."""
    types = node.types
    return next((kind for kind, iri in ENTITY_CLASSES if iri in types), None)


def claim_kind(node: Node) -> ClaimKind | None:
    """The most specific claim kind of ``node``, or None when it is no claim."""
    types = node.types
    return next((kind for kind, iri in CLAIM_CLASSES if iri in types), None)


_RANKS = {str(vocab("rank", r.value)): r for r in Rank}


def rank_of(node: Node) -> Rank:
    """The rank of a claim node (normal when it has none)."""
    return _RANKS.get(node.iri_of(EIP.rank) or "", Rank.NORMAL)
