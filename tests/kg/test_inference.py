"""Inference rules: the stratified run (fixpoint rules, then once-only rules) equals the naive fixpoint."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.inference as inference
from bench.generate import generate
from kg.build import load_ontology_graph
from kg.config import Settings
from kg.curated import load_curated
from kg.errors import KgError
from kg.namespaces import Minter
from kg.store import load_query
from kg.terms import graph_to_ntriples

TARGET = ox.NamedNode("urn:x-test:inferred")


@pytest.fixture(scope="module")
def kg_settings() -> Settings:
    return Settings()


def _store(*ntriples: bytes) -> ox.Store:
    store = ox.Store()
    for data in ntriples:
        store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
    return store


def _naive(store: ox.Store) -> set[ox.Triple]:
    """Every rule, every round, until a round adds nothing (what the build did before strata)."""
    queries = {name: load_query(name) for name in inference.rule_names()}
    result = inference.InferenceResult(graph=None)  # type: ignore[arg-type]
    while sum(inference._run_rule(store, n, q, result, TARGET) for n, q in queries.items()):
        pass
    return {quad.triple for quad in store.quads_for_pattern(None, None, None, TARGET)}


def _stratified(store: ox.Store) -> set[ox.Triple]:
    inference.materialise_in(store, TARGET)
    return {quad.triple for quad in store.quads_for_pattern(None, None, None, TARGET)}


def _inputs(kg_settings: Settings, synthetic: bool) -> list[bytes]:
    ontology = graph_to_ntriples(load_ontology_graph(kg_settings))
    if synthetic:
        out = io.BytesIO()
        generate(4_000, 7, out)
        return [ontology, out.getvalue()]
    curated = load_curated(Path(kg_settings.curated_dir), Minter(kg_settings.base_iri))
    return [ontology, graph_to_ntriples(curated)]


@pytest.mark.parametrize("synthetic", [False, True], ids=["curated", "synthetic-4k"])
def test_stratified_inference_equals_the_naive_fixpoint(kg_settings: Settings, synthetic: bool) -> None:
    data = _inputs(kg_settings, synthetic)
    expected = _naive(_store(*data))
    assert expected  # the rules do fire on this data
    assert _stratified(_store(*data)) == expected


def test_only_rules_whose_conclusions_nobody_reads_run_once() -> None:
    recursive, once = inference.strata({name: load_query(name) for name in inference.rule_names()})
    assert "inference/superclass-types" in recursive and "inference/within-transitive" in recursive
    assert "inference/search-text" in once and "inference/disputed-figures" in once


def test_a_rule_reading_another_rules_conclusion_is_not_run_once() -> None:
    writer = "PREFIX ex: <http://ex.org/#> CONSTRUCT { ?x ex:b ?y } WHERE { ?x ex:a ?y }"
    reader = "PREFIX ex: <http://ex.org/#> CONSTRUCT { ?x ex:c ?y } WHERE { ?x ex:b ?y } # ex:b in a comment"
    assert inference.strata({"w": writer, "r": reader}) == (["w"], ["r"])
    variable = "PREFIX ex: <http://ex.org/#> CONSTRUCT { ?x ex:d ?y } WHERE { ?x ?p ?y }"
    assert inference.strata({"w": writer, "v": variable})[0] == ["w", "v"]


def test_a_rule_that_never_stops_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    runaway = ("CONSTRUCT { ?x <http://ex.org/n> ?m } "
               "WHERE { ?x <http://ex.org/n> ?n BIND(?n + 1 AS ?m) }")
    monkeypatch.setattr(inference, "load_query", lambda name: runaway)
    store = _store(b'<http://ex.org/a> <http://ex.org/n> "0"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    with pytest.raises(KgError, match=r"inference/runaway\.rq still add triples"):
        inference.materialise_in(store, TARGET, rules=["inference/runaway"])
