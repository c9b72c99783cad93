"""A milestone: a dated event with the stated date's precision and its earliest and latest days; timelines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.descriptions import ontology_doc
from api.graphql.errors import BadArgument
from api.graphql.fields import concept_field, onto
from api.graphql.kinds import ClaimKind, DatePrecision, Rank, rank_of
from api.graphql.objects import claim_type, claims, context
from api.graphql.records import literal_date
from api.graphql.types.claim import Claim
from kg.namespaces import EIP

__all__ = ["Milestone", "timeline_of"]

_PRECISIONS = {p.value: p for p in DatePrecision}


@claim_type(ClaimKind.MILESTONE)
@strawberry.type(description=ontology_doc("Milestone", "Milestone"))
class Milestone(Claim):
    milestone_type = concept_field("milestoneType")

    @strawberry.field(**onto("earliest"))
    def earliest(self) -> dt.date | None:
        return literal_date(self.node.first(EIP.earliest))

    @strawberry.field(**onto("latest"))
    def latest(self) -> dt.date | None:
        return literal_date(self.node.first(EIP.latest))

    @strawberry.field(**onto("precision"))
    def precision(self) -> DatePrecision | None:
        code = (self.node.iri_of(EIP.precision) or "").rsplit("/", 1)[-1]
        return _PRECISIONS.get(code)

    @strawberry.field(**onto("wikidataPrecision"))
    def wikidata_precision(self) -> int | None:
        return self.node.integer(EIP.wikidataPrecision)

    @strawberry.field(**onto("dateAsStated"))
    def date_as_stated(self) -> str | None:
        return self.node.text(EIP.dateAsStated)


def _order(milestone: Milestone) -> tuple[dt.date, dt.date, str]:
    far = dt.date.max
    return (milestone.earliest() or far, milestone.latest() or far, milestone.node.iri)


def _type_code(milestone: Milestone) -> str:
    return (milestone.node.iri_of(EIP.milestoneType) or "").rsplit("/", 1)[-1]


async def timeline_of(info: Info, focus: str, *, from_: dt.date | None = None, to: dt.date | None = None,
                      types: Sequence[str] | None = None, include_deprecated: bool = False) -> list[Any]:
    """The milestones of ``focus`` and of everything within it, overlapping [from, to], earliest first.

    Raises:
        BadArgument: ``from`` is after ``to``.
    """
    if from_ and to and from_ > to:
        raise BadArgument(f"`from` ({from_}) is after `to` ({to})")
    found = await claims(info, await context(info).timeline.load(focus), [Milestone])
    if not include_deprecated:
        found = [m for m in found if rank_of(m.node) is not Rank.DEPRECATED]
    if types:
        found = [m for m in found if _type_code(m) in set(types)]
    if from_:
        found = [m for m in found if (m.latest() or dt.date.max) >= from_]
    if to:
        found = [m for m in found if (m.earliest() or dt.date.min) <= to]
    return sorted(found, key=_order)
