"""GLEIF as a candidate provider: the golden-copy CSV (offline) or the LEI-records API (live).

The golden-copy reader is name-based (``LEI``, ``Entity.LegalName``,
``Entity.OtherEntityNames.OtherEntityName.N``,
``Entity.LegalAddress.City``/``.Country``, ``Entity.EntityCategory``, ``Entity.EntityStatus``,
``Registration.RegistrationStatus``…), so a reordered or wider file still reads; a missing required column is
a
LinkError. Only ``api.gleif.org`` is reached live.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import LinkError
from kg.linking.http import CachedClient
from kg.linking.records import Candidate, Subject
from kg.linking.reference import Provider
from kg.linking.schemes import lei_is_valid

__all__ = [
    "API_URL",
    "GleifApiProvider",
    "GoldenCopyProvider",
    "HOSTS",
    "REQUIRED_COLUMNS",
    "read_golden_copy",
]

API_URL = "https://api.gleif.org/api/v1/lei-records"
HOSTS = frozenset({"api.gleif.org"})
REQUIRED_COLUMNS = ("LEI", "Entity.LegalName", "Entity.LegalAddress.Country", "Entity.EntityStatus")
_OTHER_NAME = re.compile(
    r"Entity\.(?:Transliterated)?OtherEntityNames\.(?:Transliterated)?OtherEntityName\.\d+"
)


def _feature(category: str) -> str:
    return "company" if category in ("GENERAL", "BRANCH", "") else "organisation"


def _candidate(
    lei: str,
    names: list[tuple[str, str]],
    city: str,
    country: str,
    category: str,
    legal_form: str,
    dataset: str,
) -> Candidate:
    where = ", ".join(part for part in (city, country) if part)
    form = f", legal form {legal_form}" if legal_form else ""
    return Candidate(
        "lei",
        lei,
        tuple(names),
        _feature(category),
        country or None,
        f"LEI record ({category or 'category not stated'}{form}), {where}",
        dataset,
    )


def read_golden_copy(path: Path, dataset: str = "gleif") -> Iterator[Candidate]:
    """Active, issued LEI records of a golden-copy CSV file as candidates; invalid LEIs are skipped."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise LinkError(f"{path}: not a GLEIF golden-copy CSV, columns missing: {missing}")
        other_columns = [c for c in reader.fieldnames or [] if _OTHER_NAME.fullmatch(c)]
        for row in reader:
            lei = row["LEI"].strip()
            if not lei_is_valid(lei) or row["Entity.EntityStatus"] != "ACTIVE":
                continue
            if row.get("Registration.RegistrationStatus", "ISSUED") not in (
                "ISSUED",
                "PENDING_TRANSFER",
                "PENDING_ARCHIVAL",
            ):
                continue
            names = [(row["Entity.LegalName"], row.get("Entity.LegalName.xmllang", ""))]
            names += [(row[c], row.get(f"{c}.xmllang", "")) for c in other_columns if row.get(c)]
            yield _candidate(
                lei,
                names,
                row.get("Entity.LegalAddress.City", ""),
                row["Entity.LegalAddress.Country"],
                row.get("Entity.EntityCategory", ""),
                row.get("Entity.LegalForm.EntityLegalFormCode", ""),
                dataset,
            )


class GoldenCopyProvider(Provider):
    """LEI candidates from a golden-copy CSV file (the whole file is indexed by name words)."""

    scheme, dataset = "lei", "gleif"

    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self) -> Iterable[Candidate]:
        return read_golden_copy(self.path, self.dataset)


def candidates_from_api(answer: dict[str, Any], dataset: str = "gleif") -> list[Candidate]:
    """Candidates from a JSON:API answer of ``/api/v1/lei-records``."""
    found = []
    for record in answer.get("data", []):
        attributes = record.get("attributes", {})
        entity = attributes.get("entity", {})
        lei = attributes.get("lei", record.get("id", ""))
        if not lei_is_valid(lei) or entity.get("status") != "ACTIVE":
            continue
        legal = entity.get("legalName") or {}
        names = [(legal.get("name", ""), legal.get("language") or "")]
        names += [(n.get("name", ""), n.get("language") or "") for n in entity.get("otherNames") or []]
        address = entity.get("legalAddress") or {}
        found.append(
            _candidate(
                lei,
                names,
                address.get("city", ""),
                address.get("country", ""),
                entity.get("category") or "",
                (entity.get("legalForm") or {}).get("id") or "",
                dataset,
            )
        )
    return found


class GleifApiProvider:
    """LEI candidates from the GLEIF API, searching each of the subject's first names."""

    scheme, dataset = "lei", "gleif"

    def __init__(self, client: CachedClient, *, page_size: int = 10, max_names: int = 2) -> None:
        self.client = client
        self.page_size = page_size
        self.max_names = max_names

    def candidates(self, subject: Subject) -> list[Candidate]:
        found: dict[str, Candidate] = {}
        for text, _ in subject.names[: self.max_names]:
            answer = self.client.get_json(
                API_URL, {"filter[entity.names]": text, "page[size]": str(self.page_size)}
            )
            for candidate in candidates_from_api(answer, self.dataset):
                found.setdefault(candidate.notation, candidate)
        return list(found.values())
