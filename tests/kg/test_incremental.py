"""kg.incremental: the reach table derived from the shapes, and incremental report == full report on changes.

Every change is made on the curated graph (as the mapping of a changed curated fact would), validated
incrementally (pyshacl-turbo), compared with a full validation (inference + pySHACL) of the changed data, then
undone.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from rdflib import Literal, Namespace, URIRef

from kg.aggregates import aggregates_graph
from kg.config import Settings
from kg.curated import load_curated
from kg.incremental import Change, IncrementalValidator, problem_key
from kg.inference import materialise
from kg.namespaces import EIP, Minter, vocab
from kg.shape_reach import derive_reach
from kg.terms import graph_to_ntriples
from kg.validate import Report, load_ontology, load_shapes, validate
from tests.kg.test_aggregates import _random_change

EIPR = Namespace(vocab("rank") + "/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")  # plain Namespaces: pytest's collection
XSD = Namespace(
    "http://www.w3.org/2001/XMLSchema#"
)  # probes module globals, which rdflib's closed ones warn on
Mutation = Callable[[rdflib.Graph, int], Change]


@pytest.fixture(scope="module")
def kg_settings() -> Settings:
    return Settings(shacl_engine="turbo")  # the incremental validator's engine (the default)


@pytest.fixture(scope="module")
def curated(kg_settings: Settings) -> rdflib.Graph:
    return load_curated(Path(kg_settings.curated_dir), Minter(kg_settings.base_iri))


@pytest.fixture(scope="module")
def validator(kg_settings: Settings, curated: rdflib.Graph) -> IncrementalValidator:
    return IncrementalValidator.from_graph(kg_settings, curated)


@pytest.fixture(scope="module")
def original_keys(validator: IncrementalValidator) -> set[tuple]:
    """The full report of the curated graph (from_graph validated it in full)."""
    return _keys(validator.report)


def _full(data: rdflib.Graph, settings: Settings) -> Report:
    """Inference and a full validation with pySHACL, the reference engine: comparing it with the incremental
    report (turbo) checks the closure logic and the engines' parity at once."""
    reference = settings.model_copy(update={"shacl_engine": "pyshacl"})
    return validate(data + materialise([load_ontology(settings), data]).graph, reference)


def _keys(report: Report) -> set[tuple]:
    return {problem_key(p) for p in report.problems}


def _changed(data: rdflib.Graph, change: Change) -> rdflib.Graph:
    out = rdflib.Graph()
    for triple in data:
        if triple not in change.removed:
            out.add(triple)
    for triple in change.added:
        out.add(triple)
    return out


def _pick(items: list, index: int):
    return sorted(items)[index % len(items)]


# --- mutations (each returns the change; index picks the node) ---------------------------------------------


def negative_amount(data: rdflib.Graph, index: int) -> Change:
    amount, value = _pick(list(data.subject_objects(SCHEMA.value)), index)
    return Change(
        frozenset({(amount, SCHEMA.value, value)}),
        frozenset({(amount, SCHEMA.value, Literal("-1000", datatype=XSD.decimal))}),
    )


def drop_sources(data: rdflib.Graph, index: int) -> Change:
    claim = _pick(list(set(data.subjects(EIP.subject, None))), index)
    return Change(
        frozenset((claim, PROV.wasDerivedFrom, s) for s in data.objects(claim, PROV.wasDerivedFrom))
    )


def unprefer_disputed(data: rdflib.Graph, index: int) -> Change:
    """A preferred claim of a group that has competitors becomes normal: the others' dispute loses its
    preferred claim (an effect on neighbouring nodes)."""
    groups: dict[tuple, list] = {}
    for claim in data.subjects(EIP.subject, None):
        groups.setdefault((data.value(claim, EIP.subject), data.value(claim, EIP.sourceProperty)), []).append(
            claim
        )
    preferred = [c for g in groups.values() if len(g) > 1 for c in g if (c, EIP.rank, EIPR.preferred) in data]
    claim = _pick(preferred, index)
    return Change(frozenset({(claim, EIP.rank, EIPR.preferred)}), frozenset({(claim, EIP.rank, EIPR.normal)}))


def operated_by_place(data: rdflib.Graph, index: int) -> Change:
    facility, operator = _pick(list(data.subject_objects(EIP.operatedBy)), index)
    place = _pick(
        list(data.subjects(RDF.type, EIP.Municipality)) or list(data.subjects(RDF.type, EIP.Region)), index
    )
    return Change(
        frozenset({(facility, EIP.operatedBy, operator)}), frozenset({(facility, EIP.operatedBy, place)})
    )


def earliest_after_latest(data: rdflib.Graph, index: int) -> Change:
    milestone, earliest = _pick(list(data.subject_objects(EIP.earliest)), index)
    latest = data.value(milestone, EIP.latest).toPython()
    later = Literal(latest + datetime.timedelta(days=400), datatype=XSD.date)
    return Change(
        frozenset({(milestone, EIP.earliest, earliest)}), frozenset({(milestone, EIP.earliest, later)})
    )


def delete_subject_entity(data: rdflib.Graph, index: int) -> Change:
    entity = _pick(list(set(data.objects(None, EIP.subject))), index)
    return Change(frozenset(data.triples((entity, None, None))))


def move_claim(data: rdflib.Graph, index: int) -> Change:
    """A claim's eip:sourceProperty changes: it leaves one dispute group and joins another."""
    claim, prop = _pick(list(data.subject_objects(EIP.sourceProperty)), index)
    other = _pick(sorted(set(data.objects(None, EIP.sourceProperty))), index * 7 + 3)
    return Change(
        frozenset({(claim, EIP.sourceProperty, prop)}), frozenset({(claim, EIP.sourceProperty, other)})
    )


MUTATIONS: list[Mutation] = [
    negative_amount,
    drop_sources,
    unprefer_disputed,
    operated_by_place,
    earliest_after_latest,
    delete_subject_entity,
    move_claim,
]


def _check_round_trip(
    validator: IncrementalValidator,
    data: rdflib.Graph,
    change: Change,
    settings: Settings,
    original_keys: set[tuple],
) -> Report:
    """Apply the change, compare with a full validation, undo it (the report must be the original one)."""
    outcome = validator.apply(change)
    try:
        assert _keys(outcome.report) == _keys(_full(_changed(data, change), settings))
    finally:
        undone = validator.apply(Change(change.added, change.removed))
    assert _keys(undone.report) == original_keys
    return outcome.report


# --- tests ------------------------------------------------------------------------------------------


def test_derive_reach_from_shapes_finds_dispute_groups_and_links(kg_settings: Settings) -> None:
    reach = derive_reach(load_shapes(kg_settings))
    assert (EIP.subject, EIP.sourceProperty) in reach.sibling_groups  # the IRI-valued predicate first
    assert {EIP.operatedBy, EIP.subject, EIP.amount, PROV.wasDerivedFrom} <= reach.inbound
    assert {EIP.amount, URIRef("http://www.w3.org/ns/adms#identifier")} <= reach.target_objects
    assert EIP.disputed in reach.rule_outputs and "inference/disputed-figures" in reach.rules
    assert RDF.type not in reach.inbound and "inference/within-transitive" not in reach.rules


NESTED_FILTER_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:x:S> a sh:NodeShape ; sh:targetClass <urn:x:C> ; sh:sparql [ sh:select \"\"\"
    SELECT $this WHERE {
        $this <urn:x:p> ?a ; <urn:x:q> ?b .
        FILTER NOT EXISTS { ?other <urn:x:p> ?a . FILTER EXISTS { ?other <urn:x:q> ?b } }
    }\"\"\" ] .
"""


def test_derive_reach_reads_filters_nested_in_exists() -> None:
    """rdflib keeps a translated EXISTS pattern apart from the parsed one, which loses its nested FILTERs."""
    reach = derive_reach(rdflib.Graph().parse(data=NESTED_FILTER_SHAPE, format="turtle"), rules=[])
    assert reach.sibling_groups == {(URIRef("urn:x:p"), URIRef("urn:x:q"))}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_incremental_report_equals_full_report_for_mutation(
    validator: IncrementalValidator,
    curated: rdflib.Graph,
    kg_settings: Settings,
    original_keys: set[tuple],
    mutation: Mutation,
) -> None:
    report = _check_round_trip(validator, curated, mutation(curated, 1), kg_settings, original_keys)
    assert report.problems  # the curated graph has warnings; most mutations add violations


def test_incremental_negative_amount_reports_violation(
    validator: IncrementalValidator, curated: rdflib.Graph, kg_settings: Settings
) -> None:
    change = negative_amount(curated, 0)
    outcome = validator.apply(change)
    validator.apply(Change(change.added, change.removed))
    assert not outcome.report.conforms
    assert any(p.path == "schema:value" for p in outcome.report.violations)


@hyp_settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(picks=st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10_000)), min_size=1, max_size=3))
def test_incremental_report_equals_full_report_on_random_changes(
    validator: IncrementalValidator,
    curated: rdflib.Graph,
    kg_settings: Settings,
    original_keys: set[tuple],
    picks: list[tuple[Mutation, int]],
) -> None:
    removed: set = set()
    added: set = set()
    for (
        mutation,
        index,
    ) in picks:  # changes drawn on the original data, combined (removals win over additions)
        change = mutation(curated, index)
        removed |= change.removed
        added |= change.added
    added -= removed
    added -= set(curated)
    change = Change(frozenset(removed & set(curated)), frozenset(added))
    _check_round_trip(validator, curated, change, kg_settings, original_keys)


def test_incremental_unpreferring_a_claim_warns_on_its_siblings(
    validator: IncrementalValidator, curated: rdflib.Graph, original_keys: set[tuple]
) -> None:
    change = unprefer_disputed(curated, 0)
    (claim,) = {s for s, _, _ in change.removed}
    outcome = validator.apply(change)
    validator.apply(Change(change.added, change.removed))
    new = {p.focus_node for p in outcome.report.warnings if p.rule == "DisputedClaim-preferred"} - {
        k[0] for k in original_keys
    }
    assert new - {str(claim)}  # the effect reaches other claims than the changed one


@pytest.mark.parametrize("seed", range(4))
def test_the_validator_keeps_the_aggregates_equal_to_a_full_recompute(
    kg_settings: Settings, curated: rdflib.Graph, seed: int
) -> None:
    rng, data = random.Random(seed), rdflib.Graph()
    data += curated
    validator = IncrementalValidator.from_graph(kg_settings, data, report=Report())
    for _ in range(3):
        removed, added = _random_change(data, rng)
        validator.apply(Change(frozenset(removed - added), frozenset(added - removed)))
        data -= _graph(removed)
        data += _graph(added)
    ontology = load_ontology(kg_settings)
    expected = ox.Store()  # stored like the validator's, so literals read back in the same form
    expected.bulk_load(input=graph_to_ntriples(aggregates_graph([ontology, data, materialise([ontology, data]).graph])),
                       format=ox.RdfFormat.N_TRIPLES)
    found = {q.triple for q in validator.store.quads_for_pattern(None, None, None, validator.aggregates_graph)}
    assert found == {q.triple for q in expected.quads_for_pattern(None, None, None, None)}


def _graph(triples: set) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    return graph
