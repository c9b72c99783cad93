"""The build: curated sources → ontology → inferences → validation → a new store → publication.

    build(settings, progress) -> BuildResult

1. ``load_curated`` maps the curated YAML to triples (graph ``curated``);
2. ``ontology/*.ttl`` is read (graph ``ontology``);
3. extra graphs are collected (`extra_graph_files`: ``kg/data/links/*`` → ``links``,
   ``<data_dir>/imports/<name>.*`` → ``import/<name>``);
4. the rules of ``kg/queries/inference`` run to a fixpoint over ontology + curated + links + imports
   (graph ``inferred``, which also holds what is inferred from the imports);
5. SHACL validation of curated + links + imports + inferred, the ontology as ``ont_graph``: any violation
   raises ValidationFailed (naming the import graphs and files of the entities at fault) and nothing is
   written; warnings are carried in the result;
5b. totals per programme, country and company (kg/aggregates.py, graph ``aggregates``);
6. a new store is written, checked, and published atomically (see kg/store.py); each import keeps its own
   graph ``import/<name>``, loaded from its files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
from rdflib import URIRef

from kg.aggregates import aggregates_graph
from kg.config import PACKAGE_DIR, Settings
from kg.errors import SourceError, ValidationFailed
from kg.inference import InferenceResult, materialise
from kg.namespaces import Minter
from kg.ontology import load_ontology_graph
from kg.rdfio import RDF_SUFFIXES, read_rdf, read_rdf_files
from kg.store import GraphContent, new_build_id, publish, write_store

__all__ = [
    "LINKS_DIR", "BuildResult", "CheckResult", "Progress", "build", "check_data", "extra_graph_files",
    "read_inputs",
]

YAML_SUFFIXES = (".yaml", ".yml")
PROPERTIES_FILE = "properties.yaml"

LINKS_DIR = PACKAGE_DIR / "data" / "links"

Progress = Callable[[str], None]
"""Receives one human-readable line per build step (the CLI prints them on stderr)."""


@dataclass(frozen=True)
class BuildResult:
    """What a successful build published."""

    build_id: str
    path: Path
    triples: dict[str, int]
    warnings: list[Any] = field(default_factory=list)
    inferred_per_rule: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.triples.values())

    def to_json(self) -> dict[str, Any]:
        return {"build_id": self.build_id, "path": str(self.path), "triples": self.triples,
                "total": self.total, "warnings": len(self.warnings),
                "inferred_per_rule": self.inferred_per_rule,
                "duration_s": self.duration_s}


@dataclass(frozen=True)
class CheckResult:
    """Inferences and the validation report of a data graph (what `build` checks before writing)."""

    inferred: InferenceResult
    report: Any  # kg.validate.Report


class _Clock:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress or (lambda line: None)
        self.started = time.monotonic()

    @property
    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def step(self, name: str, detail: str) -> None:
        self.progress(f"[{self.elapsed:7.2f}s] {name:<10} {detail}")


def extra_graph_files(settings: Settings, links_dir: Path | None = None) -> dict[str, list[Path]]:
    """The extra graphs of a build and their files, by short graph name.

    ``<links_dir>/*.{ttl,nt,…}`` (default ``kg/data/links``) → ``links``;
    ``<data_dir>/imports/<name>.<ext>`` → ``import/<name>``. The linking and import helpers only have to
    write files there.
    """
    found: dict[str, list[Path]] = {}
    links = _rdf_files(links_dir or LINKS_DIR)
    if links:
        found["links"] = links
    for path in _rdf_files(Path(settings.data_dir) / "imports"):
        found.setdefault(f"import/{path.stem}", []).append(path)
    return found


def _rdf_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in RDF_SUFFIXES)


def check_data(settings: Settings, data: rdflib.Graph, ontology: rdflib.Graph | None = None,
               progress: Progress | None = None) -> CheckResult:
    """Materialise the inferences over ``data`` and validate data + inferences against the shapes."""
    return _check(settings, data, ontology, _Clock(progress))


def _check(settings: Settings, data: rdflib.Graph, ontology: rdflib.Graph | None,
           clock: _Clock) -> CheckResult:
    ontology = load_ontology_graph(settings) if ontology is None else ontology
    inferred = materialise([ontology, data])
    clock.step("inferred", f"{len(inferred.graph)} triples in {inferred.rounds} rounds {inferred.per_rule}")
    report = _validate(data + inferred.graph, settings)
    clock.step("validated", f"{len(report.violations)} violations, {len(report.warnings)} warnings")
    return CheckResult(inferred, report)


def read_inputs(paths: Sequence[Path], settings: Settings) -> rdflib.Graph:
    """One data graph from RDF files, curated YAML files and directories holding either.

    A YAML file is read with the curated directory it sits in (next to its ``properties.yaml``); a directory
    contributes its curated YAML (when it holds ``properties.yaml``) and its RDF files.

    Raises:
        SourceError / MappingError: naming file and line.
    """
    from kg.curated import load_curated
    from kg.curated.yamlfile import read_yaml

    minter, data = Minter(settings.base_iri), rdflib.Graph()
    curated_dirs: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceError("no such file or directory", location=str(path))
        if path.is_dir():
            curated_dirs += [path] if (path / PROPERTIES_FILE).is_file() else []
            read_rdf_files(_rdf_files(path), data)
        elif path.suffix.lower() in YAML_SUFFIXES:
            read_yaml(path)  # a syntax error names this file and line before anything else runs
            if not (path.parent / PROPERTIES_FILE).is_file():
                raise SourceError(f"a curated YAML file must sit next to its {PROPERTIES_FILE}",
                                  location=str(path), hint="give the curated directory instead")
            curated_dirs.append(path.parent)
        else:
            read_rdf(path, data)
    for folder in dict.fromkeys(p.resolve() for p in curated_dirs):
        data += load_curated(folder, minter)
    return data


def _validate(data: rdflib.Graph, settings: Settings) -> Any:
    from kg.validate import validate  # written alongside; imported late so the build module loads without it

    return validate(data, settings)


def build(settings: Settings, progress: Progress | None = None, *,
          links_dir: Path | None = None) -> BuildResult:
    """Build the graph from the sources and publish it as the new ``current`` store.

    Raises:
        SourceError / MappingError: a curated or RDF file is wrong (file:line, entity, property, rule).
        ValidationFailed: SHACL violations; ``.report`` holds them; nothing was written.
        StoreError: the store could not be written or published; ``current`` is unchanged.
    """
    clock, minter = _Clock(progress), Minter(settings.base_iri)
    curated, ontology, links, imports = _read_sources(settings, minter, links_dir, clock)
    imported = {name: read_rdf_files(files) for name, files in imports.items()}
    checked = _check(settings, _union(curated, links, *imported.values()), ontology, clock)
    if not checked.report.conforms:
        raise ValidationFailed(f"{len(checked.report.violations)} SHACL violation(s)"
                               f"{_import_origins(checked.report, imports, imported)}; nothing was published",
                               report=checked.report)
    aggregates = aggregates_graph([ontology, curated, links, checked.inferred.graph])
    clock.step("aggregated", f"{len(aggregates)} triples of totals per programme, country and company")
    graphs: dict[str, Sequence[GraphContent]] = {
        minter.graph("ontology"): [ontology], minter.graph("curated"): [curated],
        minter.graph("inferred"): [checked.inferred.graph], minter.graph("links"): [links],
        minter.graph("aggregates"): [aggregates],
        **{minter.graph(name): files for name, files in imports.items()},
    }
    build_id = new_build_id()
    staged = write_store(settings, build_id, graphs)
    clock.step("stored", f"{sum(staged.triples.values())} quads in {len(staged.triples)} graphs")
    triples = {_short(minter, iri): n for iri, n in staged.triples.items()}
    manifest = BuildResult(build_id, staged.path, triples, list(checked.report.warnings),
                           checked.inferred.per_rule, clock.elapsed).to_json()
    path = publish(settings, staged, {k: v for k, v in manifest.items() if k != "path"})
    clock.step("published", f"{build_id} → {path}")
    return BuildResult(build_id, path, triples, list(checked.report.warnings), checked.inferred.per_rule,
                       clock.elapsed)


def _read_sources(settings: Settings, minter: Minter, links_dir: Path | None,
                  clock: _Clock) -> tuple[rdflib.Graph, rdflib.Graph, rdflib.Graph, dict[str, list[Path]]]:
    """Curated triples, ontology, links graph and the import files by graph name."""
    from kg.curated import load_curated  # the curated loader pulls in the mapping layer

    curated = load_curated(Path(settings.curated_dir), minter)
    clock.step("curated", f"{len(curated)} triples from {settings.curated_dir}")
    ontology = load_ontology_graph(settings)
    clock.step("ontology", f"{len(ontology)} triples from {settings.ontology_dir}")
    imports = extra_graph_files(settings, links_dir)
    links = read_rdf_files(imports.pop("links", []))
    clock.step("extra", f"links {len(links)} triples; imports: {', '.join(imports) or 'none'}")
    return curated, ontology, links, imports


def _union(*graphs: rdflib.Graph) -> rdflib.Graph:
    """One new graph holding the triples of every given graph."""
    union = rdflib.Graph()
    for graph in graphs:
        union += graph
    return union


def _import_origins(report: Any, files: dict[str, list[Path]], graphs: dict[str, rdflib.Graph]) -> str:
    """`` in import/<name> (<files>): N entities, …`` for the import graphs describing an entity at fault."""
    at_fault = {problem.focus_node for problem in report.violations}
    found = []
    for name, graph in graphs.items():
        hits = sum(1 for node in at_fault if (URIRef(node), None, None) in graph)
        if hits:
            found.append(f"{name} ({', '.join(map(str, files[name]))}): {hits} "
                         f"entit{'y' if hits == 1 else 'ies'}")
    return f" in {'; '.join(found)}" if found else ""


def _short(minter: Minter, graph_iri: str) -> str:
    prefix = str(minter.graph(""))
    return graph_iri[len(prefix):] if graph_iri.startswith(prefix) else graph_iri
