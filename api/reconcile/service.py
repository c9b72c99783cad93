"""The reconciliation logic behind /reconcile, free of HTTP: the 1.0-draft routes call it directly, the 0.2
protocol (api/reconcile/v02.py) converts its envelope to and from the 1.0-draft query and result shapes.

Entities, names and places come from the store through ``kg/queries/reconcile/*.rq``; names are matched
with the linker's normalisation and similarity (kg.linking). The query language (``lang`` of a query) chooses
which names
are compared first; the result language (the ``Accept-Language`` of the request) chooses which name is shown.
Scores are 0..100 (``standardizedScore``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kg.linking.normalise import normalise, variants
from kg.linking.records import Candidate, Subject
from kg.linking.scoring import name_similarity
from kg.namespaces import EIP, VOCAB
from kg.terms import python_value

__all__ = ["PROPERTIES", "TYPES", "Entry", "Index", "RowSource", "property_values", "reconcile_query"]

_EIP = str(EIP)
TYPES: dict[str, str] = {
    "eip:Organisation": "Organisation",
    "eip:Company": "Company",
    "eip:PublicBody": "Public body",
    "eip:Consortium": "Consortium",
    "eip:Place": "Place",
    "eip:Country": "Country",
    "eip:Region": "Region",
    "eip:Municipality": "Municipality",
    "eip:Facility": "Facility",
    "eip:Site": "Site",
    "eip:BatteryGigafactory": "Battery gigafactory",
    "eip:AIFactory": "AI factory",
    "eip:AIGigafactory": "AI gigafactory",
    "eip:Supercomputer": "Supercomputer",
    "eip:ResearchFacility": "Research facility",
    "eip:Programme": "Programme",
    "eip:Initiative": "Policy initiative",
    "eip:Fund": "Fund",
    "eip:Call": "Call",
}
# Properties offered for matching and data extension: relations, and external identifiers by scheme.
PROPERTIES: dict[str, str] = {
    "eip:locatedIn": "located in",
    "eip:within": "within (transitively)",
    "eip:headquarteredIn": "headquartered in",
    "eip:partOf": "part of",
    "eip:operatedBy": "operated by",
    "eip:partner": "partner",
    "eip:fundedBy": "funded by",
    "eip:hostsSupercomputer": "hosts supercomputer",
    "eip:status": "status",
    "skos:exactMatch": "exact match (external IRI)",
    "foaf:homepage": "website",
    "legal:legalName": "legal name",
    "id:wikidata": "Wikidata ID",
    "id:lei": "LEI",
    "id:nuts": "NUTS code",
    "id:geonames": "GeoNames ID",
    "id:iso3166-1": "ISO 3166-1 code",
    "id:iso3166-2": "ISO 3166-2 code",
    "id:siren": "SIREN",
}
_EXPAND = {
    "eip:": _EIP,
    "skos:": "http://www.w3.org/2004/02/skos/core#",
    "foaf:": "http://xmlns.com/foaf/0.1/",
    "legal:": "http://www.w3.org/ns/legal#",
}
_SCHEME_PREFIX = VOCAB + "identifier-scheme/"


class RowSource(Protocol):
    """What the service needs from a store: rows of a named query (kg.store.KgStore has it)."""

    def rows(self, name: str, **bindings: Any) -> list[dict[str, Any]]: ...


def expand(property_id: str) -> str:
    """The IRI of a compact property id (``eip:locatedIn`` → full IRI)."""
    for prefix, namespace in _EXPAND.items():
        if property_id.startswith(prefix):
            return namespace + property_id[len(prefix) :]
    return property_id


@dataclass
class Entry:
    """One entity as the service knows it."""

    iri: str
    types: set[str] = field(default_factory=set)
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (text, language, kind)
    places: set[str] = field(default_factory=set)

    def name(self, languages: Iterable[str] = ("en",)) -> str:
        """The label in the first of ``languages`` that has one, else English, else any name."""
        labels = {lang: text for text, lang, kind in self.names if kind == "label"}
        for lang in [*languages, "en"]:
            if lang in labels:
                return labels[lang]
        return self.names[0][0] if self.names else self.iri

    def type_ids(self) -> list[str]:
        """Compact type ids, most specific first (subclasses before Organisation / Place / Facility)."""
        general = {"eip:Organisation", "eip:Place", "eip:Facility", "eip:Site"}
        return sorted(self.types, key=lambda t: (t in general, t))

    def description(self) -> str:
        kind = TYPES.get(self.type_ids()[0], "") if self.types else ""
        where = f" in {', '.join(sorted(self.places))}" if self.places else ""
        return f"{kind}{where}"


class Index:
    """All entities of a store with their names; built once per published store."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.entries: dict[str, Entry] = {}
        for row in rows:
            iri = python_value(row["entity"])
            entry = self.entries.setdefault(iri, Entry(iri))
            entry.types.add("eip:" + python_value(row["type"]).removeprefix(_EIP))
            name = row["name"]
            item = (name.value, name.language or "", python_value(row["nameKind"]))
            if item not in entry.names:
                entry.names.append(item)
            if row.get("placeLabel") is not None:
                entry.places.add(python_value(row["placeLabel"]))
        for entry in self.entries.values():
            entry.names.sort(key=lambda n: ({"label": 0, "legal": 1, "alias": 2}[n[2]], n[1] != "en"))

    @classmethod
    def load(cls, store: RowSource) -> Index:
        return cls(store.rows("reconcile/entities"))

    def of_type(self, type_id: str | list[str] | None) -> list[Entry]:
        """The entries of that type (of any of those types; every entry for None)."""
        wanted = None if type_id is None else {type_id} if isinstance(type_id, str) else set(type_id)
        return [e for e in self.entries.values() if wanted is None or wanted & e.types]


def property_values(store: RowSource, entity: str, property_id: str) -> list[dict[str, str]]:
    """Values of one property of one entity: ``{"id", "name"}`` for resources, ``{"str"}`` for literals."""
    from rdflib import URIRef

    if property_id.startswith("id:"):
        scheme = _SCHEME_PREFIX + property_id[3:]
        return [
            {"str": python_value(r["notation"])}
            for r in store.rows("reconcile/identifiers", entity=URIRef(entity))
            if python_value(r["scheme"]) == scheme
        ]
    values = []
    for row in store.rows(
        "reconcile/property-values", entity=URIRef(entity), property=URIRef(expand(property_id))
    ):
        value = row["value"]
        if hasattr(value, "language") or type(value).__name__ == "Literal":
            values.append({"str": str(python_value(value))})
        else:
            label = python_value(row["label"]) if row.get("label") is not None else python_value(value)
            values.append({"id": python_value(value), "name": label})
    return values


def _subject(query_text: str, lang: str) -> Subject:
    return Subject("query", "query", "any", names=((query_text, lang),))


def _name_score(entry: Entry, text: str, lang: str) -> float:
    """Name similarity 0..1; a match on a name in the query's language counts fully, others lose 0.01."""
    candidate = Candidate("query", entry.iri, tuple((t, lg) for t, lg, _ in entry.names), "any")
    score, _ = name_similarity(_subject(text, lang), candidate)
    if lang and not any(lg == lang and normalise(t) in variants(text) for t, lg, _ in entry.names):
        score -= 0.01 if score < 1.0 else 0.0
    return max(score, 0.0)


def _value_matches(values: list[dict[str, str]], wanted: Any) -> bool:
    wanted_list = wanted if isinstance(wanted, list) else [wanted]
    for item in wanted_list:
        if isinstance(item, dict):
            if any(v.get("id") == item.get("id") for v in values):
                return True
            continue
        key = normalise(str(item))
        for value in values:
            text = value.get("name") or value.get("str") or ""
            if normalise(text) == key or value.get("id") == str(item) or text == str(item):
                return True
    return False


def reconcile_query(
    index: Index, store: RowSource, query: dict[str, Any], languages: list[str], default_limit: int = 5
) -> dict[str, Any]:
    """Candidates for one reconciliation query (1.0 draft: ``conditions`` of matchType name or property)."""
    lang = query.get("lang", "")
    names = [c for c in query["conditions"] if c["matchType"] == "name"]
    properties = [c for c in query["conditions"] if c["matchType"] == "property"]
    limit = int(query.get("limit") or default_limit)
    scored = []
    for entry in index.of_type(query.get("type")):
        name_value = 0.0
        for condition in names:
            texts = condition["v"] if isinstance(condition["v"], list) else [condition["v"]]
            name_value = max([name_value] + [_name_score(entry, str(t), lang) for t in texts])
        if names and name_value < 0.5:
            continue
        features = [{"id": "name", "name": "name similarity", "value": round(name_value, 4)}] if names else []
        matched = required_failed = 0
        for condition in properties:
            ok = _value_matches(property_values(store, entry.iri, condition["pid"]), condition["v"])
            if condition.get("matchQuantifier") == "none":
                ok = not ok
            features.append(
                {
                    "id": f"property:{condition['pid']}",
                    "name": PROPERTIES.get(condition["pid"], condition["pid"]),
                    "value": ok,
                }
            )
            matched += ok
            required_failed += condition.get("required", False) and not ok
        if required_failed:
            continue
        base = name_value if names else (1.0 if matched else 0.0)
        bonus = 0.05 * matched / len(properties) if properties else 0.0
        penalty = 0.15 * (len(properties) - matched) / len(properties) if properties else 0.0
        score = round(100 * max(0.0, min(1.0, base + bonus - penalty)), 2)
        scored.append((score, entry, features))
    scored.sort(key=lambda s: (-s[0], s[1].iri))
    candidates = []
    for rank, (score, entry, features) in enumerate(scored[:limit]):
        runner_up = scored[rank + 1][0] if rank + 1 < len(scored) else 0.0
        candidates.append(
            {
                "id": entry.iri,
                "name": entry.name(languages),
                "description": entry.description(),
                "score": score,
                "features": features,
                "match": rank == 0 and score >= 95 and score - runner_up >= 5,
                "type": [{"id": t, "name": TYPES.get(t, t)} for t in entry.type_ids()],
            }
        )
    return {"candidates": candidates}


def suggest(
    entries: Iterable[Entry], prefix: str, languages: list[str], limit: int, cursor: int
) -> list[Entry]:
    """Entries with a name word (or the whole name) starting with ``prefix``, best first."""
    key = normalise(prefix) if prefix.strip() else ""
    hits = []
    for entry in entries:
        keys = [k for text, _, _ in entry.names for k in variants(text)]
        if not key or any(k.startswith(key) or f" {key}" in f" {k}" for k in keys):
            exact = any(k == key for k in keys)
            hits.append((not exact, entry.name(languages).casefold(), entry))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h[2] for h in hits[cursor : cursor + limit]]


def group_by_prefix(items: dict[str, str], prefix: str) -> list[tuple[str, str]]:
    """(id, name) of items whose id or name starts with (or has a word starting with) ``prefix``."""
    needle = prefix.casefold().strip()
    found = defaultdict(list)
    for item_id, name in items.items():
        words = [name.casefold(), item_id.casefold().split(":", 1)[-1], *name.casefold().split()]
        if not needle or any(w.startswith(needle) for w in words):
            found[0 if name.casefold().startswith(needle) else 1].append((item_id, name))
    return found[0] + found[1]
