"""The HTML page of an entity as plain data: labels, types, identifiers, statements, facts grouped by claim
class, the milestone timeline, neighbours both ways, sources, alternates and the embedded JSON-LD.

``build_view`` reads the entity's description (triples), the labels fetched for it and its incoming links;
``api/templates/entity.html`` only lays the result out (and escapes it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef

from api.html import safe_href
from api.linked_data.describe import INBOUND_LIMIT, Inbound, Labels
from api.linked_data.display import Labeller, Ref, Statement, Text
from api.linked_data.facts import CLASS_ORDER, FactRow, build_fact, sort_facts, timeline_order
from api.linked_data.formats import (
    JSONLD, NTRIPLES, RDF_TYPES, RDFXML, TURTLE, extension_of, jsonld_document, script_json,
)
from api.linked_data.paths import Target
from kg.namespaces import ADMS, DCTERMS, EIP, NUTS, PROV, RDF, RDFS, SKOS, WD, Minter, vocab
from kg.terms import triples_to_graph

__all__ = ["Alternate", "EntityView", "FactGroup", "Identifier", "Mention", "build_view", "external_link"]

FORMAT_NAMES = {TURTLE: "Turtle", JSONLD: "JSON-LD", NTRIPLES: "N-Triples", RDFXML: "RDF/XML"}

_SHOWN_APART = frozenset({
    RDF.type, RDFS.label, SKOS.altLabel, ADMS.identifier, SKOS.exactMatch, PROV.wasDerivedFrom, EIP.hasClaim,
    DCTERMS.identifier,
})
"""Entity properties with a section of their own (the rest are listed under Statements)."""

_SCHEME_PREFIX = str(vocab("identifier-scheme")) + "/"

_EXTERNAL: dict[str, tuple[re.Pattern[str], Callable[[str], str]]] = {
    "wikidata": (re.compile(r"[QPL][1-9][0-9]*"), lambda n: str(WD[n])),
    "nuts": (re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}"), lambda n: str(NUTS[n])),
    "geonames": (re.compile(r"[0-9]+"), lambda n: f"https://sws.geonames.org/{n}/"),
    "lei": (re.compile(r"[A-Z0-9]{20}"), lambda n: f"https://lei.info/{n}"),
    "website": (re.compile(r"https?://\S+"), lambda n: n),
}
"""Identifier scheme code → (well-formed notation, the IRI it names); IRI forms as in docs/model.md."""


@dataclass(frozen=True)
class Identifier:
    """An external identifier of the entity (an ``adms:Identifier`` node)."""

    scheme: Ref | None
    notation: str
    href: str | None
    method: Ref | None
    score: str | None
    confirmed: bool
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class FactGroup:
    """The claims of one class (investment, employment figure, relation claim…)."""

    cls: Ref
    rows: tuple[FactRow, ...]


@dataclass(frozen=True)
class Mention:
    """A claim about another entity that names this one (as object, target, investor, source…)."""

    claim: Ref
    subject: Ref
    property: str
    role: Ref


@dataclass(frozen=True)
class Alternate:
    """Another representation of the same description."""

    name: str
    href: str
    media_type: str


@dataclass(frozen=True)
class EntityView:
    """Everything ``entity.html`` shows."""

    iri: str
    kind: str
    title: Text
    labels: tuple[Text, ...]
    alt_labels: tuple[Text, ...]
    types: tuple[Ref, ...]
    identifiers: tuple[Identifier, ...]
    same_as: tuple[Ref, ...]
    statements: tuple[Statement, ...]
    sources: tuple[Ref, ...]
    fact: FactRow | None
    fact_groups: tuple[FactGroup, ...]
    timeline: tuple[FactRow, ...]
    linked_from: tuple[Statement, ...]
    mentions: tuple[Mention, ...]
    inbound_truncated: bool
    alternates: tuple[Alternate, ...]
    jsonld: Markup
    triple_count: int


def build_view(target: Target, triples: Sequence[ox.Triple], labels: Labels, incoming: Sequence[Inbound],
               minter: Minter, root_path: str = "") -> EntityView:
    """The page of ``target`` from its description, the labels of what it shows, and what links to it."""
    graph = triples_to_graph(triples, Graph())
    names = Labeller(labels, minter, root_path)
    entity = URIRef(target.iri)
    fact = build_fact(graph, entity, names) if (entity, EIP.subject, None) in graph else None
    claims = [build_fact(graph, c, names) for c in set(graph.subjects(EIP.subject, entity))
              if isinstance(c, URIRef)]
    linked_from, mentions = _incoming(incoming, names)
    return EntityView(
        iri=target.iri,
        kind=target.kind,
        title=_title(entity, fact, names),
        labels=tuple(_literals(graph, entity, RDFS.label, names)),
        alt_labels=tuple(_literals(graph, entity, SKOS.altLabel, names)),
        types=_refs(graph, entity, RDF.type, names),
        identifiers=tuple(_identifiers(graph, entity, names)),
        same_as=_refs(graph, entity, SKOS.exactMatch, names),
        statements=() if fact else _statements(graph, entity, names),
        sources=() if fact else _refs(graph, entity, PROV.wasDerivedFrom, names),
        fact=fact,
        fact_groups=_groups([c for c in claims if c.cls.iri != str(EIP.Milestone)]),
        timeline=tuple(sorted((c for c in claims if c.cls.iri == str(EIP.Milestone)), key=timeline_order)),
        linked_from=linked_from,
        mentions=mentions,
        inbound_truncated=len(incoming) >= INBOUND_LIMIT,
        alternates=_alternates(target, root_path),
        jsonld=Markup(script_json(jsonld_document(triples))),
        triple_count=len(triples),
    )


def external_link(scheme_code: str, notation: str) -> str | None:
    """The IRI an identifier names in its own registry, when the notation is well formed for the scheme.

    >>> external_link("wikidata", "Q142"), external_link("wikidata", "Q1<script>")
    ('http://www.wikidata.org/entity/Q142', None)
    """
    pattern, make = _EXTERNAL.get(scheme_code, (None, None))
    if pattern is None or make is None or not pattern.fullmatch(notation):
        return None
    return safe_href(make(notation))


def _title(entity: URIRef, fact: FactRow | None, names: Labeller) -> Text:
    text = names.text(str(entity))
    if fact is None or str(entity) in names.labels:
        return text
    about = fact.subject.label if fact.subject else ""
    return Text(f"{fact.property} — {about}" if about else fact.property)


def _literals(graph: Graph, node: URIRef, predicate: URIRef, names: Labeller) -> list[Text]:
    found = [names.literal(o) for o in graph.objects(node, predicate) if isinstance(o, Literal)]
    order = {"en": 0, None: 1, "fr": 2}
    texts = [t for t in found if isinstance(t, Text)]
    return sorted(texts, key=lambda t: (order.get(t.lang, 3), t.lang or "", t.value))


def _refs(graph: Graph, node: URIRef, predicate: URIRef, names: Labeller) -> tuple[Ref, ...]:
    refs = {names.ref(str(o)) for o in graph.objects(node, predicate) if isinstance(o, URIRef)}
    return tuple(sorted(refs, key=lambda r: (r.label.lower(), r.iri)))


def _statements(graph: Graph, entity: URIRef, names: Labeller) -> tuple[Statement, ...]:
    by_predicate: dict[URIRef, list] = defaultdict(list)
    for predicate, obj in graph.predicate_objects(entity):
        if predicate not in _SHOWN_APART:
            by_predicate[predicate].append(names.value(obj))
    statements = [Statement(names.ref(str(p)), tuple(sorted(values, key=_shown_as)))
                  for p, values in by_predicate.items()]
    return tuple(sorted(statements, key=lambda s: s.predicate.label.lower()))


def _identifiers(graph: Graph, entity: URIRef, names: Labeller) -> list[Identifier]:
    found = []
    for node in graph.objects(entity, ADMS.identifier):
        notation = str(graph.value(node, SKOS.notation) or "")
        scheme = graph.value(node, DCTERMS.conformsTo)
        code = str(scheme)[len(_SCHEME_PREFIX):] if str(scheme).startswith(_SCHEME_PREFIX) else ""
        score = graph.value(node, EIP.linkScore)
        confirmed = graph.value(node, EIP.confirmedByPerson)
        found.append(Identifier(
            scheme=names.ref(str(scheme)) if isinstance(scheme, URIRef) else None,
            notation=notation,
            href=external_link(code, notation),
            method=_optional_ref(graph.value(node, EIP.linkMethod), names),
            score=str(score) if score is not None else None,
            confirmed=isinstance(confirmed, Literal) and confirmed.toPython() is True,
            sources=tuple(names.ref(str(s)) for s in graph.objects(node, PROV.wasDerivedFrom)),
        ))
    return sorted(found, key=lambda i: (i.scheme.label if i.scheme else "", i.notation))


def _groups(rows: list[FactRow]) -> tuple[FactGroup, ...]:
    by_class: dict[str, list[FactRow]] = defaultdict(list)
    for row in rows:
        by_class[row.cls.iri].append(row)
    order = {str(cls): index for index, cls in enumerate(CLASS_ORDER)}
    return tuple(
        FactGroup(group[0].cls, tuple(sort_facts(group)))
        for _, group in sorted(by_class.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    )


def _incoming(incoming: Sequence[Inbound],
              names: Labeller) -> tuple[tuple[Statement, ...], tuple[Mention, ...]]:
    linked: dict[str, set[Ref]] = defaultdict(set)
    mentions = []
    for link in incoming:
        if link.claim_subject is None:
            linked[link.predicate].add(names.ref(link.subject))
        else:
            mentions.append(Mention(names.ref(link.subject), names.ref(link.claim_subject),
                                    link.source_property or "", names.ref(link.predicate)))
    statements = tuple(sorted(
        (Statement(names.ref(p), tuple(sorted(refs, key=_shown_as))) for p, refs in linked.items()),
        key=lambda s: s.predicate.label.lower(),
    ))
    mentions.sort(key=lambda m: (m.subject.label.lower(), m.property, m.role.label, m.claim.iri))
    return statements, tuple(mentions)


def _shown_as(value: Text | Ref) -> tuple[str, str]:
    return (value.value.lower(), "") if isinstance(value, Text) else (value.label.lower(), value.iri)


def _optional_ref(node: object, names: Labeller) -> Ref | None:
    return names.ref(str(node)) if isinstance(node, URIRef) else None


def _alternates(target: Target, root_path: str) -> tuple[Alternate, ...]:
    base = root_path.rstrip("/") + target.path
    return tuple(Alternate(FORMAT_NAMES[t], f"{base}.{extension_of(t)}", t) for t in RDF_TYPES)
