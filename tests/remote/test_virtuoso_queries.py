import fcntl
import subprocess
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.build import load_ontology_graph
from kg.config import PROJECT_ROOT, Settings
from kg.curated import load_curated
from kg.inference import materialise
from kg.namespaces import Minter
from kg.remote_store import RemoteStore
from kg.store import KgStore, write_store


NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
_SUBCLASS_PATHS = pytest.mark.xfail(strict=False, reason=(
    "Virtuoso 7.2.5 evaluates the rdfs:subClassOf*/+ paths inside these FILTER NOT EXISTS differently from "
    "SPARQL 1.1 on a fresh database (claim classes are not filtered out, superclasses are counted beside the most "
    "specific class); on a database that already held earlier test graphs it has been seen to agree, hence "
    "not strict"))
_ALTERNATIVE_OF_SEQUENCE = pytest.mark.xfail(strict=True, reason=(
    "Virtuoso 7.2.5 cannot compile a path alternative holding a sequence, (a/b)|c: "
    "SP031 \"Weird '|' ppath\""))
SELECTS = [
    pytest.param("stats/entities-per-class", {}, id="stats/entities-per-class", marks=_SUBCLASS_PATHS),
    pytest.param("stats/facts-per-kind", {}, id="stats/facts-per-kind", marks=_SUBCLASS_PATHS),
    pytest.param("disputed-figures", {}, id="disputed-figures", marks=_ALTERNATIVE_OF_SEQUENCE),
    pytest.param("figure-sources", {}, id="figure-sources"),
    pytest.param("ai-factory-selections", {}, id="ai-factory-selections"),
    pytest.param("monetary-figures", {"entity": ("initiative", "investai")}, id="monetary-figures"),
    pytest.param("quantity-figures", {"entity": ("programme", "ai-gigafactories")}, id="quantity-figures"),
    pytest.param("operator-facilities", {"operator": ("company", "verkor")}, id="operator-facilities"),
    pytest.param("entity/labels", {"entity": ("company", "verkor")}, id="entity/labels"),
]


LOAD_SCRIPT = PROJECT_ROOT / "scripts" / "virtuoso" / "load.sh"


@contextmanager
def _load_lock():
    lock = PROJECT_ROOT / "var" / "virtuoso" / "test-load.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _counts(remote: RemoteStore) -> dict[str, int]:
    return {row["graph"].value: int(row["triples"].value) for row in remote.query_named("stats/triples-per-graph")}


@pytest.fixture(scope="session")
def stores(endpoint, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("oxigraph"))
    minter = Minter(settings.base_iri)
    ontology = load_ontology_graph(settings)
    curated = load_curated(settings.curated_dir, minter)
    graphs = {str(minter.graph("ontology")): ontology, str(minter.graph("curated")): curated,
              str(minter.graph("inferred")): materialise([ontology, curated]).graph}
    remote = RemoteStore(endpoint, timeout_s=60, graphs=list(graphs))
    with _load_lock():  # pytest-xdist workers share the one server: load once, under a lock
        if _counts(remote) != {iri: len(graph) for iri, graph in graphs.items()}:
            files = tmp_path_factory.mktemp("virtuoso-load")
            for index, (graph_iri, graph) in enumerate(graphs.items()):
                path = files / f"kg-test-{index}.nt"
                graph.serialize(path, format="nt", encoding="utf-8")
                subprocess.run([str(LOAD_SCRIPT), str(path), graph_iri], check=True, capture_output=True)
    staged = write_store(settings, "test", {iri: [graph] for iri, graph in graphs.items()})
    yield KgStore.open(staged.path), remote
    remote.close()


def _value(term: object) -> object:
    """A comparable value. Differences that are not errors are folded: numbers by value, booleans as 0/1
    (Virtuoso answers EXISTS with an integer), GROUP_CONCAT lists by their sorted parts and without a
    language tag (its order is unspecified; Oxigraph keeps a common tag, Virtuoso does not)."""
    if not isinstance(term, ox.Literal):
        return None if term is None else str(term)
    kind = term.datatype.value.rsplit("#", 1)[-1]
    if kind == "boolean":
        return Decimal(term.value in ("true", "1"))
    if kind in NUMERIC:
        try:
            return Decimal(term.value).normalize()
        except InvalidOperation:
            return term.value
    if " | " in term.value:
        return " | ".join(sorted(term.value.split(" | ")))
    words = term.value.split(" ")
    if len(words) > 1 and all("://" in word for word in words):
        return " ".join(sorted(words))
    return (term.value, term.language)


def _rows(solutions) -> list[tuple]:
    names = [v.value for v in solutions.variables]
    return sorted((tuple(_value(row[n]) for n in names) for row in solutions), key=repr)


def _bindings(minter: Minter, spec: dict) -> dict:
    return {name: URIRef(minter.entity(kind, slug)) for name, (kind, slug) in spec.items()}


@pytest.mark.parametrize(("name", "spec"), SELECTS)
def test_virtuoso_select_matches_oxigraph(stores, name, spec):
    local, remote = stores
    bindings = _bindings(Minter(Settings().base_iri), spec)
    expected = _rows(local.query_named(name, **bindings))
    assert expected, f"{name} returns nothing on the curated build; pick another binding"
    assert _rows(remote.query_named(name, **bindings)) == expected


def test_virtuoso_construct_describe_matches_oxigraph(stores):
    local, remote = stores
    bindings = _bindings(Minter(Settings().base_iri), {"entity": ("company", "verkor")})
    expected = {str(t) for t in local.query_named("entity/describe", **bindings)}
    assert expected
    assert {str(t) for t in remote.query_named("entity/describe", **bindings)} == expected


def test_virtuoso_remote_store_counts_the_loaded_graphs(stores):
    local, remote = stores
    assert _rows(remote.query_named("stats/triples-per-graph")) == _rows(local.query_named("stats/triples-per-graph"))
