"""One linking run end to end: subjects from the curated graph, candidate sources (offline tables, recorded or
live clients), decisions, link files, review CSV; and applying a filled-in review file.

The CLI (`kg link`) only parses options and calls `link_graph` / `apply_review` / `coverage`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import Graph

from kg.config import Settings
from kg.errors import LinkError
from kg.linking import gleif, wikidata
from kg.linking.datasets import ReferenceDataset, load_datasets
from kg.linking.http import CachedClient
from kg.linking.linker import CandidateSource, LinkRun, link_subjects
from kg.linking.records import Candidate, Link, Subject, Verdict
from kg.linking.reference import (
    GeoNamesCities,
    GeoNamesCountries,
    Iso3166Countries,
    Iso3166Subdivisions,
    NutsTable,
    recorded_providers,
)
from kg.linking.review import append_rejections, read_rejections, read_review, review_rows, write_review
from kg.linking.scoring import Thresholds
from kg.linking.subjects import subjects_from_graph
from kg.linking.writer import merge_links, read_links, write_links
from kg.namespaces import Minter

__all__ = [
    "Coverage",
    "LinkReport",
    "apply_review",
    "coverage",
    "decisions_to_links",
    "link_graph",
    "live_sources",
    "offline_sources",
]


class _WithoutRejected:
    """Wraps a source so candidates a person rejected are never proposed again."""

    def __init__(self, source: CandidateSource, rejected: set[tuple[str, str, str]]) -> None:
        self.source, self.rejected = source, rejected
        self.scheme, self.dataset = source.scheme, source.dataset

    def candidates(self, subject: Subject) -> list[Candidate]:
        return [
            c
            for c in self.source.candidates(subject)
            if (subject.iri, c.scheme, c.notation) not in self.rejected
        ]


class _CacheOnly:
    """Wraps a live source in offline mode: a request missing from the cache gives no candidates (counted)."""

    def __init__(self, source: CandidateSource) -> None:
        self.source, self.misses = source, 0
        self.scheme, self.dataset = source.scheme, source.dataset

    def candidates(self, subject: Subject) -> list[Candidate]:
        try:
            return self.source.candidates(subject)
        except LinkError as error:
            if "offline and not cached" not in error.message:
                raise
            self.misses += 1
            return []


def offline_sources(
    nuts: NutsTable | None = None, golden_copy: Path | None = None, recorded: Path | None = None
) -> dict[str, list[CandidateSource]]:
    """The reference tables shipped with kg, the identifiers recorded from cited pages, and a GLEIF
    golden-copy file when given."""
    sources: dict[str, list[CandidateSource]] = {
        "nuts": [nuts or NutsTable()],
        "iso3166-1": [Iso3166Countries()],
        "iso3166-2": [Iso3166Subdivisions()],
        "geonames": [GeoNamesCountries(), GeoNamesCities()],
    }
    for code, providers in recorded_providers(recorded).items():
        sources.setdefault(code, []).extend(providers)
    if golden_copy:
        sources.setdefault("lei", []).append(gleif.GoldenCopyProvider(golden_copy))
    return sources


def live_sources(
    settings: Settings,
    *,
    offline: bool,
    transport: httpx.BaseTransport | None = None,
    min_interval_s: float = 1.0,
) -> tuple[dict[str, list[CandidateSource]], list[CachedClient]]:
    """Wikidata and GLEIF API sources through the on-disk cache; with ``offline`` only the cache answers, and
    a
    subject whose requests were never cached simply gets no candidates from them."""
    clients = [
        CachedClient(
            Path(settings.cache_dir),
            settings.user_agent,
            hosts,
            offline=offline,
            transport=transport,
            min_interval_s=min_interval_s,
        )
        for hosts in (wikidata.HOSTS, gleif.HOSTS)
    ]
    sources: dict[str, list[CandidateSource]] = {
        "wikidata": [wikidata.WikidataProvider(clients[0])],
        "lei": [gleif.GleifApiProvider(clients[1])],
    }
    if offline:
        sources = {scheme: [_CacheOnly(s) for s in group] for scheme, group in sources.items()}
    return sources, clients


def decisions_to_links(run: LinkRun, today: dt.date, nuts: NutsTable | None = None) -> list[Link]:
    """The sure decisions of a run as links (machine-made: not confirmed by a person)."""
    links = []
    for decision in run.by_verdict(Verdict.SURE):
        best = decision.best
        assert best is not None
        level = nuts.level(best.candidate.notation) if nuts and decision.scheme == "nuts" else None
        links.append(
            Link(
                decision.subject.iri,
                decision.scheme,
                best.candidate.notation,
                best.method,
                best.score,
                today,
                False,
                best.candidate.dataset,
                nuts_level=level,
            )
        )
    return links


@dataclass(frozen=True)
class LinkReport:
    """What one `link_graph` run did."""

    subjects: int
    sure: int
    review: int
    files: dict[str, Path] = field(default_factory=dict)
    review_file: Path | None = None
    review_rows: int = 0


def _existing(links_dir: Path, datasets: Mapping[str, ReferenceDataset]) -> list[Link]:
    links: list[Link] = []
    for key in datasets:
        path = links_dir / f"{key}.ttl"
        if path.exists():
            links += read_links(path, datasets)
    return links


def link_graph(
    graph: Graph,
    sources: Mapping[str, Sequence[CandidateSource]],
    links_dir: Path,
    minter: Minter,
    *,
    review_path: Path | None = None,
    today: dt.date | None = None,
    limits: Thresholds | None = None,
    datasets: Mapping[str, ReferenceDataset] | None = None,
) -> LinkReport:
    """Link every organisation and place of ``graph``; write sure links to ``links_dir`` and the rest to
    ``review_path``. Links a person confirmed earlier are kept; rejected candidates are not proposed again."""
    today = today or dt.date.today()
    datasets = datasets or load_datasets(today=today)
    rejected = read_rejections(links_dir)
    wrapped = {scheme: [_WithoutRejected(s, rejected) for s in group] for scheme, group in sources.items()}
    subjects = subjects_from_graph(graph)
    run = link_subjects(subjects, wrapped, limits)
    nuts = next((s for s in sources.get("nuts", []) if isinstance(s, NutsTable)), None)
    new = decisions_to_links(run, today, nuts)
    files = (
        write_links(links_dir, merge_links(_existing(links_dir, datasets), new), minter, datasets)
        if new
        else {}
    )
    rows = review_rows(run.by_verdict(Verdict.REVIEW))
    if review_path is not None:
        write_review(review_path, rows)
    return LinkReport(
        len(subjects), len(new), len(run.by_verdict(Verdict.REVIEW)), files, review_path, len(rows)
    )


def apply_review(
    review_path: Path,
    links_dir: Path,
    minter: Minter,
    *,
    today: dt.date | None = None,
    datasets: Mapping[str, ReferenceDataset] | None = None,
) -> tuple[int, int, int]:
    """Write the accepted rows of a review file as confirmed links and remember the rejected ones.

    Returns:
        (accepted, rejected, undecided) row counts.
    """
    today = today or dt.date.today()
    datasets = datasets or load_datasets(today=today)
    outcome = read_review(review_path, today)
    if outcome.accepted:
        write_links(
            links_dir, merge_links(_existing(links_dir, datasets), outcome.accepted), minter, datasets
        )
    append_rejections(links_dir, outcome.rejected, today)
    return len(outcome.accepted), len(outcome.rejected), outcome.undecided


@dataclass(frozen=True)
class Coverage:
    """How many organisations and places have at least one external identifier, and which schemes."""

    organisations: int
    organisations_linked: int
    places: int
    places_linked: int
    per_subject: dict[str, dict[str, str]]

    @property
    def share_organisations(self) -> float:
        return self.organisations_linked / self.organisations if self.organisations else 0.0

    @property
    def share_places(self) -> float:
        return self.places_linked / self.places if self.places else 0.0


def coverage(graph: Graph) -> Coverage:
    """Coverage of external identifiers over the organisations and places of ``graph`` (curated + links)."""
    subjects = subjects_from_graph(graph)
    orgs = [s for s in subjects if s.kind == "organisation"]
    places = [s for s in subjects if s.kind == "place"]
    external = lambda s: {k: v for k, v in s.known.items() if k != "website"}  # noqa: E731
    return Coverage(
        len(orgs),
        sum(bool(external(s)) for s in orgs),
        len(places),
        sum(bool(external(s)) for s in places),
        {s.slug: dict(s.known) for s in subjects},
    )
