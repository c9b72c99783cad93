"""The Entity interface: what every programme, organisation, facility, place or source has."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.fields import onto
from api.graphql.ids import minter, short_id
from api.graphql.kinds import ENTITY_CLASSES, ClaimKind, EntityKind, Rank, entity_kind
from api.graphql.objects import context, entities, lang_of, nodes
from api.graphql.pagination import Connection, paginate, to_connection
from api.graphql.records import Node
from api.graphql.types.common import LangString, lang_string
from kg.namespaces import ADMS, DCTERMS, EIP, FOAF, PROV, RDFS, SKOS

__all__ = ["Entity"]

SourceRef = Annotated["Source", strawberry.lazy("api.graphql.types.source")]
PlaceRef = Annotated["Place", strawberry.lazy("api.graphql.types.place")]
IdentifierRef = Annotated["Identifier", strawberry.lazy("api.graphql.types.identifier")]
ClaimRef = Annotated["Claim", strawberry.lazy("api.graphql.types.claim")]
MilestoneRef = Annotated["Milestone", strawberry.lazy("api.graphql.types.milestone")]

_PLACE_ORDER = {EntityKind.MUNICIPALITY: 0, EntityKind.REGION: 1, EntityKind.COUNTRY: 2, EntityKind.PLACE: 3}


@strawberry.interface(description="Anything the graph describes: a programme, initiative, fund, call, "
                                  "organisation, site, facility, place or source.")
class Entity:
    node: strawberry.Private[Node]

    @strawberry.field(description="The entity's IRI, its global and stable id (accepted by every `id` "
                                  "argument).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.iri)

    @strawberry.field(description="`kind/slug` (e.g. `company/verkor`): a short id every `id` argument "
                                  "accepts.")
    def short_id(self, info: Info) -> str:
        return short_id(minter(info), self.node.iri)

    @strawberry.field(description="The entity's slug (dct:identifier), e.g. `verkor`; also accepted as an id "
                                  "when no other entity has it.")
    def slug(self) -> str:
        return self.node.text(DCTERMS.identifier) or self.node.iri.rstrip("/").rsplit("/", 1)[-1]

    @strawberry.field(description="The most specific class of the entity.")
    def kind(self) -> EntityKind:
        return entity_kind(self.node) or EntityKind.SOURCE

    @strawberry.field(description="Every entity class the entity belongs to, most specific first.")
    def kinds(self) -> list[EntityKind]:
        types = self.node.types
        return [kind for kind, iri in ENTITY_CLASSES if iri in types]

    @strawberry.field(description="The name in `lang` (default: the request's, `en`), falling back to "
                                  "English, French, then any language; the slug when there is no name.")
    def label(self, info: Info, lang: str | None = None) -> str:
        return self.node.label(lang_of(info, lang)) or self.slug()

    @strawberry.field(description="Every name of the entity (rdfs:label) with its language.")
    def labels(self) -> list[LangString]:
        return [s for s in (lang_string(t) for t in self.node.all(RDFS.label)) if s]

    @strawberry.field(description="Other names (skos:altLabel); only those in `lang` when it is given.")
    def aliases(self, lang: str | None = None) -> list[str]:
        terms = self.node.all(SKOS.altLabel)
        if lang:
            terms = tuple(t for t in terms if (getattr(t, "language", None) or "").startswith(lang.lower()))
        return [t.value for t in terms]

    @strawberry.field(description="External identifiers (Wikidata, NUTS, LEI, SIREN…), each with how it was "
                                  "linked and its source.")
    async def identifiers(self, info: Info) -> list[IdentifierRef]:
        from api.graphql.types.identifier import Identifier

        return [Identifier(node=n) for n in await nodes(info, self.node.iris(ADMS.identifier)) if n.exists]

    @strawberry.field(description="Equivalent resources in other datasets (skos:exactMatch IRIs: Wikidata, "
                                  "NUTS…).")
    def exact_match(self) -> list[str]:
        return self.node.iris(SKOS.exactMatch)

    @strawberry.field(description="The entity's web site (foaf:homepage).")
    def homepage(self) -> str | None:
        return self.node.iri_of(FOAF.homepage) or self.node.text(FOAF.homepage)

    @strawberry.field(description="The sources that describe the entity (prov:wasDerivedFrom).")
    async def sources(self, info: Info) -> list[SourceRef]:
        return await entities(info, self.node.iris(PROV.wasDerivedFrom))

    @strawberry.field(**onto("hasClaim", "Filter by kind, curated property, rank or dispute; most trusted "
                                         "first. Relay-paginated."))
    async def claims(self, info: Info,
                     kind: Annotated[ClaimKind | None, strawberry.argument(
                         description="Only claims of this class (subclasses included).")] = None,
                     source_property: Annotated[str | None, strawberry.argument(
                         description="Only claims of this curated property, e.g. `jobs_expected`.")] = None,
                     ranks: Annotated[list[Rank] | None, strawberry.argument(
                         description="Only claims of these ranks.")] = None,
                     disputed_only: Annotated[bool, strawberry.argument(
                         description="Only claims another claim disputes.")] = False,
                     first: int | None = None, after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[ClaimRef]:
        from api.graphql.types.claim import select_claims

        found = await select_claims(info, self.node.iris(EIP.hasClaim), kind=kind,
                                    source_property=source_property, ranks=ranks, disputed_only=disputed_only)
        page = paginate([c.node.iri for c in found], first=first, after=after, last=last, before=before,
                        max_page=context(info).max_page)
        return to_connection(page, {c.node.iri: c for c in found})

    @strawberry.field(description="The entity's milestones and, for places, sites and facilities, those of "
                                  "everything within them; ordered by earliest date. Deprecated ones only on "
                                  "request.")
    async def timeline(self, info: Info,
                       from_: Annotated[dt.date | None, strawberry.argument(
                           name="from", description="Only milestones ending on or after this day.")] = None,
                       to: Annotated[dt.date | None, strawberry.argument(
                           description="Only milestones starting on or before this day.")] = None,
                       types: Annotated[list[str] | None, strawberry.argument(
                           description="Only these milestone types (codes, e.g. `productionStart`).")] = None,
                       include_deprecated: bool = False) -> list[MilestoneRef]:
        from api.graphql.types.milestone import timeline_of

        return await timeline_of(info, self.node.iri, from_=from_, to=to, types=types,
                                 include_deprecated=include_deprecated)

    @strawberry.field(description="The places the entity is in, most specific first: for sites, facilities "
                                  "and places those it is eip:within; for organisations those of their head "
                                  "office.")
    async def places(self, info: Info) -> list[PlaceRef]:
        from api.graphql.types.place import Place

        within = self.node.iris(EIP.within)
        offices = self.node.iris(EIP.headquarteredIn)
        if offices:
            for office in await nodes(info, offices):
                within += [office.iri, *office.iris(EIP.within)]
        found = await entities(info, dict.fromkeys(within), [Place])
        return sorted(found, key=lambda p: (_PLACE_ORDER.get(entity_kind(p.node), 9),
                                            p.node.label("en") or ""))


