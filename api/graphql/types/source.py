"""A source: a news article, web page or dataset that states facts."""

from __future__ import annotations

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import onto
from api.graphql.kinds import EntityKind
from api.graphql.objects import entity_type
from api.graphql.types.common import PartialDate, partial_date
from api.graphql.types.entity import Entity
from kg.namespaces import DCTERMS, EIP, SCHEMA

__all__ = ["Source"]


@entity_type(EntityKind.SOURCE, EntityKind.NEWS_ARTICLE, EntityKind.WEB_PAGE, EntityKind.DATASET)
@strawberry.type(description=ontology_doc("Source", "Source"))
class Source(Entity):
    @strawberry.field(description="The address of the document (schema:url); null for the seed article.")
    def url(self) -> str | None:
        return self.node.text(SCHEMA.url) or self.node.iri_of(SCHEMA.url)

    @strawberry.field(description="When the document was published (dct:issued), at the precision shown.")
    def issued(self) -> PartialDate | None:
        return partial_date(self.node.first(DCTERMS.issued))

    @strawberry.field(description="The language of the document (dct:language).")
    def language(self) -> str | None:
        return self.node.text(DCTERMS.language) or self.node.iri_of(DCTERMS.language)

    @strawberry.field(**onto("domain"))
    def domain(self) -> str | None:
        return self.node.text(EIP.domain)

    @strawberry.field(**onto("retrievedAt"))
    def retrieved_at(self) -> str | None:
        return self.node.text(EIP.retrievedAt)

    @strawberry.field(**onto("datasetVersion"))
    def dataset_version(self) -> str | None:
        return self.node.text(EIP.datasetVersion)
