"""The review loop: ambiguous candidates go to a CSV a person fills in (``decision`` = accept, reject, blank);
`read_review` turns the filled rows back into links (method ``review``, confirmed by a person) and rejections.

Rejections are remembered in ``<links_dir>/rejected.csv`` so the linker does not propose them again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.errors import LinkError
from kg.linking.records import Decision, Link, Verdict
from kg.linking.schemes import scheme as get_scheme

__all__ = [
    "REJECTED_FILE",
    "REVIEW_COLUMNS",
    "ReviewOutcome",
    "append_rejections",
    "read_rejections",
    "read_review",
    "review_rows",
    "write_review",
]

REVIEW_COLUMNS = (
    "decision",
    "subject",
    "subject_label",
    "scheme",
    "notation",
    "candidate_label",
    "candidate_description",
    "external_iri",
    "score",
    "method",
    "evidence",
    "reason",
    "dataset",
    "rank",
    "source",
)
REJECTED_FILE = "rejected.csv"
_REJECTED_COLUMNS = ("subject", "scheme", "notation", "date")


@dataclass(frozen=True)
class ReviewOutcome:
    """What a filled-in review file says: links to write, candidates to forget, rows left undecided."""

    accepted: tuple[Link, ...]
    rejected: tuple[tuple[str, str, str], ...]
    undecided: int


def review_rows(decisions: Iterable[Decision], per_subject: int = 3) -> list[dict[str, str]]:
    """Rows for the review CSV: the best ``per_subject`` candidates of each decision to review."""
    rows = []
    for decision in decisions:
        if decision.verdict is not Verdict.REVIEW:
            continue
        for rank, scored in enumerate(decision.ranked[:per_subject], start=1):
            candidate = scored.candidate
            rows.append(
                {
                    "decision": "",
                    "subject": decision.subject.iri,
                    "subject_label": decision.subject.label,
                    "scheme": decision.scheme,
                    "notation": candidate.notation,
                    "candidate_label": candidate.label,
                    "candidate_description": candidate.description,
                    "external_iri": get_scheme(decision.scheme).external_iri(candidate.notation) or "",
                    "score": f"{scored.score:.4f}",
                    "method": scored.method,
                    "evidence": scored.evidence,
                    "reason": decision.reason,
                    "dataset": candidate.dataset,
                    "rank": str(rank),
                    "source": candidate.source,
                }
            )
    return rows


def write_review(path: Path, rows: list[dict[str, str]]) -> None:
    """Write the review CSV (UTF-8, header row, one candidate per row)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _row_link(row: dict[str, str], where: str, today: dt.date) -> Link:
    code = get_scheme(row["scheme"])
    if not code.is_valid(row["notation"]):
        raise LinkError(f"{where}: {row['notation']!r} is not a valid {code.label}")
    try:
        score = float(row["score"])
    except ValueError:
        raise LinkError(f"{where}: score {row['score']!r} is not a number") from None
    return Link(
        row["subject"],
        row["scheme"],
        row["notation"],
        "review",
        min(max(score, 0.0), 1.0),
        today,
        True,
        row["dataset"],
        source=(row.get("source") or "").strip() or None,
    )


def read_review(path: Path, today: dt.date | None = None,
                holders: Mapping[tuple[str, str], set[str]] | None = None) -> ReviewOutcome:
    """Accepted links and rejections of a filled-in review CSV.

    ``holders`` maps an identifier ``(scheme, notation)`` to the entities that already hold it.

    Raises:
        LinkError: a column is missing, a decision is neither accept nor reject, a notation is malformed,
            two rows accept different candidates for the same subject and scheme, or a row accepts an
            identifier another entity holds (or another accepted row gives to another entity).
    """
    today = today or dt.date.today()
    holders = {key: set(found) for key, found in (holders or {}).items()}
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c
        for c in ("decision", "subject", "scheme", "notation", "score", "dataset")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise LinkError(f"{path}: not a review file, columns missing: {missing}")
    accepted: dict[tuple[str, str], Link] = {}
    rejected, undecided = [], 0
    for line, row in enumerate(reader, start=2):
        where, decision = f"{path}:{line}", row["decision"].strip().lower()
        if decision in ("", "skip"):
            undecided += 1
        elif decision in ("accept", "yes", "y"):
            link = _row_link(row, where, today)
            key = (link.subject_iri, link.scheme)
            if key in accepted and accepted[key].notation != link.notation:
                raise LinkError(f"{where}: a second {link.scheme} candidate accepted for {link.subject_iri}")
            _refuse_held(link, holders, where)
            holders.setdefault((link.scheme, link.notation), set()).add(link.subject_iri)
            accepted[key] = link
        elif decision in ("reject", "no", "n"):
            rejected.append((row["subject"], row["scheme"], row["notation"]))
        else:
            raise LinkError(f"{where}: decision {row['decision']!r} is not accept, reject or blank")
    return ReviewOutcome(tuple(accepted.values()), tuple(rejected), undecided)


def _refuse_held(link: Link, holders: Mapping[tuple[str, str], set[str]], where: str) -> None:
    """Raise LinkError when another entity already holds the identifier ``link`` gives its subject."""
    others = holders.get((link.scheme, link.notation), set()) - {link.subject_iri}
    if others:
        raise LinkError(f"{where}: {link.scheme} {link.notation} is already the identifier of "
                        f"{', '.join(sorted(others))}; it cannot also identify {link.subject_iri}",
                        hint="reject this row (an identifier names one entity), or correct the other "
                             "entity's identifier first; nothing was written")


def read_rejections(links_dir: Path) -> set[tuple[str, str, str]]:
    """``(subject, scheme, notation)`` of every candidate a person rejected before."""
    path = links_dir / REJECTED_FILE
    if not path.exists():
        return set()
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["subject"], r["scheme"], r["notation"]) for r in csv.DictReader(handle)}


def append_rejections(links_dir: Path, rejected: Iterable[tuple[str, str, str]], today: dt.date) -> int:
    """Remember rejections (no duplicates); how many were new."""
    known = read_rejections(links_dir)
    new = sorted(set(rejected) - known)
    if not new:
        return 0
    path = links_dir / REJECTED_FILE
    exists = path.exists()
    links_dir.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if not exists:
            writer.writerow(_REJECTED_COLUMNS)
        writer.writerows([*item, today.isoformat()] for item in new)
    return len(new)
