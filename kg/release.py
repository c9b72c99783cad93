"""Releases of the published graph and the differences between two releases.

    make_release(settings, version) -> Release      # <data_dir>/releases/<version>/…
    diff_releases(old_graph, new_graph) -> ReleaseDiff

A release is a folder that is never rewritten (stable URLs ``/releases/<version>/<file>``):

    eu-industrial-kg.nt.gz    every triple of every named graph, N-Triples, gzip
    eu-industrial-kg.ttl      the same, Turtle
    eu-industrial-kg.jsonld   the same, JSON-LD
    catalog.ttl               DCAT-AP 3 description of the release and its distributions, with VoID
                              (triples, entities, classes, properties per named graph; linksets per target)

The diff compares facts (claim nodes) by what they are about, not by IRI (a claim's IRI digests its value, so
a
changed value is a new IRI): key = subject, source property, source, as-of date and scope.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg.config import Settings
from kg.errors import SourceError, StoreError
from kg.namespaces import (
    ADMS,
    DCAT,
    DCTERMS,
    EIP,
    FOAF,
    NUTS,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    WD,
    XSD,
    Minter,
    slugify,
)
from kg.store import KgStore

__all__ = [
    "DUMP_FILES",
    "Release",
    "ReleaseDiff",
    "diff_releases",
    "load_release_graph",
    "make_release",
    "release_dir",
    "releases_root",
]

NAME = "eu-industrial-kg"
DUMP_FILES = {
    f"{NAME}.nt.gz": "application/n-triples",
    f"{NAME}.ttl": "text/turtle",
    f"{NAME}.jsonld": "application/ld+json",
    "catalog.ttl": "text/turtle",
}
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SPDX = "http://spdx.org/rdf/terms#"
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
SPARQL_SD = "http://www.w3.org/ns/sparql-service-description#"
LINK_TARGETS = {
    "Wikidata": str(WD),
    "GeoNames": "https://sws.geonames.org/",
    "NUTS": str(NUTS),
    "LEI": "https://lei.info/",
}


def releases_root(settings: Settings) -> Path:
    return Path(settings.data_dir) / "releases"


def release_dir(settings: Settings, version: str) -> Path:
    """The folder of a release; SourceError for a version that is not a safe name."""
    if not _VERSION.match(version) or ".." in version:
        raise SourceError(f"bad release version {version!r}: letters, digits, '.', '_' and '-' only")
    return releases_root(settings) / version


@dataclass(frozen=True)
class Release:
    """A written release: its folder, version and counts."""

    version: str
    path: Path
    triples: int
    graphs: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # name → sha256


def _dataset(store: KgStore) -> tuple[Graph, dict[str, int]]:
    """All triples of the store (union of the named graphs) and the triple count of each named graph."""
    union = Graph()
    for quad in store.raw.quads_for_pattern(None, None, None, None):
        union.add(_triple(quad))
    return union, {str(k): v for k, v in store.graph_counts().items()}


def _term(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _triple(quad: Any) -> tuple[Any, Any, Any]:
    return _term(quad.subject), _term(quad.predicate), _term(quad.object)


def _graph_void(store: KgStore, graph_iri: str) -> dict[str, Any]:
    """VoID statistics of one named graph: distinct subjects, classes and properties."""
    rows = store.rows("release/graph-stats", g=URIRef(graph_iri))
    if not rows:
        return {"entities": 0, "classes": 0, "properties": 0}
    return {name: int(rows[0][name].value) for name in ("entities", "classes", "properties")}


def _linksets(union: Graph) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for obj in union.objects(None, SKOS.exactMatch):
        for name, namespace in LINK_TARGETS.items():
            if str(obj).startswith(namespace):
                counts[name] += 1
    return dict(counts)


def _catalog(
    settings: Settings,
    version: str,
    issued: dt.date,
    union: Graph,
    graphs: dict[str, int],
    store: KgStore,
    files: dict[str, tuple[str, int]],
) -> Graph:
    """DCAT-AP 3 + VoID description of a release."""
    minter = Minter(settings.base_iri)
    catalog = Graph()
    for prefix, namespace in {**PREFIXES, "spdx": SPDX}.items():
        catalog.bind(prefix, namespace)
    release = minter.entity("release", slugify(version))
    base_url = f"{settings.base_iri}releases/{version}/"
    publisher = URIRef(settings.base_iri)
    catalog.add((publisher, RDF.type, FOAF.Agent))
    catalog.add((publisher, FOAF.name, Literal("eu-industrial-kg", lang="en")))
    for cls in (DCAT.Dataset, VOID.Dataset):
        catalog.add((release, RDF.type, cls))
    catalog.add(
        (
            release,
            DCTERMS.title,
            Literal(f"EU industrial policy knowledge graph, release {version}", lang="en"),
        )
    )
    catalog.add(
        (
            release,
            DCTERMS.description,
            Literal(
                "Curated facts on EU industrial-policy programmes, funds, companies, facilities and places, "
                "as claim nodes "
                "with sources, plus links to external datasets and imported open data.",
                lang="en",
            ),
        )
    )
    catalog.add((release, DCTERMS.identifier, Literal(slugify(version))))
    catalog.add((release, URIRef(str(DCAT) + "version"), Literal(version)))
    catalog.add((release, OWL.versionInfo, Literal(version)))
    catalog.add((release, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
    catalog.add((release, DCTERMS.license, URIRef(LICENCE)))
    catalog.add((release, DCTERMS.publisher, publisher))
    catalog.add((release, VOID.triples, Literal(len(union))))
    catalog.add((release, VOID.entities, Literal(len(set(union.subjects(DCTERMS.identifier, None))))))
    catalog.add((release, VOID.classes, Literal(len(set(union.objects(None, RDF.type))))))
    catalog.add((release, VOID.properties, Literal(len(set(union.predicates())))))
    catalog.add((release, VOID.sparqlEndpoint, URIRef(settings.base_iri + "sparql")))
    for name, (digest, size) in files.items():
        dist = URIRef(base_url + name)
        catalog.add((release, DCAT.distribution, dist))
        catalog.add((dist, RDF.type, DCAT.Distribution))
        catalog.add((dist, DCAT.downloadURL, dist))
        catalog.add((dist, DCAT.accessURL, URIRef(base_url)))
        catalog.add(
            (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{DUMP_FILES[name]}"))
        )
        catalog.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        catalog.add((dist, DCTERMS.license, URIRef(LICENCE)))
        checksum = BNode(f"checksum-{slugify(name)}")
        catalog.add((dist, URIRef(SPDX + "checksum"), checksum))
        catalog.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        catalog.add((checksum, URIRef(SPDX + "checksumValue"), Literal(digest, datatype=XSD.hexBinary)))
        if name.endswith(".nt.gz"):
            catalog.add((release, VOID.dataDump, dist))
    for graph_iri, count in sorted(graphs.items()):
        subset = URIRef(f"{release}#graph-{slugify(graph_iri.rsplit('graph/', 1)[-1])}")
        catalog.add((release, VOID.subset, subset))
        catalog.add((subset, RDF.type, VOID.Dataset))
        catalog.add((subset, RDFS.label, Literal(graph_iri.rsplit("graph/", 1)[-1], lang="en")))
        catalog.add((subset, URIRef(str(SPARQL_SD) + "name"), URIRef(graph_iri)))
        catalog.add((subset, VOID.triples, Literal(count)))
        for key, value in _graph_void(store, graph_iri).items():
            catalog.add((subset, VOID[key], Literal(value)))
    for target, count in sorted(_linksets(union).items()):
        linkset = URIRef(f"{release}#linkset-{slugify(target)}")
        catalog.add((release, VOID.subset, linkset))
        catalog.add((linkset, RDF.type, VOID.Linkset))
        catalog.add((linkset, RDFS.label, Literal(f"links to {target}", lang="en")))
        catalog.add((linkset, VOID.linkPredicate, SKOS.exactMatch))
        catalog.add((linkset, VOID.subjectsTarget, release))
        catalog.add((linkset, VOID.objectsTarget, URIRef(LINK_TARGETS[target])))
        catalog.add((linkset, VOID.triples, Literal(count)))
    return catalog


def _write_bytes(path: Path, data: bytes) -> tuple[str, int]:
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest(), len(data)


def make_release(
    settings: Settings, version: str, *, issued: dt.date | None = None, force: bool = False
) -> Release:
    """Dump the published store as release ``version`` (N-Triples gzip, Turtle, JSON-LD, DCAT-AP/VoID).

    Raises:
        SourceError: the version is not a safe name, or the release exists (releases are immutable; ``force``
            replaces it, for tests and mistakes caught before anyone downloaded it).
        StoreError: nothing is published.
    """
    target = release_dir(settings, version)
    if target.exists() and not force:
        raise SourceError(
            f"release {version} already exists at {target}",
            hint="releases are immutable: choose a new version",
        )
    store = KgStore.open_published(settings)
    union, graphs = _dataset(store)
    if not len(union):
        raise StoreError("the published store is empty", hint="run `kg build` first")
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=target.parent))
    try:
        files = {
            f"{NAME}.nt.gz": _write_bytes(
                staging / f"{NAME}.nt.gz",
                gzip.compress(union.serialize(format="nt", encoding="utf-8"), mtime=0),
            ),
            f"{NAME}.ttl": _write_bytes(
                staging / f"{NAME}.ttl", union.serialize(format="turtle", encoding="utf-8")
            ),
            f"{NAME}.jsonld": _write_bytes(
                staging / f"{NAME}.jsonld",
                union.serialize(
                    format="json-ld", encoding="utf-8", context={k: v for k, v in PREFIXES.items()}
                ),
            ),
        }
        catalog = _catalog(settings, version, issued or dt.date.today(), union, graphs, store, files)
        files["catalog.ttl"] = _write_bytes(
            staging / "catalog.ttl", catalog.serialize(format="turtle", encoding="utf-8")
        )
        (staging / "manifest.json").write_text(
            json.dumps(
                {
                    "version": version,
                    "triples": len(union),
                    "graphs": graphs,
                    "files": {name: {"sha256": d, "bytes": s} for name, (d, s) in files.items()},
                },
                indent=2,
            )
        )
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Release(version, target, len(union), graphs, {n: d for n, (d, _) in files.items()})


def load_release_graph(settings: Settings, version_or_path: str) -> Graph:
    """The triples of a release, by version (under ``<data_dir>/releases``) or by path to a dump file."""
    path = Path(version_or_path)
    if not path.is_file():
        path = release_dir(settings, version_or_path) / f"{NAME}.nt.gz"
    if not path.is_file():
        raise SourceError(f"no release dump {path}", hint="`kg release VERSION` writes one")
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    fmt = "nt" if ".nt" in path.name else "turtle"
    return Graph().parse(data=data, format=fmt)


# ------------------------------------------------------------------------------------------------ diff


@dataclass(frozen=True)
class ReleaseDiff:
    """What changed between two releases."""

    triples_added: int
    triples_removed: int
    entities_added: list[str]
    entities_removed: list[str]
    facts_added: list[dict[str, Any]]
    facts_removed: list[dict[str, Any]]
    facts_changed: list[dict[str, Any]]
    links_added: list[dict[str, str]]
    links_removed: list[dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "triples": {"added": self.triples_added, "removed": self.triples_removed},
            "entities": {"added": self.entities_added, "removed": self.entities_removed},
            "facts": {
                "added": self.facts_added,
                "removed": self.facts_removed,
                "changed": self.facts_changed,
            },
            "links": {"added": self.links_added, "removed": self.links_removed},
        }

    def text(self) -> str:
        lines = [
            f"triples: +{self.triples_added} -{self.triples_removed}",
            f"entities: +{len(self.entities_added)} -{len(self.entities_removed)}",
            f"facts: +{len(self.facts_added)} -{len(self.facts_removed)} ~{len(self.facts_changed)}",
            f"links: +{len(self.links_added)} -{len(self.links_removed)}",
        ]
        lines += [f"+ fact {f['subject']} {f['property']} = {f['value']}" for f in self.facts_added]
        lines += [f"- fact {f['subject']} {f['property']} = {f['value']}" for f in self.facts_removed]
        lines += [
            f"~ fact {f['subject']} {f['property']}: {f['old']} -> {f['new']}" for f in self.facts_changed
        ]
        lines += [f"+ link {k['entity']} {k['scheme']} {k['notation']}" for k in self.links_added]
        lines += [f"- link {k['entity']} {k['scheme']} {k['notation']}" for k in self.links_removed]
        return "\n".join(lines)


_VALUE_PATHS = (
    EIP.jobs,
    EIP.minJobs,
    EIP.maxJobs,
    EIP.quantity,
    EIP.earliest,
    EIP.latest,
    EIP.object,
    EIP.value,
)


def _value(graph: Graph, claim: Any) -> str:
    """A readable value of a claim: amount, currency, jobs, quantity, dates, value, qualifier, rank."""
    parts = []
    amount = graph.value(claim, EIP.amount)
    if amount is not None:
        for prop in (
            URIRef("https://schema.org/value"),
            URIRef("https://schema.org/minValue"),
            URIRef("https://schema.org/maxValue"),
            URIRef("https://schema.org/currency"),
        ):
            for obj in graph.objects(amount, prop):
                parts.append(str(obj))
    for prop in _VALUE_PATHS:
        parts += [str(o) for o in sorted(graph.objects(claim, prop))]
    for prop in (EIP.qualifier, EIP.rank):
        obj = graph.value(claim, prop)
        if obj is not None:
            parts.append(str(obj).rsplit("/", 1)[-1])
    return " ".join(parts)


def _claims(graph: Graph) -> dict[tuple[str, ...], set[str]]:
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for claim, prop in graph.subject_objects(EIP.sourceProperty):
        sources = ",".join(sorted(str(s) for s in graph.objects(claim, PROV.wasDerivedFrom)))
        key = (
            str(graph.value(claim, EIP.subject)),
            str(prop),
            sources,
            str(graph.value(claim, EIP.asOf) or ""),
            str(graph.value(claim, EIP.scope) or ""),
        )
        found[key].add(_value(graph, claim))
    return found


def _entities(graph: Graph) -> set[str]:
    return {
        str(s)
        for s in graph.subjects(DCTERMS.identifier, None)
        if any(str(t).startswith(str(EIP)) for t in graph.objects(s, RDF.type))
    }


def _links(graph: Graph) -> set[tuple[str, str, str]]:
    return {
        (
            str(entity),
            str(graph.value(node, DCTERMS.conformsTo) or "").rsplit("/", 1)[-1],
            str(graph.value(node, SKOS.notation) or ""),
        )
        for entity, node in graph.subject_objects(ADMS.identifier)
    }


def diff_releases(old: Graph, new: Graph) -> ReleaseDiff:
    """Facts, entities, links and triples added, removed or changed from ``old`` to ``new``."""
    old_claims, new_claims = _claims(old), _claims(new)

    def fact(key: tuple[str, ...], value: str | None) -> dict[str, Any]:
        return {
            "subject": key[0],
            "property": key[1],
            "source": key[2],
            "as_of": key[3],
            "scope": key[4],
            "value": value,
        }

    added = [fact(k, v) for k in sorted(new_claims.keys() - old_claims.keys()) for v in sorted(new_claims[k])]
    removed = [
        fact(k, v) for k in sorted(old_claims.keys() - new_claims.keys()) for v in sorted(old_claims[k])
    ]
    changed = [
        {**fact(k, None), "old": sorted(old_claims[k]), "new": sorted(new_claims[k])}
        for k in sorted(old_claims.keys() & new_claims.keys())
        if old_claims[k] != new_claims[k]
    ]
    for item in changed:
        item.pop("value")
    old_links, new_links = _links(old), _links(new)
    as_link = lambda t: {"entity": t[0], "scheme": t[1], "notation": t[2]}  # noqa: E731
    return ReleaseDiff(
        triples_added=len(new - old),
        triples_removed=len(old - new),
        entities_added=sorted(_entities(new) - _entities(old)),
        entities_removed=sorted(_entities(old) - _entities(new)),
        facts_added=added,
        facts_removed=removed,
        facts_changed=changed,
        links_added=[as_link(t) for t in sorted(new_links - old_links)],
        links_removed=[as_link(t) for t in sorted(old_links - new_links)],
    )
