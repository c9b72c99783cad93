"""Damaged curated sources: `kg build` exits non-zero naming file:line (or entity), property and rule, and the
published store is byte-for-byte unchanged."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli.app import app
from kg.config import PACKAGE_DIR
from tests.reliability.helpers import fingerprint

CURATED = PACKAGE_DIR / "data" / "curated"
SEED = "seed:000_242ea7bbb8ab9189.txt"

Damage = Callable[[Path], None]


def _replace(old: str, new: str) -> Damage:
    def damage(facts: Path) -> None:
        text = facts.read_text(encoding="utf-8")
        assert old in text, f"the curated data changed: {old!r} is gone; update this test"
        facts.write_text(text.replace(old, new, 1), encoding="utf-8")

    return damage


def _truncate(facts: Path) -> None:
    text = facts.read_text(encoding="utf-8")
    cut = text.index("value: '2025-04-09'") + len("value: '2025-04")
    facts.write_text(text[:cut], encoding="utf-8")


def _latin1(facts: Path) -> None:
    facts.write_bytes(facts.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def _bom_and_nul(facts: Path) -> None:
    facts.write_bytes(facts.read_bytes().replace(b"entities:\n", b"entities:\n\x00\n", 1))


DUPLICATE = f"entities:\n- id: investai\n  type: Initiative\n  name_en: InvestAI again\n  identifiers: {{}}\n  sources:\n  - {SEED}\n"
CYCLE = (f"facts:\n- subject: ai-continent-action-plan\n  property: part_of\n  value: ai-gigafactories\n"
         f"  unit: entity-id\n  qualifier: exact\n  as_of: '2025'\n  source: {SEED}\n")

CASES: dict[str, tuple[Damage, list[str]]] = {
    "truncated": (_truncate, ["facts.yaml:", "YAML"]),
    "wrong-encoding": (_latin1, ["facts.yaml", "UTF-8", "byte"]),
    "nul-byte": (_bom_and_nul, ["facts.yaml"]),
    "duplicate-id": (_replace("entities:\n", DUPLICATE), ["facts.yaml:", "duplicate", "investai"]),
    "dangling-reference": (_replace("  property: launched_by\n  value: european-commission",
                                    "  property: launched_by\n  value: no-such-entity"),
                           ["facts.yaml:", "launched_by", "no-such-entity", "rule"]),
    "cycle": (_replace("facts:\n", CYCLE), ["facts.yaml:", "cycle", "ai-gigafactories", "rule"]),
    "negative-amount": (_replace("value: 20000000000", "value: -20000000000"),
                        ["investai", "schema:value", "MonetaryAmount-value", "-20000000000"]),
    "impossible-date": (_replace("value: '2025-04-09'", "value: '2025-02-30'"),
                        ["facts.yaml:", "launched_on", "2025-02-30", "impossible"]),
    "impossible-as-of": (_replace("  as_of: '2025'\n  source: seed:000_242ea7bbb8ab9189.txt\n  source_date: '2025'\n"
                                  "  note: seed says", "  as_of: '2025-13'\n  source: seed:000_242ea7bbb8ab9189.txt\n"
                                  "  source_date: '2025'\n  note: seed says"),
                         ["facts.yaml:", "as_of", "2025-13"]),
    "unknown-property": (_replace("  property: launched_by\n", "  property: launched_by_aliens\n"),
                         ["facts.yaml:", "launched_by_aliens"]),
}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A data directory with a small published store (what a previous good build left)."""
    from kg.config import Settings
    from kg.store import StagedStore, publish

    data_dir = tmp_path / "data"
    staging = data_dir / "stores" / ".building-previous-0"
    staging.parent.mkdir(parents=True)
    store = ox.Store(str(staging))
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("published before"),
                      ox.NamedNode("urn:x:g")))
    store.flush()
    del store
    publish(Settings(data_dir=data_dir), StagedStore("previous", staging, {"urn:x:g": 1}))
    return data_dir


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_with_damaged_source_fails_naming_it_and_keeps_the_store(tmp_path: Path, published: Path,
                                                                     name: str) -> None:
    damage, expected = CASES[name]
    curated = tmp_path / "curated"
    shutil.copytree(CURATED, curated)
    damage(curated / "facts.yaml")
    before = fingerprint(published)
    result = CliRunner().invoke(app, ["build", "-q"], env={"KG_CURATED_DIR": str(curated),
                                                           "KG_DATA_DIR": str(published)})
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error:", "Violation"))]
    assert errors, result.stderr[-2000:]
    for word in expected:
        assert word in "\n".join(errors), (word, errors)
    assert "hint:" in result.stderr
    assert fingerprint(published) == before
    assert not [p for p in (published / "stores").iterdir() if p.name.startswith(".building-")]
