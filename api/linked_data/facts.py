"""Claim nodes as rows of an entity page: value in words (amount and currency, jobs, quantity and unit,
related entity, attribute), qualifier, as-of date, rank and why, the source's own words, sources, and the
disputed flag. Milestones carry their date as stated with its precision (``2025-12 (month)``) and their
earliest/latest bounds.

See docs/model.md for the claim vocabulary. Properties a row does not show in its own columns are listed as
its details, so nothing a claim states is hidden from the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from api.linked_data.display import (
    Labeller, Ref, Statement, Text, Value, language_tag, plain_number, short_number, to_decimal,
)
from kg.namespaces import EIP, PROV, RDF, RDFS, SCHEMA, TIME

__all__ = ["CLASS_ORDER", "FactRow", "build_fact", "claim_class", "sort_facts", "timeline_order"]

CLASS_ORDER: tuple[URIRef, ...] = (
    EIP.Investment, EIP.Budget, EIP.MonetaryFigure, EIP.EmploymentFigure, EIP.Capacity, EIP.QuantityFigure,
    EIP.Milestone, EIP.RelationClaim, EIP.AttributeClaim, EIP.Claim,
)
"""Claim classes from the most specific; a claim is grouped under the first it has."""

_RANK_ORDER = {"preferred": 0, "normal": 1, "deprecated": 2}

_SHOWN = frozenset({
    RDF.type, EIP.subject, EIP.sourceProperty, EIP.sourceLine, EIP.qualifier, EIP.rank, EIP.rankReason,
    PROV.wasDerivedFrom, EIP.asOf, EIP.asStated, RDFS.comment, EIP.disputed, EIP.amount, EIP.jobs,
    EIP.minJobs, EIP.maxJobs, EIP.quantity, EIP.unit, EIP.figureKind, EIP.predicate, EIP.object, EIP.value,
    EIP.milestoneType, EIP.earliest, EIP.latest, EIP.precision, EIP.wikidataPrecision, EIP.dateAsStated,
    TIME.hasTime,
})
"""Claim properties shown in a row's own columns (or not at all: sourceLine, wikidataPrecision, hasTime)."""


@dataclass(frozen=True)
class FactRow:
    """One claim as the page shows it.

    Attributes:
        ref: the claim (links to its own page).
        cls: its most specific claim class.
        subject: what the claim is about.
        property: the curated property name (``jobs_expected``).
        kind: figure kind, milestone type, or the property a relation/attribute claim states.
        values: the value in words (``EUR 4 bn``, ``4,000 jobs``, ``16 GWh per year``, a linked entity…).
        rank_code: ``preferred``, ``normal``, ``deprecated`` or '' (for styling and ordering).
        date: milestones: the date as stated and its precision, e.g. ``2025-12 (month)``.
        details: the claim's other properties (target, recipient, scope, period…).
    """

    ref: Ref
    cls: Ref
    subject: Ref | None
    property: str
    kind: Ref | None
    values: tuple[Value, ...]
    qualifier: Ref | None
    as_of: str | None
    rank: Ref | None
    rank_code: str
    rank_reason: Text | None
    as_stated: Text | None
    comment: Text | None
    disputed: bool
    sources: tuple[Ref, ...]
    details: tuple[Statement, ...]
    date: str | None = None
    earliest: str | None = None
    latest: str | None = None


def claim_class(graph: Graph, claim: URIRef) -> URIRef:
    """The most specific claim class of ``claim`` (``eip:Claim`` when it has none of ``CLASS_ORDER``)."""
    types = set(graph.objects(claim, RDF.type))
    return next((cls for cls in CLASS_ORDER if cls in types), EIP.Claim)


def build_fact(graph: Graph, claim: URIRef, names: Labeller) -> FactRow:
    """The row of ``claim``; ``graph`` holds the claim's triples and those of its ``#amount``/``#time``."""
    cls = claim_class(graph, claim)
    rank = _iri(graph, claim, EIP.rank)
    row = FactRow(
        ref=names.ref(str(claim)),
        cls=names.ref(str(cls)),
        subject=_ref(graph, claim, EIP.subject, names),
        property=str(graph.value(claim, EIP.sourceProperty) or ""),
        kind=_kind(graph, claim, names),
        values=_values(graph, claim, names),
        qualifier=_ref(graph, claim, EIP.qualifier, names),
        as_of=_literal(graph, claim, EIP.asOf),
        rank=names.ref(rank) if rank else None,
        rank_code=rank.rsplit("/", 1)[-1] if rank else "",
        rank_reason=_text(graph, claim, EIP.rankReason),
        as_stated=_text(graph, claim, EIP.asStated),
        comment=_text(graph, claim, RDFS.comment),
        disputed=_is_true(graph, claim, EIP.disputed),
        sources=tuple(sorted((names.ref(str(s)) for s in graph.objects(claim, PROV.wasDerivedFrom)),
                             key=lambda ref: ref.label)),
        details=_details(graph, claim, names),
    )
    if cls != EIP.Milestone:
        return row
    return _with_date(graph, claim, names, row)


def sort_facts(rows: Iterable[FactRow]) -> list[FactRow]:
    """Rows by what they state, preferred claims first, then the newest as-of date first."""
    by_date = sorted(rows, key=lambda row: (row.as_of or "", row.ref.iri), reverse=True)
    return sorted(by_date, key=lambda row: (row.property, row.kind.label if row.kind else "",
                                            _RANK_ORDER.get(row.rank_code, 3)))


def timeline_order(row: FactRow) -> tuple[str, str, str, str]:
    """Sort key of milestones: by earliest date (undated last), then latest date."""
    return (row.earliest or "9999", row.latest or "9999", row.kind.label if row.kind else "", row.ref.iri)


# --- the value in words --------------------------------------------------------------------------------

def _kind(graph: Graph, claim: URIRef, names: Labeller) -> Ref | None:
    for predicate in (EIP.milestoneType, EIP.predicate, EIP.figureKind):
        found = _ref(graph, claim, predicate, names)
        if found is not None:
            return found
    return None


def _values(graph: Graph, claim: URIRef, names: Labeller) -> tuple[Value, ...]:
    amount = graph.value(claim, EIP.amount)
    if amount is not None:
        return (Text(_money(graph, amount)),)
    if (claim, EIP.jobs, None) in graph or (claim, EIP.minJobs, None) in graph:
        return (Text(_span(graph, claim, EIP.jobs, EIP.minJobs, EIP.maxJobs, short=False) + " jobs"),)
    if (claim, EIP.quantity, None) in graph:
        unit = graph.value(claim, EIP.unit)
        number = _span(graph, claim, EIP.quantity, None, None, short=False)
        return (Text(f"{number} {names.text(str(unit)).value}" if unit is not None else number),)
    objects = [names.value(o) for o in graph.objects(claim, EIP.object)]
    objects += [names.value(o) for o in graph.objects(claim, EIP.value)]
    return tuple(objects)


def _money(graph: Graph, amount: Node) -> str:
    currency = graph.value(amount, SCHEMA.currency)
    code = str(currency) if currency is not None else ""
    number = _span(graph, amount, SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue, short=True)
    return f"{code} {number}".strip()


def _span(graph: Graph, node: Node, exact: URIRef, low: URIRef | None, high: URIRef | None, *,
          short: bool) -> str:
    def show(predicate: URIRef | None) -> str | None:
        number = to_decimal(graph.value(node, predicate)) if predicate is not None else None
        if number is None:
            return None
        return (short_number(number) if short else None) or plain_number(number)

    value = show(exact)
    if value is not None:
        return value
    bounds = [b for b in (show(low), show(high)) if b is not None]
    return "–".join(bounds) if bounds else "?"


def _with_date(graph: Graph, claim: URIRef, names: Labeller, row: FactRow) -> FactRow:
    stated = _literal(graph, claim, EIP.dateAsStated)
    earliest, latest = _literal(graph, claim, EIP.earliest), _literal(graph, claim, EIP.latest)
    precision = graph.value(claim, EIP.precision)
    date = stated or earliest
    if date and precision is not None:
        date = f"{date} ({names.text(str(precision)).value})"
    return replace(row, date=date, earliest=earliest, latest=latest)


# --- small readers -------------------------------------------------------------------------------------

def _iri(graph: Graph, node: URIRef, predicate: URIRef) -> str | None:
    value = graph.value(node, predicate)
    return str(value) if isinstance(value, URIRef) else None


def _ref(graph: Graph, node: URIRef, predicate: URIRef, names: Labeller) -> Ref | None:
    iri = _iri(graph, node, predicate)
    return names.ref(iri) if iri else None


def _literal(graph: Graph, node: URIRef, predicate: URIRef) -> str | None:
    value = graph.value(node, predicate)
    return str(value) if isinstance(value, Literal) else None


def _is_true(graph: Graph, node: URIRef, predicate: URIRef) -> bool:
    return any(isinstance(o, Literal) and o.toPython() is True for o in graph.objects(node, predicate))


def _text(graph: Graph, node: URIRef, predicate: URIRef) -> Text | None:
    value = graph.value(node, predicate)
    if not isinstance(value, Literal):
        return None
    return Text(str(value), language_tag(value.language))


def _details(graph: Graph, claim: URIRef, names: Labeller) -> tuple[Statement, ...]:
    by_predicate: dict[URIRef, list[Value]] = defaultdict(list)
    for predicate, obj in graph.predicate_objects(claim):
        if predicate not in _SHOWN:
            by_predicate[predicate].append(names.value(obj))
    statements = [Statement(names.ref(str(p)), tuple(vs)) for p, vs in by_predicate.items()]
    return tuple(sorted(statements, key=lambda s: s.predicate.label))
