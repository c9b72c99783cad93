"""What every mapping function needs: the IRI minter, the entity index and the graph being written."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.curated.reader import ENTITY_TYPES
from kg.curated.records import Entity, Fact
from kg.errors import MappingError
from kg.namespaces import EIP, PREFIXES, Minter, vocab

__all__ = ["MappingContext", "camel"]

_CLASS_KINDS = {"PublicBody": "public-body", "Consortium": "consortium"}


def camel(code: str) -> str:
    """``under_construction`` → ``underConstruction`` (curated codes → concept codes)."""
    head, *rest = code.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@dataclass
class MappingContext:
    """The graph being written and the lookups the mapping needs."""

    minter: Minter
    entities: dict[str, Entity]
    graph: Graph = field(default_factory=Graph)

    def __post_init__(self) -> None:
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.graph.bind("id", self.minter.base + "id/")

    def iri(self, entity_id: str) -> URIRef:
        entity = self.entities[entity_id]
        return self.minter.entity(_CLASS_KINDS.get(entity.cls or "", ENTITY_TYPES[entity.type]), entity.id)

    def resolve(self, entity_id: str, fact: Fact, role: str) -> URIRef:
        """The IRI of a referenced entity; MappingError naming the fact when it does not exist."""
        if entity_id not in self.entities:
            raise MappingError(f"fact {fact.subject}.{fact.property}: {role} {entity_id!r} is not a curated entity "
                               "(rule: every entity-id must name an entity of the 'entities' list)",
                               location=str(fact.location))
        return self.iri(entity_id)

    def add(self, subject: URIRef, predicate: URIRef, obj: URIRef | Literal | None) -> None:
        if obj is not None:
            self.graph.add((subject, predicate, obj))

    def concept(self, scheme: str, code: str) -> URIRef:
        return vocab(scheme, code)

    @staticmethod
    def decimal(value: object) -> Literal:
        return Literal(str(value), datatype=XSD.decimal)

    @staticmethod
    def term(name: str) -> URIRef:
        """An ontology term from ``name`` (``eip:`` unless prefixed, e.g. ``legal:legalName``)."""
        prefix, sep, local = name.partition(":")
        return URIRef(PREFIXES[prefix] + local) if sep else EIP[name]
