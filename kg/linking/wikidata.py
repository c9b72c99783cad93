"""Wikidata as a candidate provider: ``wbsearchentities`` finds items by name, a SPARQL query describes them.

Only ``www.wikidata.org`` and ``query.wikidata.org`` are reached, through kg.linking.http.CachedClient.
"""

from __future__ import annotations

import re
from typing import Any

from kg.errors import LinkError
from kg.linking.http import CachedClient
from kg.linking.records import Candidate, Subject
from kg.store import load_query as load

__all__ = ["API_URL", "HOSTS", "SPARQL_URL", "WikidataProvider", "candidates_from_sparql"]

API_URL = "https://www.wikidata.org/w/api.php"
SPARQL_URL = "https://query.wikidata.org/sparql"
HOSTS = frozenset({"www.wikidata.org", "query.wikidata.org"})
_QID = re.compile(r"Q[1-9][0-9]*")


def _value(binding: dict[str, Any], name: str) -> str | None:
    cell = binding.get(name)
    return cell["value"] if cell else None


def _feature(binding: dict[str, Any]) -> str:
    if _value(binding, "isCountry") == "true":
        return "country"
    if _value(binding, "isBusiness") == "true":
        return "company"
    if _value(binding, "isOrg") == "true":
        return "organisation"
    if _value(binding, "iso31662") or len(_value(binding, "nuts") or "") > 2:
        return "region"
    return "municipality" if _value(binding, "hasCoordinates") == "true" else "other"


def candidates_from_sparql(results: dict[str, Any], dataset: str = "wikidata") -> list[Candidate]:
    """Candidates from the SPARQL JSON results of ``linking/wikidata-details.rq`` (one item may span rows)."""
    items: dict[str, dict[str, Any]] = {}
    for binding in results.get("results", {}).get("bindings", []):
        qid = _value(binding, "item").rsplit("/", 1)[-1]
        item = items.setdefault(qid, {"names": [], "extra": {}, "binding": binding})
        label = binding.get("label")
        if label and (label["value"], label.get("xml:lang", "")) not in item["names"]:
            item["names"].append((label["value"], label.get("xml:lang", "")))
        for var, scheme in (
            ("nuts", "nuts"),
            ("geonames", "geonames"),
            ("lei", "lei"),
            ("iso31662", "iso3166-2"),
        ):
            if _value(binding, var):
                item["extra"].setdefault(scheme, _value(binding, var))
    found = []
    for qid, item in items.items():
        binding = item["binding"]
        names = sorted(item["names"], key=lambda n: n[1] != "en")
        found.append(
            Candidate(
                "wikidata",
                qid,
                tuple(names) or ((qid, ""),),
                _feature(binding),
                _value(binding, "countryCode"),
                _value(binding, "description") or "",
                dataset,
                item["extra"],
            )
        )
    return found


class WikidataProvider:
    """Finds Wikidata items for a subject: search each of its first names, then describe the hits at once."""

    scheme, dataset = "wikidata", "wikidata"

    def __init__(self, client: CachedClient, *, per_name: int = 7, max_names: int = 3) -> None:
        self.client = client
        self.per_name = per_name
        self.max_names = max_names

    def search(self, text: str, language: str) -> list[str]:
        """Q-ids that ``wbsearchentities`` returns for a name."""
        answer = self.client.get_json(
            API_URL,
            {
                "action": "wbsearchentities",
                "search": text,
                "language": language or "en",
                "uselang": "en",
                "type": "item",
                "limit": str(self.per_name),
                "format": "json",
            },
        )
        if "error" in answer:
            raise LinkError(
                f"Wikidata search for {text!r} failed: {answer['error'].get('info', answer['error'])}"
            )
        return [hit["id"] for hit in answer.get("search", []) if _QID.fullmatch(hit.get("id", ""))]

    def describe(self, qids: list[str]) -> list[Candidate]:
        """Candidates for the given items, from one SPARQL query."""
        if not qids:
            return []
        if not all(_QID.fullmatch(q) for q in qids):
            raise LinkError(f"not Wikidata item ids: {qids}")
        query = load("linking/wikidata-details").replace("{{items}}", " ".join(f"wd:{q}" for q in qids))
        results = self.client.post_json(
            SPARQL_URL, {"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        return candidates_from_sparql(results, self.dataset)

    def candidates(self, subject: Subject) -> list[Candidate]:
        qids: list[str] = []
        for text, language in subject.names[: self.max_names]:
            for qid in self.search(text, language):
                if qid not in qids:
                    qids.append(qid)
        return self.describe(qids)
