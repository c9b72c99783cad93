"""SPARQL JSON results written by oxigraph in the worker: same bytes as the row-by-row writer, same row cap."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from api.sparql import worker
from api.sparql.jobs import RESULTS_JSON, SOLUTIONS, Job
from api.sparql.results import solutions_body

EX = "http://example.org/"
QUERY = f"SELECT ?s ?o ?none WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?o <{EX}q> ?none }} }} ORDER BY STR(?o)"
OBJECTS = [
    ox.Literal("x", language="fr"),
    ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.BlankNode("b0"),
    ox.Literal('tab\t"quoted" é \u0001 </script>'),
    ox.NamedNode(f"{EX}o"),
]


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), obj) for obj in OBJECTS)
    store.flush()
    del store
    return path


def _job(**options: object) -> Job:
    return Job(query=QUERY, base_iri="", formats={SOLUTIONS: RESULTS_JSON}, union_default_graph=False, **options)


def _row_by_row(store: ox.Store) -> bytes:
    result = store.query(QUERY)
    names = [variable.value for variable in result.variables]
    return solutions_body(RESULTS_JSON, names, [list(solution) for solution in result])


def test_native_json_is_byte_identical_to_the_row_by_row_writer(store_dir: Path) -> None:
    outcome = worker.execute(worker.StoreHandle(str(store_dir)), _job(), {})
    assert outcome.error == ""
    assert outcome.body == _row_by_row(ox.Store.read_only(str(store_dir)))


@pytest.mark.parametrize(("max_rows", "error"), [(len(OBJECTS), ""), (len(OBJECTS) - 1, "rows")])
def test_row_cap_is_exact_on_the_native_path(store_dir: Path, max_rows: int, error: str) -> None:
    outcome = worker.execute(worker.StoreHandle(str(store_dir)), _job(max_rows=max_rows), {})
    assert outcome.error == error
    if not error:
        assert outcome.rows == len(OBJECTS)  # a small cap makes the body long enough to need counting


def test_a_result_past_the_byte_bound_is_rerun_row_by_row(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "NATIVE_BYTES_BOUND", 64)
    outcome = worker.execute(worker.StoreHandle(str(store_dir)), _job(), {})
    assert outcome.error == ""
    assert outcome.rows == len(OBJECTS)  # counted by the row-by-row path, which the native one leaves as None
    assert outcome.body == _row_by_row(ox.Store.read_only(str(store_dir)))
