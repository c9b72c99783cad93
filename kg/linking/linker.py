"""The linker: subjects × providers → decisions, scheme by scheme, with a check that the datasets agree on
what a place is (a town, a region or a country) before anything is written as sure.

Schemes run in a fixed order so that a sure link found early (an ISO code) can confirm a later one by a shared
code (a GeoNames country carrying the same ISO code): ``reference-code`` matches.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from kg.linking.records import Candidate, Decision, Scored, Subject, Verdict
from kg.linking.scoring import Thresholds, decide, score

__all__ = ["SCHEME_ORDER", "CandidateSource", "LinkRun", "link_subjects"]

log = logging.getLogger(__name__)

SCHEME_ORDER = ("nuts", "iso3166-1", "iso3166-2", "geonames", "wikidata", "lei", "siren")


class CandidateSource(Protocol):
    """Anything that proposes candidates of one scheme for a subject (offline table or live client)."""

    scheme: str
    dataset: str

    def candidates(self, subject: Subject) -> list[Candidate]: ...


@dataclass(frozen=True)
class LinkRun:
    """All decisions of one run, with helpers to split them by verdict."""

    decisions: tuple[Decision, ...]

    def by_verdict(self, verdict: Verdict) -> list[Decision]:
        return [d for d in self.decisions if d.verdict is verdict]


def _coherent(decisions: list[Decision], limits: Thresholds) -> list[Decision]:
    """For a place, demote sure links when strong candidates disagree on its feature (Luxembourg: city or
    country?), and drop weaker candidates of another feature once the feature is settled."""
    strong = {s.candidate.feature for d in decisions for s in d.ranked if s.score >= limits.sure}
    if len(strong) > 1:
        note = f"datasets disagree on what it is ({', '.join(sorted(strong))})"
        return [
            replace(d, verdict=Verdict.REVIEW, reason=note) if d.verdict is Verdict.SURE else d
            for d in decisions
        ]
    if len(strong) == 1:
        (feature,) = strong
        kept = []
        for d in decisions:
            if d.verdict is Verdict.REVIEW:
                ranked = tuple(s for s in d.ranked if s.candidate.feature == feature)
                d = (
                    replace(d, ranked=ranked)
                    if ranked
                    else replace(d, verdict=Verdict.NONE, ranked=(), reason=f"settled as {feature}")
                )
            kept.append(d)
        return kept
    return decisions


def _link_one(
    subject: Subject, sources: Mapping[str, Sequence[CandidateSource]], limits: Thresholds
) -> list[Decision]:
    known = dict(subject.known)
    decisions = []
    for scheme in SCHEME_ORDER:
        if scheme in known or scheme not in sources:
            continue
        current = replace(subject, known=dict(known))
        scored: list[Scored] = []
        for source in sources[scheme]:
            for candidate in source.candidates(current):
                result = score(current, candidate)
                if result is not None:
                    scored.append(result)
        decision = decide(current, scheme, scored, limits)
        decisions.append(decision)
        if decision.verdict is Verdict.SURE and decision.best:
            known[scheme] = decision.best.candidate.notation
    return _coherent(decisions, limits) if subject.kind == "place" else decisions


def link_subjects(
    subjects: Iterable[Subject],
    sources: Mapping[str, Sequence[CandidateSource]],
    limits: Thresholds | None = None,
) -> LinkRun:
    """Decide for each subject and each scheme it lacks whether a candidate is sure, to review or absent."""
    limits = limits or Thresholds()
    decisions: list[Decision] = []
    for subject in subjects:
        decisions.extend(_link_one(subject, sources, limits))
    log.info(
        "linked %d decisions: %d sure, %d to review",
        len(decisions),
        sum(d.verdict is Verdict.SURE for d in decisions),
        sum(d.verdict is Verdict.REVIEW for d in decisions),
    )
    return LinkRun(tuple(decisions))
