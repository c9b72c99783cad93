"""kg.aggregates on the curated graph: totals per figure kind, qualifier and currency equal an aggregation
written apart (in Python), a figure stated by several sources adds once, Verkor's totals are those of
facts.yaml, the totals conform to the shapes, and a refresh of the groups touched by random changes equals a
full recompute."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef

from kg.aggregates import affected_groups, compute_aggregates, refresh_aggregates, refreshing_aggregates
from kg.config import Settings
from kg.curated import load_curated
from kg.inference import materialise
from kg.namespaces import EIP, PREFIXES, Minter, vocab
from kg.store import load_query
from kg.terms import graph_to_ntriples, python_value, to_oxigraph
from kg.validate import load_ontology, validate

SCHEMA = Namespace("https://schema.org/")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
BASE = "https://w3id.org/eu-industrial-kg/"
VERKOR = URIRef(BASE + "id/company/verkor")
DATA, TOTALS = ox.NamedNode("urn:x-test:data"), ox.NamedNode("urn:x-test:aggregates")

# Every candidate claim with what the choice and the sums need; the choice and the sums are in Python below.
CANDIDATES = """
SELECT DISTINCT ?group ?claim ?subject ?property ?rank ?asOf ?qualifier ?kind ?currency ?value WHERE {
  VALUES ?groupClass { eip:Programme eip:Country eip:Company }
  ?group a ?groupClass .
  ?claim a eip:Investment ; eip:subject ?subject ; eip:sourceProperty ?property ; eip:rank ?rank ;
         eip:qualifier ?qualifier ; eip:figureKind ?kind ; eip:amount ?amount .
  OPTIONAL { ?claim eip:asOf ?asOf }
  OPTIONAL { ?amount schema:value ?value ; eip:currency ?currency }
  FILTER(?subject = ?group
         || (?groupClass = eip:Country && EXISTS { ?subject eip:within ?group })
         || (?groupClass = eip:Company && EXISTS { ?subject eip:operatedBy ?group })
         || (?groupClass = eip:Programme && EXISTS { ?subject eip:partOf|eip:fundedBy ?group })
         || (?groupClass = eip:Programme && EXISTS { ?claim eip:investor|eip:underProgramme ?group }))
}
"""
STATEMENTS = """
SELECT ?claim ?subject ?property ?rank ?asOf ?qualifier WHERE {
  ?claim eip:subject ?subject ; eip:sourceProperty ?property ; eip:rank ?rank ; eip:qualifier ?qualifier .
  OPTIONAL { ?claim eip:asOf ?asOf }
}
"""
MATERIALISED = """
SELECT ?group ?kind ?qualifier ?currency ?total ?claims ?entities WHERE {
  ?node a eip:InvestmentTotal ; eip:aggregateOf ?group ; eip:figureKind ?kind ; eip:qualifier ?qualifier ;
        eip:currency ?currency ; schema:value ?total ; eip:claimCount ?claims ; eip:entityCount ?entities .
}
"""


@pytest.fixture(scope="module")
def kg_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def curated(kg_settings: Settings) -> rdflib.Graph:
    return load_curated(Path(kg_settings.curated_dir), Minter(kg_settings.base_iri))


@pytest.fixture(scope="module")
def with_inferred(kg_settings: Settings, curated: rdflib.Graph) -> rdflib.Graph:
    ontology = load_ontology(kg_settings)
    return ontology + curated + materialise([ontology, curated]).graph


def _store(graph: rdflib.Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(input=graph_to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="module")
def store(with_inferred: rdflib.Graph) -> ox.Store:
    return _store(with_inferred)


@pytest.fixture(scope="module")
def totals(store: ox.Store) -> rdflib.Graph:
    return compute_aggregates(store)


def _select(store: ox.Store, query: str) -> list[dict]:
    solutions = store.query(query, prefixes=PREFIXES)
    names = [v.value for v in solutions.variables]
    return [{n: python_value(row[n]) for n in names} for row in solutions]


def _chosen(store: ox.Store) -> set[str]:
    """The chosen claim of each statement, as docs/incremental.md §2 words the rule."""
    rank = {str(vocab("rank", "preferred")): 2, str(vocab("rank", "normal")): 1}
    by_statement = defaultdict(list)
    for row in _select(store, STATEMENTS):
        if row["rank"] in rank:
            by_statement[row["subject"], row["property"]].append(row)
    exact = str(vocab("qualifier", "exact"))
    return {
        min(rows, key=lambda r: (-rank[r["rank"]], _negated(str(r["asOf"] or "")),
                                 r["qualifier"] != exact, r["claim"]))["claim"]
        for rows in by_statement.values()
    }


def _negated(text: str) -> tuple[int, ...]:
    """A key sorting texts in descending order."""
    return tuple(-ord(c) for c in text) + (1,)


def _aggregated_in_python(store: ox.Store) -> set[tuple]:
    chosen = _chosen(store)
    sums: dict[tuple, list] = defaultdict(lambda: [Decimal(0), set(), set()])
    for row in _select(store, CANDIDATES):
        if row["claim"] in chosen and row["value"] is not None:
            entry = sums[row["group"], row["kind"], row["qualifier"], row["currency"]]
            entry[0] += Decimal(row["value"])
            entry[1].add(row["claim"])
            entry[2].add(row["subject"])
    return {(*key, total, len(claims), len(subjects)) for key, (total, claims, subjects) in sums.items()}


def test_investment_totals_equal_an_aggregation_written_apart(store: ox.Store, totals: rdflib.Graph) -> None:
    expected = _aggregated_in_python(store)
    assert len(expected) > 40  # companies, countries and programmes with investments of several kinds
    found = {(*row[:4], Decimal(row[4]), *row[5:]) for row in _rows(_store(totals), MATERIALISED)}
    assert found == expected


def _rows(store: ox.Store, query: str) -> set[tuple]:
    return {tuple(row.values()) for row in _select(store, query)}


def _verkor_totals(totals: rdflib.Graph) -> dict[tuple[str, str], Decimal]:
    out = {}
    for node in totals.subjects(EIP.aggregateOf, VERKOR):
        if (node, RDF_TYPE, EIP.InvestmentTotal) in totals:
            kind, qualifier = (str(totals.value(node, p)).rsplit("/", 1)[1] for p in (EIP.figureKind, EIP.qualifier))
            out[kind, qualifier] = totals.value(node, SCHEMA.value).toPython()
    return out


def test_verkor_totals_per_kind_are_those_of_facts_yaml(totals: rdflib.Graph) -> None:
    # Verkor (company) and the facilities it operates: Bourbourg and Verkor 2-3 (kg/data/curated/facts.yaml).
    assert _verkor_totals(totals) == {
        ("investment", "approximately"): Decimal("1500000000"),   # Bourbourg, EUR 1.5 bn (2025-12-11)
        ("investment", "exact"): Decimal("4000000000"),           # Verkor 2-3, EUR 4 bn: 3 sources, added once
        ("investment", "planned"): Decimal("11000000000"),        # Bourbourg at 50 GWh
        ("totalCost", "approximately"): Decimal("1941000000"),    # Bourbourg total project cost (EIB)
        ("stateAid", "exact"): Decimal("659000000"),              # stated twice (2023, 2023-11-16): added once
        ("loan", "approximately"): Decimal("600000000"),          # EIB loan proposed for Bourbourg
        ("loan", "exact"): Decimal("334505608.13"),               # EIB loan signed for Bourbourg
        ("loan", "upTo"): Decimal("600000000"),                   # EIB support to Verkor
        ("loan", "atLeast"): Decimal("1300000000"),               # financing_loan 2024-05-29
        ("financing", "atLeast"): Decimal("3000000000"),          # financing_total: 2025-12 supersedes 2023-09
        ("equity", "atLeast"): Decimal("1100000000"),             # round of 2022-11 (latest) + series C
    }


def test_a_figure_stated_by_several_sources_adds_once(totals: rdflib.Graph) -> None:
    node = URIRef(str(VERKOR) + "#investment-stateAid-exact-EUR")
    assert totals.value(node, SCHEMA.value).toPython() == Decimal("659000000")
    assert (totals.value(node, EIP.claimCount).toPython(), totals.value(node, EIP.entityCount).toPython()) == (1, 1)


def test_every_total_has_one_kind_and_says_what_it_covers(totals: rdflib.Graph, kg_settings: Settings) -> None:
    nodes = [*totals.subjects(RDF_TYPE, EIP.InvestmentTotal), *totals.subjects(RDF_TYPE, EIP.JobsTotal)]
    assert nodes
    for node in nodes:
        kinds, qualifiers = list(totals.objects(node, EIP.figureKind)), list(totals.objects(node, EIP.qualifier))
        assert len(kinds) == len(qualifiers) == 1
        claims, entities = (totals.value(node, p).toPython() for p in (EIP.claimCount, EIP.entityCount))
        assert 1 <= entities <= claims
    report = validate(totals, kg_settings)
    assert report.conforms and not report.problems, report.text()


def test_jobs_totals_are_per_kind(totals: rdflib.Graph) -> None:
    bourbourg_jobs = {
        str(totals.value(n, EIP.figureKind)).rsplit("/", 1)[1]
        for n in totals.subjects(EIP.aggregateOf, VERKOR) if (n, RDF_TYPE, EIP.JobsTotal) in totals
    }
    assert {"jobs", "indirectJobs"} <= bourbourg_jobs  # direct and indirect jobs never added together


def test_lookup_query_serves_the_totals_of_one_group(store: ox.Store, totals: rdflib.Graph) -> None:
    with_totals = _store(totals)
    rows = list(with_totals.query(load_query("aggregates/lookup"),
                                  substitutions={ox.Variable("group"): ox.NamedNode(str(VERKOR))}))
    kinds = {row["kind"].value for row in rows}
    assert str(EIP.Aggregate) in kinds and str(EIP.InvestmentTotal) in kinds
    assert len(rows) == len(set(totals.subjects(EIP.aggregateOf, VERKOR)))  # one row per node


# -------------------------------------------------------------------------------- incremental refresh


def _named(graph: rdflib.Graph) -> ox.Store:
    """The data in a named graph, next to its full aggregates graph."""
    store = ox.Store()
    store.extend(ox.Quad(*(to_oxigraph(t) for t in triple), DATA) for triple in graph)
    store.extend(ox.Quad(*(to_oxigraph(t) for t in triple), TOTALS) for triple in compute_aggregates(_store(graph)))
    return store


def _random_change(graph: rdflib.Graph, rng: random.Random) -> tuple[set, set]:
    """(removed, added) triples: a new rank, amount, date, kind or operator, or a claim deleted."""
    claims = sorted(set(graph.subjects(EIP.figureKind, None)) & set(graph.subjects(EIP.subject, None)))
    claim = rng.choice(claims)
    kind = rng.choice(["rank", "value", "asOf", "kind", "operator", "delete"])
    if kind == "rank":
        old = (claim, EIP.rank, graph.value(claim, EIP.rank))
        return {old}, {(claim, EIP.rank, vocab("rank", rng.choice(["preferred", "normal", "deprecated"])))}
    if kind == "value" and graph.value(claim, EIP.amount) is not None:
        amount = graph.value(claim, EIP.amount)
        old = set(graph.triples((amount, SCHEMA.value, None)))
        return old, {(amount, SCHEMA.value, Literal(str(rng.randint(1, 10**9)), datatype=XSD_DECIMAL))}
    if kind == "asOf":
        return set(graph.triples((claim, EIP.asOf, None))), {(claim, EIP.asOf, Literal(str(rng.randint(2019, 2031))))}
    if kind == "kind":
        new = rng.choice(sorted(set(graph.objects(None, EIP.figureKind))))
        return set(graph.triples((claim, EIP.figureKind, None))), {(claim, EIP.figureKind, new)}
    if kind == "operator":
        facility, company = (rng.choice(sorted(set(graph.subjects(EIP.operatedBy, None)))),
                             rng.choice(sorted(set(graph.subjects(RDF_TYPE, EIP.Company)))))
        return set(graph.triples((facility, EIP.operatedBy, None))), {(facility, EIP.operatedBy, company)}
    return set(graph.triples((claim, None, None))), set()


@pytest.mark.parametrize("seed", range(8))
def test_refresh_of_touched_groups_equals_full_recompute_on_random_changes(
    with_inferred: rdflib.Graph, seed: int
) -> None:
    rng = random.Random(seed)
    graph = rdflib.Graph()
    graph += with_inferred
    store = _named(graph)
    refreshed_groups: set = set()
    for _ in range(3):
        removed, added = _random_change(graph, rng)
        nodes = {t[0] for t in removed | added}
        with refreshing_aggregates(store, nodes, TOTALS, [DATA]) as groups:
            for triple in removed:
                store.remove(ox.Quad(*(to_oxigraph(t) for t in triple), DATA))
                graph.remove(triple)
            for triple in added:
                store.add(ox.Quad(*(to_oxigraph(t) for t in triple), DATA))
                graph.add(triple)
        refreshed_groups |= groups
    expected = {ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in compute_aggregates(_store(graph))}
    found = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, TOTALS)}
    assert found == expected
    all_groups = set(compute_aggregates(_store(graph)).objects(None, EIP.aggregateOf))
    assert refreshed_groups and len(refreshed_groups) < len(all_groups)  # only the touched groups were recomputed


def test_an_amount_reaches_the_groups_of_its_claim(with_inferred: rdflib.Graph) -> None:
    store = _named(with_inferred)
    node = URIRef(str(VERKOR) + "#investment-stateAid-exact-EUR")
    claim = next(c for c in with_inferred.subjects(EIP.sourceProperty, Literal("state_aid_approved_by_commission"))
                 if with_inferred.value(c, EIP.subject) == VERKOR)
    amount = with_inferred.value(claim, EIP.amount)
    groups = affected_groups(store, [amount], [DATA])
    assert groups == {VERKOR}  # the company is headquartered in France, not within it
    refresh_aggregates(store, TOTALS, [VERKOR], [DATA])  # recomputed from unchanged data: the same node
    assert any(store.quads_for_pattern(to_oxigraph(node), None, None, TOTALS))
