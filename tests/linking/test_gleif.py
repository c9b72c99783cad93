from pathlib import Path

import httpx
import pytest

from kg.errors import LinkError
from kg.linking.gleif import HOSTS, GleifApiProvider, GoldenCopyProvider, read_golden_copy
from kg.linking.http import CachedClient
from kg.linking.linker import link_subjects
from kg.linking.records import Verdict
from kg.linking.subjects import subjects_from_graph

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "linking"

GOLDEN = FIXTURES / "gleif" / "golden-copy-sample.csv"


def test_read_golden_copy_keeps_active_records_with_valid_lei():
    records = {c.notation: c for c in read_golden_copy(GOLDEN)}
    assert set(records) == {"ZZZZ00TESTEXBAT00163", "ZZZZ00TESTEXBAT00260", "ZZZZ00TESTEXBAT00357"}
    assert ("Exemple Batteries", "fr") in records["ZZZZ00TESTEXBAT00163"].names
    assert records["ZZZZ00TESTEXBAT00260"].country == "DE"


def test_read_golden_copy_refuses_a_file_without_its_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("LEI,Name\n")
    with pytest.raises(LinkError, match="columns missing"):
        list(read_golden_copy(path))


def test_golden_copy_links_the_company_with_legal_form_and_country(sample_graph):
    subjects = [s for s in subjects_from_graph(sample_graph) if s.slug == "exemple-batteries"]
    (decision,) = link_subjects(subjects, {"lei": [GoldenCopyProvider(GOLDEN)]}).decisions
    assert decision.verdict is Verdict.SURE
    assert decision.best.candidate.notation == "ZZZZ00TESTEXBAT00163"
    assert decision.ranked[1].score < decision.best.score - 0.05


def test_gleif_api_provider_reads_json_api_records(tmp_path, recorded, sample_graph):
    client = CachedClient(tmp_path, "t", HOSTS, transport=httpx.MockTransport(recorded), min_interval_s=0.0)
    subjects = [s for s in subjects_from_graph(sample_graph) if s.slug == "exemple-batteries"]
    (decision,) = link_subjects(subjects, {"lei": [GleifApiProvider(client)]}).decisions
    assert decision.best.candidate.notation == "ZZZZ00TESTEXBAT00163"
    assert all(r.url.host == "api.gleif.org" for r in recorded.calls)
