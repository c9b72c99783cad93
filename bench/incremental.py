"""Time IncrementalValidator.apply for changes of 10 facts: curated graph, or an N-Triples file (synthetic)."""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import rdflib
from rdflib import Literal, Namespace, URIRef

from kg.config import Settings
from kg.curated import load_curated
from kg.incremental import Change, IncrementalValidator
from kg.namespaces import EIP, SCHEMA, VOCAB, XSD, Minter

EIPR = Namespace(VOCAB + "rank/")

def changes(v, n_facts, rng, rounds):
    """rounds of changes of n_facts facts each: amount values, ranks, earliest dates (drawn from the store)."""
    q = lambda t: [r for r in v.store.query(t, default_graph=[v.data_graph])]
    amounts = q("SELECT ?a ?v WHERE { ?a <https://schema.org/value> ?v } LIMIT 20000")
    ranks = q("SELECT ?c ?r WHERE { ?c <https://w3id.org/eu-industrial-kg/ontology#rank> ?r } LIMIT 20000")
    out = []
    from kg.terms import to_rdflib
    for _ in range(rounds):
        removed, added = set(), set()
        for i in range(n_facts):
            if i % 2 == 0:
                row = rng.choice(amounts); a, val = to_rdflib(row["a"]), to_rdflib(row["v"])
                removed.add((a, SCHEMA.value, val)); added.add((a, SCHEMA.value, Literal(str(-1 - i), datatype=XSD.decimal)))
            else:
                row = rng.choice(ranks); c, r = to_rdflib(row["c"]), to_rdflib(row["r"])
                removed.add((c, EIP.rank, r)); added.add((c, EIP.rank, EIPR.normal if r != EIPR.normal else EIPR.preferred))
        out.append(Change(frozenset(removed), frozenset(added - removed)))
    return out

def main():
    s = Settings(); rng = random.Random(7)
    t = time.perf_counter()
    if len(sys.argv) > 1:
        v = IncrementalValidator.from_ntriples(s, Path(sys.argv[1]))
    else:
        v = IncrementalValidator.from_graph(s, load_curated(Path(s.curated_dir), Minter(s.base_iri)))
    load = time.perf_counter() - t
    n = sum(1 for _ in v.store.quads_for_pattern(None, None, None, v.data_graph))
    print(f"data triples {n}, setup {load:.1f} s, normalised literals kept {sum(len(x) for x in v._originals.values())}")
    rounds = changes(v, 10, rng, 12)
    times, laps = [], []
    for ch in rounds:
        out = v.apply(ch)
        back = v.apply(Change(ch.added, ch.removed))
        times += [out.seconds, back.seconds]; laps += [out.timings, back.timings]
    times = times[2:]; laps = laps[2:]  # first round warms caches
    print(f"apply (10 facts) over {len(times)} runs: median {statistics.median(times)*1000:.0f} ms, "
          f"p90 {sorted(times)[int(len(times)*0.9)-1]*1000:.0f} ms, min {min(times)*1000:.0f} ms, max {max(times)*1000:.0f} ms;"
          f" affected {len(out.affected)}, closure {out.closure_triples} triples")
    for k in laps[0]:
        print(f"  {k:16s} median {statistics.median(l[k] for l in laps)*1000:6.1f} ms")

if __name__ == "__main__":
    main()
