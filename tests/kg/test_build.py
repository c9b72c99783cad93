from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.build import build, extra_graph_files, read_inputs
from kg.config import Settings
from kg.errors import SourceError, StoreError, ValidationFailed
from kg.inference import materialise, rule_names
from kg.store import KgStore, StoreLayout, published_path
from tests.kg.storetools import (
    EIP, FIXTURES, ID, MINI_ONTOLOGY, FakeProblem, FakeReport, mini_graph, mini_settings, tree_digest,
    use_mini_pipeline,
)

WITHIN = URIRef(EIP + "within")
DISPUTED = URIRef(EIP + "disputed")
HAS_CLAIM = URIRef(EIP + "hasClaim")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return mini_settings(tmp_path)


@pytest.fixture(scope="module")
def inferred() -> rdflib.Graph:
    return materialise([rdflib.Graph().parse(MINI_ONTOLOGY), mini_graph()]).graph


def test_inference_within_is_transitive_over_places(inferred: rdflib.Graph) -> None:
    facility = URIRef(ID + "facility/verkor-gigafactory-bourbourg")
    assert set(inferred.objects(facility, WITHIN)) == {
        URIRef(ID + "place/bourbourg"), URIRef(ID + "place/hauts-de-france"), URIRef(ID + "place/france")}


def test_inference_within_skips_non_spatial_part_of(inferred: rdflib.Graph) -> None:
    assert not set(inferred.objects(URIRef(ID + "initiative/investai"), WITHIN))


def test_inference_adds_every_superclass_type(inferred: rdflib.Graph) -> None:
    claim = URIRef(ID + "fact/investai-budget")
    types = set(inferred.objects(claim, RDF.type))
    assert {URIRef(EIP + "MonetaryFigure"), URIRef(EIP + "Claim"),
            URIRef("http://www.w3.org/ns/prov#Entity")} <= types
    assert URIRef(EIP + "Investment") not in types  # asserted, so not repeated in the inferred graph


def test_inference_has_claim_is_inverse_of_subject(inferred: rdflib.Graph) -> None:
    claims = set(inferred.objects(URIRef(ID + "facility/verkor-2-3"), HAS_CLAIM))
    assert URIRef(ID + "fact/verkor-2-3-jobs40000") in claims
    assert len(claims) == 4


def test_inference_marks_different_jobs_figures_disputed(inferred: rdflib.Graph) -> None:
    disputed = set(inferred.subjects(DISPUTED, Literal(True)))
    assert URIRef(ID + "fact/verkor-2-3-jobs40000") in disputed
    assert URIRef(ID + "fact/verkor-2-3-jobs4000") in disputed


def test_inference_equal_amounts_in_other_lexical_forms_are_not_disputed(inferred: rdflib.Graph) -> None:
    disputed = set(inferred.subjects(DISPUTED, Literal(True)))
    assert URIRef(ID + "fact/verkor-2-3-invest-a") not in disputed


def test_inference_overlapping_milestone_dates_are_not_disputed(inferred: rdflib.Graph) -> None:
    disputed = set(inferred.subjects(DISPUTED, Literal(True)))
    assert URIRef(ID + "fact/bourbourg-production-month") not in disputed


def test_inference_disjoint_milestone_dates_are_disputed() -> None:
    data = mini_graph()
    data.update("""PREFIX eip: <https://w3id.org/eu-industrial-kg/ontology#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        DELETE { ?c eip:earliest ?e ; eip:latest ?l } INSERT { ?c eip:earliest "2025-07-01"^^xsd:date ;
        eip:latest "2025-07-31"^^xsd:date }
        WHERE { ?c eip:dateAsStated "2025" ; eip:earliest ?e ; eip:latest ?l }""")
    graph = materialise([rdflib.Graph().parse(MINI_ONTOLOGY), data]).graph
    assert (URIRef(ID + "fact/bourbourg-production-month"), DISPUTED, Literal(True)) in graph


def test_inference_rules_are_the_files_of_queries_inference() -> None:
    assert "inference/within-transitive" in rule_names()
    assert all(name.startswith("inference/") for name in rule_names())


def test_build_publishes_ontology_curated_and_inferred_graphs(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    lines: list[str] = []
    result = build(settings, lines.append)
    assert set(result.triples) == {"ontology", "curated", "inferred", "aggregates"}
    assert result.triples["curated"] == len(mini_graph())
    assert published_path(settings) == result.path
    assert any("published" in line for line in lines)
    store = KgStore.open_published(settings)
    assert bool(store.query(f"ASK {{ <{ID}place/bourbourg> <{EIP}within> <{ID}place/france> }}"))


def test_build_carries_warnings_and_publishes(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch, FakeReport(warnings=[FakeProblem("x", "no NUTS code", "Warning")]))
    assert len(build(settings).warnings) == 1


def test_build_with_violations_raises_and_publishes_nothing(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch, FakeReport(violations=[FakeProblem("x", "amount missing")]))
    with pytest.raises(ValidationFailed) as caught:
        build(settings)
    assert caught.value.report.violations[0].message == "amount missing"
    assert published_path(settings) is None
    assert not StoreLayout.of(settings).stores.exists()


def test_failed_build_leaves_published_store_byte_for_byte_identical(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    build(settings)
    before = tree_digest(settings.data_dir)
    use_mini_pipeline(monkeypatch, FakeReport(violations=[FakeProblem("x", "bad")]))
    with pytest.raises(ValidationFailed):
        build(settings)
    assert tree_digest(settings.data_dir) == before


def test_build_crashing_while_loading_leaves_current_untouched(settings: Settings, monkeypatch) -> None:
    import kg.store

    use_mini_pipeline(monkeypatch)
    first = build(settings)
    before = tree_digest(settings.data_dir)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(kg.store, "_graph_counts", crash)
    with pytest.raises(OSError, match="disk full"):
        build(settings)
    assert tree_digest(settings.data_dir) == before
    assert published_path(settings) == first.path


def test_build_loads_links_and_import_graphs(settings: Settings, monkeypatch, tmp_path: Path) -> None:
    use_mini_pipeline(monkeypatch)
    links = tmp_path / "links"
    links.mkdir()
    (links / "wikidata.ttl").write_text(
        f"<{ID}place/france> <http://www.w3.org/2004/02/skos/core#exactMatch> "
        "<http://www.wikidata.org/entity/Q142> .\n")
    imports = settings.data_dir / "imports"
    imports.mkdir(parents=True)
    (imports / "nuts.nt").write_text("<http://data.europa.eu/nuts/code/FR> "
                                     "<http://www.w3.org/2000/01/rdf-schema#label> \"France\" .\n")
    result = build(settings, links_dir=links)
    assert result.triples["links"] == 1
    assert result.triples["import/nuts"] == 1


def test_build_bad_import_file_names_file_and_line(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    imports = settings.data_dir / "imports"
    imports.mkdir(parents=True)
    (imports / "broken.nt").write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> nope .\n")
    with pytest.raises(SourceError, match="broken.nt"):
        build(settings)


def test_build_second_run_keeps_previous_for_rollback(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    first, second = build(settings), build(settings)
    layout = StoreLayout.of(settings)
    assert layout.target(layout.previous) == first.path
    assert layout.target(layout.current) == second.path


def test_extra_graph_files_finds_links_and_imports(settings: Settings, tmp_path: Path) -> None:
    links = tmp_path / "links"
    links.mkdir()
    (links / "a.ttl").write_text("")
    (links / "notes.md").write_text("")
    (settings.data_dir / "imports").mkdir(parents=True)
    (settings.data_dir / "imports" / "cordis.nt").write_text("")
    found = extra_graph_files(settings, links)
    cordis = settings.data_dir / "imports" / "cordis.nt"
    assert found == {"links": [links / "a.ttl"], "import/cordis": [cordis]}


def test_read_inputs_turtle_syntax_error_names_file_and_line(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n")
    with pytest.raises(SourceError) as caught:
        read_inputs([bad], settings)
    assert caught.value.location.startswith(f"{bad}:3")


def test_read_inputs_yaml_syntax_error_names_file_and_line(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "facts.yaml"
    bad.write_text("entities:\n- id: x\n  type: [Company\n")
    with pytest.raises(SourceError) as caught:
        read_inputs([bad], settings)
    assert caught.value.location.startswith(f"{bad}:")


def test_read_inputs_missing_path_raises_source_error(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_inputs([tmp_path / "nope.ttl"], settings)


def test_read_inputs_merges_rdf_files_of_a_directory(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "rdf"
    folder.mkdir()
    shutil.copy(FIXTURES / "mini-data.ttl", folder / "data.ttl")
    assert len(read_inputs([folder], settings)) == len(mini_graph())


def test_build_without_ontology_raises_kg_error(tmp_path: Path, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    settings = Settings(data_dir=tmp_path / "data", ontology_dir=tmp_path / "empty")
    with pytest.raises(Exception, match="no ontology found"):
        build(settings)


def test_build_result_json_has_counts_and_duration(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    summary = build(settings).to_json()
    assert summary["total"] == sum(summary["triples"].values())
    assert summary["duration_s"] >= 0
    assert summary["inferred_per_rule"]["inference/has-claim"] == 7


def test_open_published_after_store_deleted_raises_store_error(settings: Settings, monkeypatch) -> None:
    use_mini_pipeline(monkeypatch)
    shutil.rmtree(build(settings).path)
    with pytest.raises(StoreError):
        KgStore.open_published(settings)


KILLED_BUILD = """
import sys, time
sys.path.insert(0, {root!r})
import kg.build, kg.curated, kg.store
from kg.config import Settings
from tests.kg.storetools import FIXTURES, FakeReport, mini_graph

kg.curated.load_curated = lambda folder, minter: mini_graph()
kg.build._validate = lambda data, settings: FakeReport()
kg.build.LINKS_DIR = FIXTURES / "no-links"
load_one = kg.store._load_one

def slow_load(*args):
    load_one(*args)
    print("loading", flush=True)
    time.sleep(60)

kg.store._load_one = slow_load
kg.build.build(Settings(data_dir={data!r}, ontology_dir={ontology!r}))
"""


def test_killed_build_leaves_current_untouched_and_is_pruned_later(settings: Settings, monkeypatch) -> None:
    import signal
    import subprocess
    import sys

    use_mini_pipeline(monkeypatch)
    first = build(settings)
    before = tree_digest(settings.data_dir)
    code = KILLED_BUILD.format(root=str(Path(__file__).resolve().parents[2]), data=str(settings.data_dir),
                               ontology=str(settings.ontology_dir))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "loading"
        assert any(p.name.startswith(".building-") for p in StoreLayout.of(settings).stores.iterdir())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert published_path(settings) == first.path
    leftovers = [p for p in StoreLayout.of(settings).stores.iterdir() if p.name.startswith(".building-")]
    assert leftovers
    assert {k: v for k, v in tree_digest(settings.data_dir).items() if ".building-" not in k} == before
    second = build(settings)
    assert published_path(settings) == second.path
    assert not any(p.exists() for p in leftovers)


# --- imports take part in inference and validation (real ontology, shapes and curated data) ---------------

IMPORT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


@pytest.fixture
def cordis_imported(tmp_path: Path) -> Settings:
    """Real settings whose data directory holds the CORDIS fixture import."""
    import datetime as dt

    from kg.importers import import_file

    real = Settings(data_dir=tmp_path / "data")
    import_file("cordis", IMPORT_FIXTURES / "cordis", real, downloaded=dt.date(2026, 11, 25))
    return real


def test_build_infers_supertypes_of_imported_entities_into_the_inferred_graph(cordis_imported: Settings) -> None:
    build(cordis_imported, links_dir=FIXTURES / "no-links")
    company, base = f"{ID}company/cordis-org-999999991", "https://w3id.org/eu-industrial-kg/graph/"
    store = KgStore.open_published(cordis_imported)
    assert bool(store.query(f"ASK {{ GRAPH <{base}inferred> {{ <{company}> a <{EIP}Organisation> }} }}"))
    assert bool(store.query(f"ASK {{ GRAPH <{base}import/cordis-horizon> {{ <{company}> a <{EIP}Company> }} }}"))
    organisation_in_import = f"ASK {{ GRAPH <{base}import/cordis-horizon> {{ <{company}> a <{EIP}Organisation> }} }}"
    assert not bool(store.query(organisation_in_import))


def test_build_refuses_an_import_violating_the_shapes_and_names_it(cordis_imported: Settings) -> None:
    build(cordis_imported, links_dir=FIXTURES / "no-links")
    before = tree_digest(cordis_imported.data_dir / "stores")
    bad = cordis_imported.data_dir / "imports" / "cordis-horizon.nt"
    identifier = f"{ID}identifier/bad-import-identifier"
    with bad.open("a") as handle:
        handle.write(f"<{identifier}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                     "<http://www.w3.org/ns/adms#Identifier> .\n"
                     f"<{identifier}> <{EIP}confirmedByPerson> \"maybe\" .\n")
    with pytest.raises(ValidationFailed) as caught:
        build(cordis_imported, links_dir=FIXTURES / "no-links")
    assert {p.focus_node for p in caught.value.report.violations} == {identifier}
    assert f"import/cordis-horizon ({bad}): 1 entity" in caught.value.message
    assert tree_digest(cordis_imported.data_dir / "stores") == before
