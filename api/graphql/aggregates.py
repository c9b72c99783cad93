"""The `aggregates` list: totals per programme, country or company, materialised at build time.

    aggregates(groupBy: COUNTRY, figureKind: "investment", currency: "EUR", first: 20) { totalCount edges … }

One store query (``kg/queries/graphql/aggregates.rq``) reads the totals of the groups of one class from the
aggregates graph (kg/aggregates.py); no claim is summed at request time. The sorted totals of each class, and
each filtered list of them, are kept per publication with the entity lists' orders (`api.graphql.lists.kept`):
after the first request of a publication, a page costs no totals query, only the nodes batch of its items. Totals of different figure kinds,
qualifiers or currencies are separate items, never added together. Largest value first, ties by IRI.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import onto
from api.graphql.lists import Window, kept
from api.graphql.objects import context, one_entity
from api.graphql.pagination import Connection, paginate, to_connection
from api.graphql.memo import Lru, store_version
from api.graphql.runner import QueryRunner, Row
from kg.namespaces import EIP, vocab
from kg.remote_store import Store
from kg.terms import python_value

__all__ = ["AggregateGroup", "Total", "TotalKind", "aggregates_page", "class_totals", "warm_class_totals"]

EntityRef = Annotated["Entity", strawberry.lazy("api.graphql.types.entity")]
ConceptRef = Annotated["Concept", strawberry.lazy("api.graphql.types.concept")]


def _value(enum: str, name: str, term: str) -> Any:
    return strawberry.enum_value(term, description=ontology_doc(term, f"{enum}.{name}"))


@strawberry.enum(description="The groups that totals are computed for.")
class AggregateGroup(Enum):
    PROGRAMME = strawberry.enum_value("Programme", description="Programmes: a programme, what is part of it or "
                                                               "funded by it, and investments made under it.")
    COUNTRY = strawberry.enum_value("Country", description="Countries: a country and what lies within it.")
    COMPANY = strawberry.enum_value("Company", description="Companies: a company and the facilities it "
                                                           "operates.")


@strawberry.enum(description="What a total adds up.")
class TotalKind(Enum):
    INVESTMENT = _value("TotalKind", "INVESTMENT", "InvestmentTotal")
    JOBS = _value("TotalKind", "JOBS", "JobsTotal")


def _code(iri: Any) -> str | None:
    return None if iri is None else iri.value.rstrip("/").rsplit("/", 1)[-1]


@strawberry.type(description=ontology_doc("Aggregate", "Total", "One item per group, figure kind, qualifier "
                                                               "and currency."))
class Total:
    row: strawberry.Private[Row]

    @strawberry.field(description="The total's IRI (`<group>#investment-<kind>-<qualifier>-<currency>`).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row["aggregate"].value)

    @strawberry.field(description="Money (investment claims) or jobs (employment claims).")
    def kind(self) -> TotalKind:
        return TotalKind.JOBS if self.row["class"].value == str(EIP.JobsTotal) else TotalKind.INVESTMENT

    @strawberry.field(**onto("aggregateOf"))
    async def group(self, info: Info) -> EntityRef | None:
        return await one_entity(info, self.row["group"].value)

    @strawberry.field(**onto("figureKind", "Figures of different kinds are never added together."))
    async def figure_kind(self, info: Info) -> ConceptRef | None:
        from api.graphql.types.concept import concept

        return await concept(info, self.row["kind"].value)

    @strawberry.field(**onto("qualifier", "Here: of every claim added up (exact, approximately, up to…)."))
    async def qualifier(self, info: Info) -> ConceptRef | None:
        from api.graphql.types.concept import concept

        return await concept(info, self.row["qualifier"].value)

    @strawberry.field(description="The ISO 4217 code of the amounts' currency, e.g. EUR (null for jobs).")
    def currency(self) -> str | None:
        return _code(self.row.get("currency"))

    @strawberry.field(description="The sum: an amount in currency units, or a number of jobs.")
    def value(self) -> Decimal:
        return Decimal(str(python_value(self.row["value"])))

    @strawberry.field(**onto("claimCount", "One claim per statement: a figure stated by several sources "
                                           "counts once."))
    def claim_count(self) -> int:
        return int(self.row["claims"].value)

    @strawberry.field(**onto("entityCount"))
    def entity_count(self) -> int:
        return int(self.row["entities"].value)

    @strawberry.field(**onto("facilityCount", "Here: of the total's group."))
    def facility_count(self) -> int | None:
        facilities = self.row.get("facilities")
        return None if facilities is None else int(facilities.value)


def _wanted(row: Row, kind: str | None, currency: str | None, qualifier: str | None) -> bool:
    return ((kind is None or row["kind"].value == kind)
            and (currency is None or _code(row.get("currency")) == currency)
            and (qualifier is None or _code(row["qualifier"]) == qualifier))


def class_totals(runner: QueryRunner, group_by: AggregateGroup) -> list[tuple[str, Row]]:
    """Every total of the groups of ``group_by``, largest first (ties by IRI): one store query."""
    rows = runner.select("aggregates", groupClass=EIP[group_by.value])
    by_iri = {r["aggregate"].value: r for r in rows}
    order = sorted(sorted(by_iri), key=lambda k: python_value(by_iri[k]["value"]), reverse=True)
    return [(k, by_iri[k]) for k in order]


def class_totals_key(version: str, group_by: AggregateGroup) -> tuple[str, ...]:
    """Where the kept orders hold ``class_totals`` of one publication (see `warm_class_totals`)."""
    return ("aggregates", version, group_by.value)


def warm_class_totals(store: Store, orders: Lru[Any]) -> int:
    """Keep the totals of every group class of ``store``'s publication, unless kept already; how many were read.

    Run by `api.graphql.warm` when a publication appears, so that the first request for a page of totals does not
    read them (0.7 s at 10^6 triples, 9 s at 10^7).
    """
    version = store_version(store)
    if not version or not orders.enabled:
        return 0
    runner, read = QueryRunner(store), 0
    for group_by in AggregateGroup:
        key = class_totals_key(version, group_by)
        if orders.get(key) is None:
            totals = class_totals(runner, group_by)
            if store_version(store) == version:
                orders.put(key, totals, weight=max(len(totals), 1))
                read += 1
    return read


async def _class_totals(info: Info, group_by: AggregateGroup) -> list[tuple[str, Row]]:
    """`class_totals`, kept per publication."""
    runner = context(info).runner
    return await kept(info, lambda version: class_totals_key(version, group_by),
                      lambda: asyncio.to_thread(class_totals, runner, group_by))


async def aggregates_page(info: Info, group_by: AggregateGroup, figure_kind: str | None, currency: str | None,
                          qualifier: str | None, window: Window) -> Connection[Total]:
    """A page of the totals of the groups of ``group_by``, largest first (ties by IRI)."""
    kind = str(vocab("figure-kind", figure_kind)) if figure_kind else None
    everything = await _class_totals(info, group_by)

    async def chosen() -> list[tuple[str, Row]]:
        return [(k, row) for k, row in everything if _wanted(row, kind, currency, qualifier)]

    totals = everything if (kind, currency, qualifier) == (None, None, None) else await kept(
        info, lambda version: ("aggregates", version, group_by.value, kind, currency, qualifier), chosen)
    rows = dict(totals)
    page = paginate([k for k, _ in totals], first=window.first, after=window.after, last=window.last,
                    before=window.before, max_page=context(info).max_page)
    return to_connection(page, {k: Total(row=rows[k]) for k in page.keys})


PageArg = Annotated[int | None, strawberry.argument(
    description="Page size (at most the server's maximum page size, see PAGE_SIZE_EXCEEDED).")]


async def resolve_aggregates(
    info: Info,
    group_by: Annotated[AggregateGroup, strawberry.argument(description="Programmes, countries or companies.")],
    figure_kind: Annotated[str | None, strawberry.argument(
        description="Only totals of this figure kind (a code of the figure-kind scheme, e.g. `investment`, "
                    "`stateAid`, `directJobs`); an unknown code gives an empty list.")] = None,
    currency: Annotated[str | None, strawberry.argument(
        description="Only totals in this currency (ISO 4217 code, e.g. `EUR`).")] = None,
    qualifier: Annotated[str | None, strawberry.argument(
        description="Only totals of this qualifier (a code, e.g. `exact`, `upTo`).")] = None,
    first: PageArg = None, after: str | None = None, last: PageArg = None, before: str | None = None,
) -> Connection[Total]:
    return await aggregates_page(info, group_by, figure_kind, currency, qualifier,
                                 Window(first, after, last, before))


aggregates_field = strawberry.field(
    resolver=resolve_aggregates,
    description="Totals per programme, country or company, computed at build time from the chosen claim of each "
                "statement (a figure stated by several sources adds once; deprecated claims never); one item "
                "per group, figure kind, qualifier and currency, largest first, paginated.")
"""The root field, mounted on Query by api/graphql/schema.py."""
