"""Figures about the published graph: triples per graph, entities per class, facts per kind and per source,
disputed claims. Each figure is one query in ``kg/queries/stats/``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kg.config import Settings
from kg.namespaces import Minter
from kg.results import compact
from kg.store import KgStore, read_manifest

__all__ = ["SourceCount", "Stats", "compute_stats"]

TOP_SOURCES_IN_TEXT = 15


@dataclass(frozen=True)
class SourceCount:
    source: str
    label: str
    url: str
    facts: int


@dataclass(frozen=True)
class Stats:
    """What `kg stats` prints."""

    build_id: str
    triples_per_graph: dict[str, int]
    entities_per_class: dict[str, int]
    facts_per_kind: dict[str, int]
    facts_per_source: list[SourceCount] = field(default_factory=list)
    disputed_claims: int = 0
    disputed_groups: int = 0

    @property
    def triples(self) -> int:
        return sum(self.triples_per_graph.values())

    @property
    def facts(self) -> int:
        return sum(self.facts_per_kind.values())

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "triples": self.triples, "facts": self.facts}

    def text(self) -> str:
        lines = [f"build {self.build_id or '(unknown)'}: {self.triples} triples, {self.facts} facts, "
                 f"{self.disputed_claims} disputed claims in {self.disputed_groups} groups",
                 "", "triples per graph:"]
        lines += [f"  {n:>8}  {g}" for g, n in self.triples_per_graph.items()]
        lines += ["", "entities per class:"] + [f"  {n:>8}  {c}" for c, n in self.entities_per_class.items()]
        lines += ["", "facts per kind:"] + [f"  {n:>8}  {c}" for c, n in self.facts_per_kind.items()]
        lines += ["", f"facts per source (top {TOP_SOURCES_IN_TEXT} of {len(self.facts_per_source)}):"]
        lines += [f"  {s.facts:>8}  {s.url or s.label or s.source}"
                  for s in self.facts_per_source[:TOP_SOURCES_IN_TEXT]]
        return "\n".join(lines) + "\n"


def compute_stats(store: KgStore, settings: Settings) -> Stats:
    """Run the stats queries over a store (graph names shortened to ``curated``, ``import/<name>``…)."""
    disputed = store.rows("stats/disputed-count")[0]
    graph_prefix = {"": str(Minter(settings.base_iri).graph(""))}
    graphs = _counts(store, "stats/triples-per-graph", "graph", "triples", graph_prefix)
    return Stats(
        build_id=str(read_manifest(store.path).get("build_id", store.path.name)),
        triples_per_graph={name.lstrip(":"): n for name, n in graphs.items()},
        entities_per_class=_counts(store, "stats/entities-per-class", "class", "entities"),
        facts_per_kind=_counts(store, "stats/facts-per-kind", "class", "facts"),
        facts_per_source=[
            SourceCount(row["source"].value, _text(row["label"]), _text(row["url"]), int(row["facts"].value))
            for row in store.rows("stats/facts-per-source")],
        disputed_claims=int(disputed["claims"].value),
        disputed_groups=int(disputed["groups"].value),
    )


def _counts(store: KgStore, query: str, key: str, count: str,
            prefixes: dict[str, str] | None = None) -> dict[str, int]:
    return {compact(row[key], prefixes): int(row[count].value) for row in store.rows(query)}


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)
