"""Curated facts → n-ary claim nodes (docs/model.md): one function per claim family."""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, TIME, XSD

from kg.curated.records import Fact, PropertyRule
from kg.errors import MappingError
from kg.mapping.context import MappingContext, camel
from kg.mapping.dates import parse_as_of, parse_date
from kg.namespaces import CURRENCY, EIP, SCHEMA

__all__ = ["fact_iri", "map_fact"]

CURRENCIES = {"EUR", "PLN"}
_QUANTITY_UNITS = {"GWh": "GWh", "GWhPerYear": "GWh", "chip": "chips"}
_TIME_UNITS = {"day": TIME.unitDay, "month": TIME.unitMonth, "year": TIME.unitYear}
_RECIPIENT_TYPES = {"Company", "Organisation"}
_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


def fact_iri(ctx: MappingContext, fact: Fact) -> URIRef:
    """Deterministic IRI from what the fact states and who states it."""
    return ctx.minter.fact(fact.subject, fact.property, str(fact.value), fact.unit or "", fact.source,
                           fact.as_of or "", fact.scope or "")


def map_fact(ctx: MappingContext, fact: Fact, rule: PropertyRule, source_iri: dict[str, URIRef]) -> URIRef:
    """Write the claim node of one fact; MappingError names the fact's file:line, property and rule."""
    iri = fact_iri(ctx, fact)
    subject = ctx.resolve(fact.subject, fact, "subject")
    claim_class = _FAMILIES[rule.claim][0] if rule.claim in _FAMILIES else None
    if claim_class is None:
        raise MappingError(f"property {rule.name!r}: unknown claim family {rule.claim!r} "
                           f"(expected one of {', '.join(_FAMILIES)})", location=str(rule.location))
    try:
        _FAMILIES[rule.claim][1](ctx, iri, subject, fact, rule)
    except ValueError as exc:
        raise MappingError(f"fact {fact.subject}.{fact.property} = {fact.value!r}: {exc}",
                           location=str(fact.location)) from exc
    _common(ctx, iri, subject, fact, rule, source_iri)
    return iri


def _common(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule,
            source_iri: dict[str, URIRef]) -> None:
    ctx.add(iri, EIP.subject, subject)
    ctx.add(iri, EIP.sourceProperty, Literal(fact.property))
    ctx.add(iri, EIP.qualifier, ctx.concept("qualifier", camel(fact.qualifier)))
    ctx.add(iri, EIP.rank, ctx.concept("rank", fact.rank))
    ctx.add(iri, PROV.wasDerivedFrom, source_iri[fact.source])
    ctx.add(iri, EIP.sourceLine, Literal(str(fact.location)))
    if fact.rank_reason:
        ctx.add(iri, EIP.rankReason, Literal(fact.rank_reason, lang="en"))
    if fact.note:
        ctx.add(iri, RDFS.comment, Literal(fact.note, lang="en"))
    if fact.as_stated:
        lang = "fr" if fact.source.startswith("seed:") else None
        ctx.add(iri, EIP.asStated, Literal(fact.as_stated, lang=lang))
    if fact.as_of:
        try:
            lexical, datatype = parse_as_of(fact.as_of)
        except ValueError as exc:
            raise MappingError(f"fact {fact.subject}.{fact.property}: as_of {exc}", location=str(fact.location))
        ctx.add(iri, EIP.asOf, Literal(lexical, datatype=XSD[datatype]))
    _context(ctx, iri, fact, rule)


def _context(ctx: MappingContext, iri: URIRef, fact: Fact, rule: PropertyRule) -> None:
    scope = fact.scope or rule.scope
    if scope:
        ctx.add(iri, EIP.scope, Literal(scope, lang="en"))
    if rule.batch is not None:
        ctx.add(iri, EIP.batch, Literal(int(rule.batch)))
    if rule.year is not None:
        ctx.add(iri, EIP.referenceYear, Literal(str(rule.year), datatype=XSD.gYear))
    if rule.period:
        ctx.add(iri, EIP.period, Literal(rule.period))


def _expect_unit(fact: Fact, allowed: set[str | None], what: str) -> None:
    if fact.unit not in allowed:
        shown = ", ".join(sorted(str(u) for u in allowed))
        raise ValueError(f"wrong unit {fact.unit!r} for {what} (rule: expected {shown})")


def _number(value: object, what: str) -> object:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {type(value).__name__}")
    return value


def _money(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule) -> None:
    _expect_unit(fact, {rule.currency, None} if rule.currency else CURRENCIES, "an amount of money")
    code = rule.currency or str(fact.unit)
    amount = URIRef(f"{iri}#amount")
    ctx.add(iri, RDF.type, EIP[rule.claim])
    ctx.add(iri, EIP.figureKind, ctx.concept("figure-kind", rule.kind or "investment"))
    ctx.add(iri, EIP.amount, amount)
    ctx.add(amount, RDF.type, EIP.MonetaryAmount)
    ctx.add(amount, SCHEMA.value, ctx.decimal(_number(fact.value, "an amount")))
    ctx.add(amount, EIP.currency, CURRENCY[code])
    ctx.add(amount, SCHEMA.currency, Literal(code))
    if rule.claim == "Investment":
        _investment_roles(ctx, iri, subject, fact, rule)


def _investment_roles(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule) -> None:
    """The subject receives the money when it is an organisation, else it is what the money pays for."""
    receives = ctx.entities[fact.subject].type in _RECIPIENT_TYPES
    ctx.add(iri, EIP.recipient if receives else EIP.target, subject)
    if rule.investor:
        ctx.add(iri, EIP.investor, ctx.resolve(rule.investor, fact, "investor"))
    if rule.instrument:
        ctx.add(iri, EIP.instrument, ctx.concept("figure-kind", rule.instrument))


def _jobs(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule) -> None:
    _expect_unit(fact, {"jobs", None}, "a number of jobs")
    ctx.add(iri, RDF.type, EIP.EmploymentFigure)
    ctx.add(iri, EIP.figureKind, ctx.concept("figure-kind", rule.kind or "jobs"))
    if ctx.entities[fact.subject].type == "Facility":
        ctx.add(iri, EIP.atFacility, subject)
    span = _RANGE.match(fact.value) if isinstance(fact.value, str) else None
    if span:
        low, high = int(span[1]), int(span[2])
        ctx.add(iri, EIP.minJobs, Literal(str(low), datatype=XSD.nonNegativeInteger))
        ctx.add(iri, EIP.maxJobs, Literal(str(high), datatype=XSD.nonNegativeInteger))
        return
    value = _number(fact.value, "a number of jobs")
    if int(value) != value:
        raise ValueError("a number of jobs must be a whole number")
    ctx.add(iri, EIP.jobs, Literal(str(int(value)), datatype=XSD.nonNegativeInteger))


def _quantity(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule) -> None:
    _expect_unit(fact, {_QUANTITY_UNITS.get(rule.unit or "")}, f"a quantity in {rule.unit}")
    ctx.add(iri, RDF.type, EIP[rule.claim])
    ctx.add(iri, EIP.figureKind, ctx.concept("figure-kind", rule.kind or "quantity"))
    ctx.add(iri, EIP.quantity, ctx.decimal(_number(fact.value, "a quantity")))
    ctx.add(iri, EIP.unit, ctx.concept("unit", rule.unit or "count"))


def _milestone(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule) -> None:
    _expect_unit(fact, {"date", None}, "a date")
    spec = parse_date(str(fact.value))
    ctx.add(iri, RDF.type, EIP.Milestone)
    ctx.add(iri, EIP.milestoneType, ctx.concept("milestone-type", rule.kind or "announced"))
    ctx.add(iri, EIP.dateAsStated, Literal(spec.text))
    ctx.add(iri, EIP.earliest, Literal(spec.earliest.isoformat(), datatype=XSD.date))
    ctx.add(iri, EIP.latest, Literal(spec.latest.isoformat(), datatype=XSD.date))
    ctx.add(iri, EIP.precision, ctx.concept("precision", spec.precision))
    ctx.add(iri, EIP.wikidataPrecision, Literal(spec.wikidata_precision))
    if spec.earliest == spec.latest or spec.precision in _TIME_UNITS:
        _owl_time(ctx, iri, spec)


def _owl_time(ctx: MappingContext, iri: URIRef, spec: object) -> None:
    instant, description = URIRef(f"{iri}#time"), URIRef(f"{iri}#date")
    ctx.add(iri, TIME.hasTime, instant)
    ctx.add(instant, RDF.type, TIME.Instant)
    ctx.add(instant, TIME.inDateTime, description)
    ctx.add(description, RDF.type, TIME.DateTimeDescription)
    ctx.add(description, TIME.unitType, _TIME_UNITS[spec.precision])
    ctx.add(description, TIME.year, Literal(f"{spec.year:04d}", datatype=XSD.gYear))
    if spec.month:
        ctx.add(description, TIME.month, Literal(f"--{spec.month:02d}", datatype=XSD.gMonth))
    if spec.day:
        ctx.add(description, TIME.day, Literal(f"---{spec.day:02d}", datatype=XSD.gDay))


def _relation(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule) -> None:
    predicate = ctx.term(rule.predicate or "")
    if fact.unit == "entity-id":
        obj = ctx.resolve(str(fact.value), fact, "object")
    elif rule.concepts and fact.unit is None:
        obj = ctx.concept(rule.concepts, camel(str(fact.value)))
    elif rule.text_ok and fact.unit is None:
        _attribute(ctx, iri, subject, fact, rule)
        return
    else:
        raise ValueError(f"wrong unit {fact.unit!r} for a relation (rule: expected 'entity-id')")
    ctx.add(iri, RDF.type, EIP.RelationClaim)
    ctx.add(iri, EIP.predicate, predicate)
    ctx.add(iri, EIP.object, obj)
    if fact.rank != "deprecated":
        ctx.add(subject, predicate, obj)


def _attribute(ctx: MappingContext, iri: URIRef, subject: URIRef, fact: Fact, rule: PropertyRule) -> None:
    _expect_unit(fact, {None}, "a literal value")
    value = Literal(fact.value) if isinstance(fact.value, (bool, int, float)) else Literal(str(fact.value))
    predicate = ctx.term(rule.predicate or "")
    ctx.add(iri, RDF.type, EIP.AttributeClaim)
    ctx.add(iri, EIP.predicate, predicate)
    ctx.add(iri, EIP.value, value)
    if rule.truthy and fact.rank != "deprecated":
        ctx.add(subject, predicate, value)


_Mapper = Callable[[MappingContext, URIRef, URIRef, Fact, PropertyRule], None]
_FAMILIES: dict[str, tuple[str, _Mapper]] = {
    "Investment": ("Investment", _money), "Budget": ("Budget", _money),
    "MonetaryFigure": ("MonetaryFigure", _money), "EmploymentFigure": ("EmploymentFigure", _jobs),
    "QuantityFigure": ("QuantityFigure", _quantity), "Capacity": ("Capacity", _quantity),
    "Milestone": ("Milestone", _milestone), "Relation": ("RelationClaim", _relation),
    "Attribute": ("AttributeClaim", _attribute),
}
