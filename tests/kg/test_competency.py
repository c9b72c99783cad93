"""The competency questions (kg/queries/*.rq) against the graph built from the real curated sources.

The real build (mapping, inference, SHACL validation, publication) runs once per module.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import URIRef

import kg.build
from kg.config import Settings
from kg.store import KgStore
from kg.terms import python_value
from tests.kg.storetools import ID

QUALIFIER = "https://w3id.org/eu-industrial-kg/vocab/qualifier/"
RANK = "https://w3id.org/eu-industrial-kg/vocab/rank/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> KgStore:
    settings = Settings(data_dir=tmp_path_factory.mktemp("competency"))
    kg.build.build(settings)
    return KgStore.open_published(settings)


def rows(store: KgStore, name: str, **bindings: str) -> list[dict]:
    terms = {k: URIRef(ID + v) for k, v in bindings.items()}
    return [{k: python_value(v) for k, v in row.items()} for row in store.rows(name, **terms)]


def test_investai_gigafactory_fund_is_eur_20_bn(store: KgStore) -> None:
    found = rows(store, "monetary-figures", entity="initiative/investai")
    fund = [r for r in found if r["subject"] == ID + "fund/investai-ai-gigafactories-fund"
            and r["property"] == "fund_size"]
    assert fund and {r["amount"] for r in fund} == {Decimal("20000000000")}
    assert all(r["currency"] == "EUR" and r["qualifier"] == QUALIFIER + "exact" for r in fund)


def test_investai_states_20_bn_for_gigafactories_and_200_bn_in_all(store: KgStore) -> None:
    found = rows(store, "monetary-figures", entity="initiative/investai")
    own = {(r["amount"], r["scope"]) for r in found if r["subject"] == ID + "initiative/investai"
           and r["property"] == "investment_amount"}
    assert (Decimal("20000000000"), "AI gigafactories") in own
    assert (Decimal("200000000000"), None) in own


def test_ai_gigafactories_up_to_five_with_about_100000_chips_each(store: KgStore) -> None:
    found = rows(store, "quantity-figures", entity="programme/ai-gigafactories")
    count = [r for r in found if r["property"] == "facility_count"]
    chips = [r for r in found if r["property"] == "chips_count_per_facility"]
    assert {(r["quantity"], r["qualifier"]) for r in count} == {(Decimal(5), QUALIFIER + "upTo")}
    assert {(r["quantity"], r["qualifier"]) for r in chips} == {
        (Decimal(100000), QUALIFIER + "approximately")}


def test_ai_factories_selected_in_three_batches(store: KgStore) -> None:
    batches: dict[int, set[str]] = defaultdict(set)
    dates: dict[int, set[str]] = defaultdict(set)
    for row in rows(store, "ai-factory-selections"):
        batches[row["batch"]].add(row["factory"].removeprefix(ID + "facility/"))
        dates[row["batch"]].add(row["selectedOn"].isoformat())
    assert dict(dates) == {1: {"2024-12-10"}, 2: {"2025-03-12"}, 3: {"2025-10-10"}}
    assert [len(batches[b]) for b in (1, 2, 3)] == [7, 6, 6]
    assert {"aif-bsc", "aif-lumi"} <= batches[1] and "aif-ai2f" in batches[2] and "aif-ro" in batches[3]
    assert sum(len(f) for f in batches.values()) == len(set().union(*batches.values())) == 19


def test_verkor_plants_where_they_are_and_when_they_start(store: KgStore) -> None:
    found = rows(store, "operator-facilities", operator="company/verkor")
    by_facility = defaultdict(list)
    for row in found:
        by_facility[row["facility"].removeprefix(ID + "facility/")].append(row)
    assert {"verkor-gigafactory-bourbourg", "verkor-2-3"} <= set(by_facility)
    bourbourg = by_facility["verkor-gigafactory-bourbourg"]
    assert "Bourbourg" in bourbourg[0]["locatedIn"]
    assert {"France", "Hauts-de-France"} <= set(bourbourg[0]["within"].split(" | "))
    assert {"2025-12", "2025-07", "2026"} <= {r["productionStart"] for r in bourbourg}
    assert "Dunkirk" in by_facility["verkor-2-3"][0]["locatedIn"]


def test_sources_stating_each_figure(store: KgStore) -> None:
    found = rows(store, "figure-sources", subject="facility/verkor-2-3")
    jobs = {r["value"]: (r["sources"], r["sourceList"]) for r in found if r["property"] == "jobs_expected"}
    assert jobs[4000][0] == 2
    assert "deltafm.fr" in jobs[4000][1] and "lagazettefrance.fr" in jobs[4000][1]
    assert jobs[40000][0] == 1
    investment = [r for r in found if r["property"] == "investment_amount" and r["value"] == 4000000000]
    assert investment[0]["sources"] == 3 and investment[0]["unit"] == "EUR"


def test_verkor_2_3_jobs_are_disputed_40000_against_4000(store: KgStore) -> None:
    found = [r for r in rows(store, "disputed-figures", subject="facility/verkor-2-3")
             if r["property"] == "jobs_expected"]
    ranks = {r["value"]: r["rank"] for r in found}
    assert ranks == {"40000": RANK + "deprecated", "4000": RANK + "preferred"}
    assert any("typo" in (r["rankReason"] or "") for r in found)


def test_disputed_figures_include_the_bourbourg_inauguration_date(store: KgStore) -> None:
    found = rows(store, "disputed-figures", subject="facility/verkor-gigafactory-bourbourg")
    assert {"2025-10-30", "2025-12-11"} <= {r["value"] for r in found if r["property"] == "inaugurated"}


def test_agreeing_figures_are_not_disputed(store: KgStore) -> None:
    found = rows(store, "disputed-figures", subject="facility/verkor-2-3")
    assert "construction_start" not in {r["property"] for r in found}


def test_every_competency_query_runs_unbound(store: KgStore) -> None:
    names = sorted(p.stem for p in (Path(kg.build.__file__).parent / "queries").glob("*.rq"))
    assert len(names) >= 6
    for name in names:
        assert store.rows(name), name
