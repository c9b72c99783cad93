"""The Query root and the schema: lookups by id, filtered and paginated lists, timelines.

    entity(id) / programme(id) / facility(id) / organisation(id) / … / claim(id)
    entities(filter, sort, lang, first, after, last, before) and typed lists (facilities, organisations…)
    claims(filter, sort, …)
    timeline(id, from, to, types, …)

`build_schema(settings)` wires the limits of the settings; `schema` is built with the default settings.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from api.graphql.aggregates import aggregates_field
from api.graphql.extensions import KgSchema, StoreStats
from api.graphql.filters import ClaimFilter, ClaimSort, EntityFilter, EntitySort
from api.graphql.kinds import EntityKind
from api.graphql.limits import limit_extensions
from api.graphql.lists import Window, list_claims, list_entities
from api.graphql.pagination import Connection
from api.graphql.queries import lookup_claim, lookup_entity, timeline_page
from api.graphql.scalars import SCALAR_OVERRIDES
from api.graphql.types.attribute_claim import AttributeClaim
from api.graphql.types.budget import Budget
from api.graphql.types.call import Call
from api.graphql.types.capacity import Capacity
from api.graphql.types.claim import Claim
from api.graphql.types.employment_figure import EmploymentFigure
from api.graphql.types.entity import Entity
from api.graphql.types.facility import Facility
from api.graphql.types.fund import Fund
from api.graphql.types.initiative import Initiative
from api.graphql.types.investment import Investment
from api.graphql.types.milestone import Milestone
from api.graphql.types.organisation import Organisation
from api.graphql.types.other_monetary_figure import OtherMonetaryFigure
from api.graphql.types.other_quantity_figure import OtherQuantityFigure
from api.graphql.types.place import Place
from api.graphql.types.programme import Programme
from api.graphql.types.relation_claim import RelationClaim
from api.graphql.types.site import Site
from api.graphql.types.source import Source
from kg.config import Settings, get_settings

__all__ = ["OBJECT_TYPES", "Query", "build_schema", "schema"]

OBJECT_TYPES: list[type] = [
    Programme, Initiative, Fund, Call, Organisation, Site, Facility, Place, Source,
    Investment, Budget, OtherMonetaryFigure, EmploymentFigure, Capacity, OtherQuantityFigure, Milestone,
    RelationClaim, AttributeClaim,
]

IdArg = Annotated[strawberry.ID, strawberry.argument(
    description="A full IRI, `kind/slug` (`company/verkor`) or a slug (`verkor`).")]
LangArg = Annotated[str | None, strawberry.argument(
    description="Language of the labels the list is sorted on (default: the request's, `en`).")]
PageArg = Annotated[int | None, strawberry.argument(
    description="Page size (at most the server's maximum page size, see PAGE_SIZE_EXCEEDED).")]


def _lookup(cls: type, what: str) -> Any:
    async def resolve(info: Info, id: IdArg) -> cls | None:  # noqa: A002
        return await lookup_entity(info, str(id), [cls])

    resolve.__annotations__["return"] = cls | None
    return strawberry.field(resolver=resolve, description=f"The {what} with this id (null + NOT_FOUND if "
                                                          f"none).")


def _list(cls: type, base: EntityKind, what: str) -> Any:
    async def resolve(info: Info, filter: EntityFilter | None = None,  # noqa: A002
                      sort: EntitySort | None = None, lang: LangArg = None, first: PageArg = None,
                      after: str | None = None, last: PageArg = None,
                      before: str | None = None) -> Connection[cls] | None:
        return await list_entities(info, base, filter, sort, lang, Window(first, after, last, before))

    resolve.__annotations__["return"] = Connection[cls] | None
    return strawberry.field(resolver=resolve, description=f"The {what}, filtered, sorted and paginated.")


@strawberry.type(description="Entry points: lookups by id, filtered lists, timelines.")
class Query:
    @strawberry.field(description="Any entity by id (null + NOT_FOUND in `errors` if none).")
    async def entity(self, info: Info, id: IdArg) -> Entity | None:  # noqa: A002
        return await lookup_entity(info, str(id))

    programme = _lookup(Programme, "programme")
    initiative = _lookup(Initiative, "policy initiative")
    fund = _lookup(Fund, "fund")
    call = _lookup(Call, "call")
    organisation = _lookup(Organisation, "organisation (public body, company, consortium…)")
    site = _lookup(Site, "site")
    facility = _lookup(Facility, "facility")
    place = _lookup(Place, "place")
    source = _lookup(Source, "source")

    @strawberry.field(description="A claim by its IRI (null + NOT_FOUND if none).")
    async def claim(self, info: Info, id: strawberry.ID) -> Claim | None:  # noqa: A002
        return await lookup_claim(info, str(id))

    @strawberry.field(description="All entities, filtered, sorted and paginated.")
    async def entities(self, info: Info, filter: EntityFilter | None = None,  # noqa: A002
                       sort: EntitySort | None = None, lang: LangArg = None, first: PageArg = None,
                       after: str | None = None, last: PageArg = None,
                       before: str | None = None) -> Connection[Entity] | None:
        return await list_entities(info, None, filter, sort, lang, Window(first, after, last, before))

    programmes = _list(Programme, EntityKind.PROGRAMME, "programmes")
    initiatives = _list(Initiative, EntityKind.INITIATIVE, "policy initiatives")
    funds = _list(Fund, EntityKind.FUND, "funds")
    calls = _list(Call, EntityKind.CALL, "calls")
    organisations = _list(Organisation, EntityKind.ORGANISATION, "organisations")
    sites = _list(Site, EntityKind.SITE, "sites (facilities are sites too; see `facilities`)")
    facilities = _list(Facility, EntityKind.FACILITY, "facilities")
    places = _list(Place, EntityKind.PLACE, "places")
    sources = _list(Source, EntityKind.SOURCE, "sources")

    aggregates = aggregates_field

    @strawberry.field(description="Claims (facts) of every kind, filtered, sorted and paginated.")
    async def claims(self, info: Info, filter: ClaimFilter | None = None,  # noqa: A002
                     sort: ClaimSort | None = None, first: PageArg = None, after: str | None = None,
                     last: PageArg = None, before: str | None = None) -> Connection[Claim] | None:
        return await list_claims(info, filter, sort, Window(first, after, last, before))

    @strawberry.field(description="The milestones of an entity and, for a place or site, of everything "
                                  "within it, ordered by earliest date (then latest); each with its "
                                  "precision, the date as stated and its earliest and latest days.")
    async def timeline(self, info: Info, id: IdArg,  # noqa: A002
                       from_: Annotated[dt.date | None, strawberry.argument(
                           name="from", description="Only milestones ending on or after this day.")] = None,
                       to: Annotated[dt.date | None, strawberry.argument(
                           description="Only milestones starting on or before this day.")] = None,
                       types: Annotated[list[str] | None, strawberry.argument(
                           description="Only these milestone types (codes, e.g. `productionStart`).")] = None,
                       include_deprecated: bool = False, first: PageArg = None, after: str | None = None,
                       last: PageArg = None, before: str | None = None) -> Connection[Milestone] | None:
        return await timeline_page(info, str(id), from_=from_, to=to, types=types,
                                   include_deprecated=include_deprecated,
                                   window=Window(first, after, last, before))


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with the limits of ``settings`` (default: `get_settings()`)."""
    settings = settings or get_settings()
    return KgSchema(query=Query, types=OBJECT_TYPES, config=StrawberryConfig(auto_camel_case=True),
                    extensions=[*limit_extensions(settings), StoreStats], scalar_overrides=SCALAR_OVERRIDES)


schema = build_schema()
