"""Scores a candidate against a subject (names, kind, country, shared codes) and decides sure / review / none.

Scores are in 0..1. The evidence string says why, for the review CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from kg.linking.normalise import variants
from kg.linking.records import Candidate, Decision, Scored, Subject, Verdict

__all__ = ["Thresholds", "compatible", "decide", "name_similarity", "score"]

# Which candidate features fit which subject, by the subject's most specific class.
_FEATURES_BY_CLASS: dict[str, frozenset[str]] = {
    "Country": frozenset({"country"}),
    "Region": frozenset({"region"}),
    "Municipality": frozenset({"municipality"}),
    "Company": frozenset({"company", "organisation"}),
    "PublicBody": frozenset({"organisation"}),
    "Consortium": frozenset({"organisation"}),
}
_FEATURES_BY_KIND: dict[str, frozenset[str]] = {
    "place": frozenset({"country", "region", "municipality"}),
    "organisation": frozenset({"company", "organisation"}),
}


@dataclass(frozen=True)
class Thresholds:
    """Where a score becomes a sure link or a review row.

    Attributes:
        sure: lowest score written as a link without review.
        review: lowest score sent to review; below it a candidate is dropped.
        margin: how far the best candidate must lead the second for a sure link.
    """

    sure: float = 0.9
    review: float = 0.6
    margin: float = 0.05


def compatible(subject: Subject, candidate: Candidate) -> bool:
    """True when the candidate's feature fits what the subject is (a town is never a company)."""
    allowed = _FEATURES_BY_KIND.get(subject.kind, frozenset())
    for cls, features in _FEATURES_BY_CLASS.items():
        if cls in subject.classes:
            allowed = allowed & features
    return candidate.feature in allowed


def _ratio(a: str, b: str) -> float:
    seq = SequenceMatcher(None, a, b).ratio()
    ta, tb = set(a.split()), set(b.split())
    dice = 2 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0
    return max(seq, dice)


def name_similarity(subject: Subject, candidate: Candidate) -> tuple[float, str]:
    """Best similarity between any subject name and any candidate name, with a note of which matched.

    Exact agreement of the main names is 1.0; of an alias or alternate name 0.97; otherwise the best
    fuzzy ratio (character sequence or shared words), capped at 0.95 so that it never looks exact.
    """
    subject_keys = [k for text, _ in subject.names for k in variants(text)]
    best, note = 0.0, ""
    for index, (text, _) in enumerate(candidate.names):
        for key in variants(text):
            for s_index, s_key in enumerate(subject_keys):
                if key == s_key:
                    value = 1.0 if index == 0 and s_index == 0 else 0.97
                    kind = "exact name" if value == 1.0 else "exact alias"
                else:
                    value, kind = min(_ratio(key, s_key), 0.95), "similar name"
                if value > best:
                    best, note = value, f"{kind}: {s_key!r} ~ {key!r}"
    return best, note


def _shared_codes(subject: Subject, candidate: Candidate) -> tuple[int, int]:
    """How many identifiers the subject and the candidate share, and how many conflict."""
    same = conflict = 0
    for code, notation in candidate.extra.items():
        if code in subject.known:
            if subject.known[code] == notation:
                same += 1
            else:
                conflict += 1
    if candidate.scheme in subject.known and subject.known[candidate.scheme] != candidate.notation:
        conflict += 1
    return same, conflict


def score(subject: Subject, candidate: Candidate) -> Scored | None:
    """The candidate's score for the subject, or None when it cannot be the same kind of thing."""
    if not compatible(subject, candidate):
        return None
    same, conflict = _shared_codes(subject, candidate)
    if same and not conflict:
        return Scored(candidate, 1.0, "reference-code", f"shares {same} identifier(s) with the subject")
    value, evidence = name_similarity(subject, candidate)
    method = "exact-name" if value >= 0.97 else "fuzzy-name"
    if subject.country and candidate.country:
        if subject.country == candidate.country:
            value, evidence = min(1.0, value + 0.03), evidence + f"; same country {candidate.country}"
        else:
            value, evidence = value * 0.6, evidence + f"; other country {candidate.country}"
    else:
        value, evidence = value - 0.02, evidence + "; country not compared"
    if conflict:
        value, evidence = value * 0.3, evidence + "; conflicting identifier"
    return Scored(candidate, round(max(0.0, value), 4), method, evidence)


def decide(subject: Subject, scheme: str, scored: list[Scored], limits: Thresholds) -> Decision:
    """Sure when the best reaches ``limits.sure`` and leads the next by ``limits.margin``; review when it
    reaches ``limits.review``; none otherwise."""
    ranked = tuple(sorted(scored, key=lambda s: (-s.score, s.candidate.notation)))
    kept = tuple(s for s in ranked if s.score >= limits.review)
    if not kept:
        return Decision(subject, scheme, Verdict.NONE, ranked[:3], "no candidate above the review threshold")
    best = kept[0]
    runner_up = kept[1].score if len(kept) > 1 else 0.0
    if best.score >= limits.sure and best.score - runner_up >= limits.margin:
        return Decision(subject, scheme, Verdict.SURE, kept)
    reason = (
        "ambiguous: several candidates score alike"
        if best.score >= limits.sure
        else "below the sure threshold"
    )
    return Decision(subject, scheme, Verdict.REVIEW, kept, reason)
