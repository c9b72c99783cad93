"""Helpers of the store, build and CLI tests: a hand-made graph, a stand-in SHACL report, tree hashes."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rdflib

from kg.config import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_ONTOLOGY = FIXTURES / "mini-ontology.ttl"
MINI_DATA = FIXTURES / "mini-data.ttl"
BASE = "https://w3id.org/eu-industrial-kg/"
ID = BASE + "id/"
EIP = "https://w3id.org/eu-industrial-kg/ontology#"


@dataclass
class FakeProblem:
    focus_node: str
    message: str
    severity: str = "Violation"
    path: str = ""
    value: str = ""
    source_shape: str = ""


@dataclass
class FakeReport:
    """Stands in for kg.validate.Report where a test is about the pipeline, not the shapes."""

    violations: list[FakeProblem] = field(default_factory=list)
    warnings: list[FakeProblem] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        problems = self.violations + self.warnings
        return "\n".join(f"{p.severity}: {p.focus_node}: {p.message}" for p in problems) or "conforms"

    def to_json(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "violations": [vars(p) for p in self.violations],
                "warnings": [vars(p) for p in self.warnings]}


def mini_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(MINI_DATA)


def mini_settings(tmp_path: Path) -> Settings:
    """Settings whose ontology is the mini ontology and whose data directory is empty."""
    ontology_dir = tmp_path / "ontology"
    ontology_dir.mkdir()
    shutil.copy(MINI_ONTOLOGY, ontology_dir / "eip.ttl")
    return Settings(data_dir=tmp_path / "data", ontology_dir=ontology_dir, curated_dir=tmp_path / "curated",
                    cache_dir=tmp_path / "cache")


def use_mini_pipeline(monkeypatch: pytest.MonkeyPatch, report: FakeReport | None = None,
                      data: rdflib.Graph | None = None) -> None:
    """Make `kg.build.build` read the mini data as curated sources and validate with ``report``."""
    import kg.build
    import kg.curated

    graph = data if data is not None else mini_graph()
    monkeypatch.setattr(kg.curated, "load_curated", lambda folder, minter: graph)
    monkeypatch.setattr(kg.build, "_validate", lambda graph, settings: report or FakeReport())
    monkeypatch.setattr(kg.build, "LINKS_DIR", FIXTURES / "no-links")


def tree_digest(root: Path) -> dict[str, str]:
    """Every file's SHA-256 and every symlink's target under ``root`` (symlinks are not followed)."""
    digest: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                digest[key] = "-> " + os.readlink(path)
            elif path.is_file():
                digest[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest
