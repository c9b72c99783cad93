import io
from collections import Counter

import pytest
import rdflib
from rdflib.namespace import RDF

from bench.generate import generate
from kg.config import Settings
from kg.namespaces import EIP

SMALL = 3_000


def _ntriples(size: int, seed: int) -> bytes:
    out = io.BytesIO()
    generate(size, seed, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def small_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=_ntriples(SMALL, 7), format="nt")


def test_generate_same_seed_same_bytes():
    assert _ntriples(SMALL, 7) == _ntriples(SMALL, 7)


def test_generate_other_seed_other_graph():
    assert _ntriples(SMALL, 7) != _ntriples(SMALL, 8)


def test_generate_size_close_to_target(small_graph):
    assert SMALL <= len(small_graph) <= 1.5 * SMALL


def test_generate_has_every_claim_family_and_place_level(small_graph):
    types = Counter(small_graph.objects(None, RDF.type))
    for cls in ("Investment", "Budget", "EmploymentFigure", "Capacity", "QuantityFigure", "Milestone",
                "RelationClaim", "AttributeClaim", "Company", "Facility", "Country", "Region", "Municipality",
                "WebPage", "NewsArticle"):
        assert types[EIP[cls]] > 0, cls


def test_generate_has_disputed_figures_with_ranks(small_graph):
    ranks = Counter(str(o).rsplit("/", 1)[-1] for o in small_graph.objects(None, EIP.rank))
    assert ranks["preferred"] > 0 and ranks["deprecated"] > 0 and ranks["normal"] > ranks["preferred"]


def _violation_kinds(settings: Settings, graph: rdflib.Graph) -> set[tuple[str | None, str]]:
    from kg.build import check_data

    report = check_data(settings, graph).report
    return {(p.source_shape, p.constraint) for p in report.violations}


def test_generate_small_graph_conforms_to_the_shapes(small_graph, tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert _violation_kinds(settings, small_graph) == set()
