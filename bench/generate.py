"""Write a deterministic synthetic graph of about N triples, in the shape of the real graph, as N-Triples.

    python bench/generate.py 1e5 --seed 42 -o var/bench/synthetic-1e5.nt

Synthetic curated records (bench/synth.py) go through the project's own mapping (kg.mapping: sources, entities,
claim nodes), block by block, so the triples are exactly what `kg build` would make of such curated files
(its curated graph; the inferred graph is the build's and is not written here). Blocks are written as soon as
they are mapped, so memory stays flat whatever N. Same N and seed, same bytes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from rdflib import URIRef  # noqa: E402

from bench.synth import Block, Profile, SyntheticWorld  # noqa: E402
from kg.config import DEFAULT_BASE_IRI, PACKAGE_DIR  # noqa: E402
from kg.curated import read_curated  # noqa: E402
from kg.curated.records import Fact, Location, PropertyRule  # noqa: E402
from kg.mapping.claims import fact_iri, map_fact  # noqa: E402
from kg.mapping.context import MappingContext  # noqa: E402
from kg.mapping.entities import map_entity  # noqa: E402
from kg.mapping.sources import map_sources  # noqa: E402
from kg.namespaces import Minter  # noqa: E402
from kg.terms import to_oxigraph  # noqa: E402

__all__ = ["generate", "main"]

CURATED_DIR = PACKAGE_DIR / "data" / "curated"


class _TripleSink(set):
    """Stands in for the rdflib Graph of a MappingContext: collects (deduplicated) triples, nothing more."""

    def bind(self, prefix: str, namespace: object) -> None:
        """Prefixes do not matter in N-Triples."""


def _block_size(target: int) -> int:
    return max(10, min(500, target // 400))


def _ntriples(triples: Iterable[tuple]) -> bytes:
    return ox.serialize((ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in sorted(triples)),
                        format=ox.RdfFormat.N_TRIPLES)


class _BlockMapper:
    """Maps blocks of records with one MappingContext; remembers source IRIs and facts already written."""

    def __init__(self, rules: dict[str, PropertyRule], base_iri: str) -> None:
        self.ctx = MappingContext(minter=Minter(base_iri), entities={}, graph=_TripleSink())
        self.rules = rules
        self.source_iri: dict[str, URIRef] = {}
        self.seen: set[str] = set()

    def map(self, block: Block) -> _TripleSink:
        ctx = self.ctx
        ctx.graph = _TripleSink()
        ctx.entities.update((entity.id, entity) for entity in block.entities)
        dated = [Fact(subject="", property="", value="", qualifier="exact", source=locator,
                      location=Location("synthetic", 0), source_date=date)
                 for locator, date in block.sources.items() if date]
        self.source_iri.update(map_sources(ctx, set(block.sources), dated))
        for entity in block.entities:
            map_entity(ctx, entity, self.source_iri)
        for fact in block.facts:
            iri = str(fact_iri(ctx, fact))
            if iri not in self.seen:  # the same statement drawn twice from the same source is one fact
                self.seen.add(iri)
                map_fact(ctx, fact, self.rules[fact.property], self.source_iri)
        return ctx.graph


def generate(target: int, seed: int, out: IO[bytes], *, curated_dir: Path = CURATED_DIR,
             base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write about ``target`` triples to ``out``; return how many were written."""
    entities, facts, rules = read_curated(curated_dir)
    world = SyntheticWorld(Profile.from_curated(entities, facts, rules), seed)
    mapper = _BlockMapper(rules, base_iri)
    written = _write(out, mapper.map(world.first_block()))
    blocks = world.blocks(_block_size(target))
    while written < target:
        written += _write(out, mapper.map(next(blocks)))
    return written


def _write(out: IO[bytes], triples: _TripleSink) -> int:
    out.write(_ntriples(triples))
    return len(triples)


def _size(text: str) -> int:
    return int(float(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("triples", type=_size, help="about how many triples (1e5, 250000…)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output", type=Path, help="N-Triples file (default: standard output)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with open(args.output, "wb") as out:
            written = generate(args.triples, args.seed, out)
    else:
        written = generate(args.triples, args.seed, sys.stdout.buffer)
    print(f"{written} triples in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
