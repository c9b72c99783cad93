"""Shared tools of the reliability tests: fingerprints of the published store, `kg` subprocesses, hostile data.

``fingerprint(data_dir)`` is what "nothing lost" means here: where ``current`` points and the SHA-256 of every
file of the store it points at (plus its manifest). A failed or killed command must leave it equal.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from kg.config import PROJECT_ROOT, Settings
from kg.namespaces import Minter

EIP = rdflib.Namespace("https://w3id.org/eu-industrial-kg/ontology#")

HOSTILE_LABELS = {
    "script": "<script>alert('x')</script> & \"quoted\" 'single'",
    "rtl": "\u202eevil\u202c שלום مرحبا",
    "newline": "first line\nsecond \"line\"\r\nthird\ttab \\ backslash",
    "emoji": "Gigafactory 🔋⚡ 電池工場 Гигафабрика Γιγαεργοστάσιο",
    "formula": "=HYPERLINK(\"http://evil.example/\",\"click\")",
}
"""Labels a curator (or an attacker with a pull request) could write; every output must carry them safely."""


def fingerprint(data_dir: Path) -> dict[str, str]:
    """Where ``current`` points, and the SHA-256 of every file of that store and of its manifest."""
    link = data_dir / "current"
    target = (data_dir / os.readlink(link)).resolve()
    digest = {"current ->": os.readlink(link)}
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        digest[str(path.relative_to(target))] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = target.with_name(target.name + ".json")
    if manifest.exists():
        digest["<manifest>"] = hashlib.sha256(manifest.read_bytes()).hexdigest()
    return digest


def kg_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a `kg` subprocess using ``settings``' data and curated directories."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_DATA_DIR": str(settings.data_dir), "KG_CURATED_DIR": str(settings.curated_dir),
                "PYTHONPATH": str(PROJECT_ROOT), "PYTHONUNBUFFERED": "1", **extra})
    return env


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli.app", *args]


def run_kg(settings: Settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `kg ARGS` to completion in a fresh interpreter."""
    return subprocess.run(kg_command(*args), env=kg_env(settings), cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def kill_when(settings: Settings, args: list[str], ready: Callable[[str], bool] | None, *,
              delay_s: float = 0.0, timeout: float = 120) -> tuple[int, str]:
    """Start `kg ARGS` and SIGKILL it ``delay_s`` seconds after a stderr line satisfies ``ready``
    (``ready=None``: ``delay_s`` seconds after the start).

    Returns:
        the return code (negative: killed by a signal; 0 or positive: it ended first) and the stderr read.
    """
    process = subprocess.Popen(kg_command(*args), env=kg_env(settings), cwd=PROJECT_ROOT,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        assert process.stderr is not None
        if ready is not None:
            for line in process.stderr:
                seen.append(line)
                if ready(line) or time.monotonic() > deadline:
                    break
        time.sleep(delay_s)
        process.kill()
        return process.wait(timeout=30), "".join(seen)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def publish_graph(data_dir: Path, graph: rdflib.Graph, graph_iri: str, build_id: str) -> Path:
    """Publish ``graph`` as the store ``build_id`` of ``data_dir`` through kg.store (as a build does)."""
    from kg.store import publish, write_store

    settings = Settings(data_dir=data_dir)
    return publish(settings, write_store(settings, build_id, {graph_iri: [graph]}))


def hostile_graph(minter: Minter) -> rdflib.Graph:
    """One company per hostile label (``company/hostile-<key>``), typed and labelled as the model says."""
    graph = rdflib.Graph()
    for key, label in HOSTILE_LABELS.items():
        node = minter.entity("company", f"hostile-{key}")
        graph.add((node, RDF.type, EIP.Company))
        graph.add((node, RDFS.label, rdflib.Literal(label, lang="en")))
        graph.add((node, SKOS.altLabel, rdflib.Literal(label)))
        graph.add((node, rdflib.URIRef("http://purl.org/dc/terms/identifier"), rdflib.Literal(f"hostile-{key}")))
    return graph
