"""One linking run end to end: subjects from the curated graph, candidate sources (offline tables, recorded or
live clients), decisions, link files, review CSV; and applying a filled-in review file.

The CLI (`kg link`) only parses options and calls `link_graph` / `apply_review` / `coverage`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    RecordedIdentifiers,
    recorded_providers,
)
from kg.linking.review import append_rejections, read_rejections, read_review, review_rows, write_review
from kg.linking.scoring import Thresholds
from kg.linking.subjects import identifier_holders, subjects_from_graph
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


class _Unwanted:
    """Wraps a source so it never proposes a candidate a person rejected, nor an identifier that another
    entity already holds (an identifier names one entity)."""

    def __init__(self, source: CandidateSource, rejected: set[tuple[str, str, str]],
                 holders: Mapping[tuple[str, str], set[str]]) -> None:
        self.source, self.rejected, self.holders = source, rejected, holders
        self.scheme, self.dataset = source.scheme, source.dataset

    def candidates(self, subject: Subject) -> list[Candidate]:
        return [c for c in self.source.candidates(subject) if not self._unwanted(subject.iri, c)]

    def _unwanted(self, subject: str, candidate: Candidate) -> bool:
        key = (candidate.scheme, candidate.notation)
        return (subject, *key) in self.rejected or bool(self.holders.get(key, set()) - {subject})


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
                source=best.candidate.source or None,
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


def _with_pages(links: list[Link], sources: Mapping[str, Sequence[CandidateSource]]) -> list[Link]:
    """Links of recorded identifiers (made now or before) carry the page that states them (``dct:source``)."""
    pages = {(c.scheme, c.notation): c.source for group in sources.values() for source in group
             if isinstance(source, RecordedIdentifiers) for c in source.records() if c.source}
    return [replace(k, source=k.source or pages.get((k.scheme, k.notation))) if k.dataset == "recorded" else k
            for k in links]


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
    ``review_path``. Links a person confirmed earlier are kept; rejected candidates, and identifiers another
    entity of ``graph`` holds, are not proposed."""
    today = today or dt.date.today()
    datasets = datasets or load_datasets(today=today)
    rejected, holders = read_rejections(links_dir), identifier_holders(graph)
    wrapped = {scheme: [_Unwanted(s, rejected, holders) for s in group] for scheme, group in sources.items()}
    subjects = subjects_from_graph(graph)
    run = link_subjects(subjects, wrapped, limits)
    nuts = next((s for s in sources.get("nuts", []) if isinstance(s, NutsTable)), None)
    new, existing = decisions_to_links(run, today, nuts), _with_pages(_existing(links_dir, datasets), sources)
    # the link files are rewritten even without new links, so they always follow the current writer
    files = write_links(links_dir, merge_links(existing, new), minter, datasets) if new or existing else {}
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
    graph: Graph | None = None,
    today: dt.date | None = None,
    datasets: Mapping[str, ReferenceDataset] | None = None,
) -> tuple[int, int, int]:
    """Write the accepted rows of a review file as confirmed links and remember the rejected ones.

    ``graph`` (the curated graph) and the existing link files say which entity holds which identifier: a row
    accepting an identifier another entity holds is refused, and nothing is written.

    Returns:
        (accepted, rejected, undecided) row counts.

    Raises:
        LinkError: the review file is malformed or accepts an identifier another entity holds (file:line).
    """
    today = today or dt.date.today()
    datasets = datasets or load_datasets(today=today)
    existing = _existing(links_dir, datasets)
    holders = identifier_holders(graph) if graph is not None else {}
    for link in existing:
        holders.setdefault((link.scheme, link.notation), set()).add(link.subject_iri)
    outcome = read_review(review_path, today, holders)
    if outcome.accepted:
        write_links(links_dir, merge_links(existing, outcome.accepted), minter, datasets)
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
