"""Filter and sort inputs of the lists, and their translation into named queries and SPARQL substitutions.

Every filter given must hold (AND). Ids are resolved like every `id` argument (IRI, ``kind/slug`` or slug);
codes (status, milestone type, figure kind) are the concepts' ``skos:notation`` (``Concept.code``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import pyoxigraph as ox
import strawberry
from strawberry.types import Info

from api.graphql.errors import BadArgument
from api.graphql.ids import resolve_id
from api.graphql.kinds import ClaimKind, EntityKind, Rank, SortDirection, kind_iri
from api.graphql.textfold import fold
from kg.namespaces import EIP, XSD, vocab

__all__ = ["LISTED_CLASSES", "ClaimFilter", "ClaimSort", "ClaimSortField", "EntityCriteria", "EntityFilter",
           "EntitySort", "EntitySortField", "claim_bindings", "entity_criteria"]

LISTED_CLASSES: tuple[str, ...] = tuple(str(EIP[name]) for name in (
    "Programme", "Initiative", "Fund", "Call", "Organisation", "Site", "Place"))
"""What `entities` lists when no kind is given: every top entity class but eip:Source."""


@strawberry.input(description="Filters of entity lists; every filter given must hold.")
class EntityFilter:
    kind: EntityKind | None = strawberry.field(default=None, description="Only entities of this class "
                                               "(subclasses included: ORGANISATION finds companies).")
    within: strawberry.ID | None = strawberry.field(default=None, description="A place or site id: only "
                                                    "entities located in it, transitively (eip:within), or "
                                                    "whose head office is. `hauts-de-france` finds the "
                                                    "Bourbourg gigafactory.")
    status: str | None = strawberry.field(default=None, description="A status code, e.g. `operational`.")
    programme: strawberry.ID | None = strawberry.field(default=None, description="A programme, fund or "
                                                       "initiative id: only entities part of it "
                                                       "(transitively), funded or managed by it, or invested "
                                                       "in under it.")
    milestone_from: dt.date | None = strawberry.field(default=None, description="Only entities with a "
                                                      "non-deprecated milestone ending on or after this day.")
    milestone_to: dt.date | None = strawberry.field(default=None, description="Only entities with a "
                                                    "non-deprecated milestone starting on or before this "
                                                    "day.")
    milestone_type: str | None = strawberry.field(default=None, description="With the dates (or alone): the "
                                                  "milestone must be of this type, e.g. `productionStart`.")
    amount_min: Decimal | None = strawberry.field(default=None, description="Only entities with a "
                                                  "non-deprecated monetary figure of at least this amount "
                                                  "(in its currency).")
    amount_max: Decimal | None = strawberry.field(default=None, description="… of at most this amount.")
    currency: str | None = strawberry.field(default=None, description="With the amounts: the figure's "
                                            "currency (ISO 4217, e.g. EUR).")
    text: str | None = strawberry.field(default=None, description="Words to find in a French or English "
                                        "name, alias or stated location, ignoring case, accents and "
                                        "punctuation (`dunkerque`, `Île`, `Linkoping`).")


@strawberry.enum(description="What entity lists are sorted on.")
class EntitySortField(Enum):
    LABEL = "label"
    ID = "id"
    FIRST_MILESTONE = "firstMilestone"
    LARGEST_AMOUNT = "largestAmount"


@strawberry.input(description="Sort order of entity lists (entities without the key come last).")
class EntitySort:
    by: EntitySortField = strawberry.field(default=EntitySortField.LABEL, description="The sort key (default "
                                           "LABEL, in the list's `lang`, ignoring case and accents).")
    direction: SortDirection = strawberry.field(default=SortDirection.ASC, description="ASC or DESC.")


@strawberry.input(description="Filters of claim lists; every filter given must hold.")
class ClaimFilter:
    kind: ClaimKind | None = strawberry.field(default=None, description="Only claims of this class "
                                              "(subclasses included: MONETARY_FIGURE finds investments and "
                                              "budgets).")
    subject: strawberry.ID | None = strawberry.field(default=None, description="Only claims about this "
                                                                               "entity.")
    source_property: str | None = strawberry.field(default=None, description="Only claims of this curated "
                                                   "property, e.g. `jobs_expected`.")
    figure_kind: str | None = strawberry.field(default=None, description="A figure-kind code, e.g. "
                                                                         "`stateAid`.")
    ranks: list[Rank] | None = strawberry.field(default=None, description="Only claims of these ranks.")
    disputed: bool | None = strawberry.field(default=None, description="true: only disputed claims; false: "
                                             "only undisputed ones.")
    within: strawberry.ID | None = strawberry.field(default=None, description="Only claims about this place "
                                                    "or site or about something within it.")
    date_from: dt.date | None = strawberry.field(default=None, description="Only milestones ending on or "
                                                 "after this day.")
    date_to: dt.date | None = strawberry.field(default=None, description="Only milestones starting on or "
                                               "before this day.")
    amount_min: Decimal | None = strawberry.field(default=None, description="Only monetary figures of at "
                                                  "least this amount (in their currency).")
    amount_max: Decimal | None = strawberry.field(default=None, description="… of at most this amount.")
    currency: str | None = strawberry.field(default=None, description="Only amounts in this currency (EUR).")


@strawberry.enum(description="What claim lists are sorted on.")
class ClaimSortField(Enum):
    SUBJECT = "subject"
    EARLIEST = "earliest"
    AMOUNT = "amount"
    AS_OF = "asOf"


@strawberry.input(description="Sort order of claim lists (claims without the key come last); ties: most "
                              "trusted first.")
class ClaimSort:
    by: ClaimSortField = strawberry.field(default=ClaimSortField.SUBJECT, description="The sort key (default "
                                          "SUBJECT: subject, curated property, rank).")
    direction: SortDirection = strawberry.field(default=SortDirection.ASC, description="ASC or DESC.")


def _date(value: dt.date | None) -> ox.Literal | None:
    return ox.Literal(value.isoformat(), datatype=ox.NamedNode(str(XSD.date))) if value else None


def _decimal(value: Decimal | None) -> ox.Literal | None:
    if value is None:
        return None
    if not value.is_finite() or value < 0:
        raise BadArgument(f"an amount must be a finite number of 0 or more, got {value}")
    return ox.Literal(format(value, "f"), datatype=ox.NamedNode(str(XSD.decimal)))


def _concept(scheme: str, code: str | None) -> ox.NamedNode | None:
    if code is None:
        return None
    if not code.replace("-", "").isalnum():
        raise BadArgument(f"{code!r} is not a {scheme} code (letters and digits, e.g. as in Concept.code)")
    return ox.NamedNode(str(vocab(scheme, code)))


async def _entity(info: Info, raw: strawberry.ID | None) -> ox.NamedNode | None:
    return ox.NamedNode(await resolve_id(info, str(raw))) if raw else None


def _check_range(low: Any, high: Any, what: str) -> None:
    if low is not None and high is not None and low > high:
        raise BadArgument(f"{what}: the lower bound {low} is above the upper bound {high}")


@dataclass(frozen=True)
class EntityCriteria:
    """What an entity list asks of the store: its classes and one selective query per filter given.

    ``classes``: the list's class, or the top entity classes except eip:Source when neither the list nor
    the filter names one (sources are listed only when asked for). ``filters``: (query name of
    ``kg/queries/graphql/``, its substitutions), in the order they run, the usually most selective first.
    """

    classes: tuple[str, ...]
    filters: tuple[tuple[str, dict[str, Any]], ...] = ()


def _given(**values: Any) -> dict[str, Any] | None:
    """``values`` when any of them is set, else None."""
    return values if any(v is not None for v in values.values()) else None


async def entity_criteria(info: Info, flt: EntityFilter | None, base: EntityKind | None) -> EntityCriteria:
    """The `EntityCriteria` of a list of class ``base`` (None: `entities`) with ``flt``.

    Raises:
        BadArgument: a range whose lower bound is above its upper bound, a negative amount, a malformed code.
        BadId / NotFound / AmbiguousId: an id of ``within`` or ``programme``.
    """
    flt = flt or EntityFilter()
    _check_range(flt.milestone_from, flt.milestone_to, "milestoneFrom/milestoneTo")
    _check_range(flt.amount_min, flt.amount_max, "amountMin/amountMax")
    kind = flt.kind or base
    text = fold(flt.text) if flt.text else ""
    candidates: list[tuple[str, dict[str, Any] | None]] = [
        ("entities-text", {"text": ox.Literal(text)} if text else None),
        ("entities-status", _given(status=_concept("status", flt.status))),
        ("entities-programme", _given(programme=await _entity(info, flt.programme))),
        ("entities-milestone", _given(**{"from": _date(flt.milestone_from), "to": _date(flt.milestone_to),
                                         "milestoneType": _concept("milestone-type", flt.milestone_type)})),
        ("entities-amount", _given(minAmount=_decimal(flt.amount_min), maxAmount=_decimal(flt.amount_max),
                                   currency=ox.Literal(flt.currency.strip().upper()) if flt.currency
                                   else None)),
        ("entities-within", _given(place=await _entity(info, flt.within))),
    ]
    classes = (kind_iri(kind),) if kind else LISTED_CLASSES
    return EntityCriteria(classes, tuple((name, bindings) for name, bindings in candidates if bindings))


async def claim_bindings(info: Info, flt: ClaimFilter | None) -> dict[str, Any]:
    """The substitutions of ``kg/queries/graphql/claims.rq`` (ranks and dispute are filtered afterwards)."""
    flt = flt or ClaimFilter()
    _check_range(flt.date_from, flt.date_to, "dateFrom/dateTo")
    _check_range(flt.amount_min, flt.amount_max, "amountMin/amountMax")
    return {
        "class": ox.NamedNode(kind_iri(flt.kind)) if flt.kind else None,
        "subject": await _entity(info, flt.subject),
        "sourceProperty": ox.Literal(flt.source_property) if flt.source_property else None,
        "figureKind": _concept("figure-kind", flt.figure_kind),
        "place": await _entity(info, flt.within),
        "from": _date(flt.date_from), "to": _date(flt.date_to),
        "minAmount": _decimal(flt.amount_min), "maxAmount": _decimal(flt.amount_max),
        "currency": ox.Literal(flt.currency.strip().upper()) if flt.currency else None,
    }
