"""Releases of the published graph and the differences between two releases.

    make_release(settings, version) -> Release      # <data_dir>/releases/<version>/…
    diff_releases(old_graph, new_graph) -> ReleaseDiff

A release is a folder that is never rewritten (stable URLs ``/releases/<version>/<file>``):

    eu-industrial-kg.nt.gz    every triple of every named graph, N-Triples, gzip
    eu-industrial-kg.ttl      the same, Turtle
    eu-industrial-kg.jsonld   the same, JSON-LD
    catalog.ttl               DCAT-AP 3 description: a dcat:Catalog listing the release (a dcat:Dataset) and
                              its distributions (the .nt.gz with dcat:compressFormat gzip), with VoID (triples,
                              entities = IRI subjects under void:uriSpace <base>id/, classes, properties, for
                              the release and per named graph; linksets per target)

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
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
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
from kg.rdfio import RDF_SUFFIXES, rdf_format
from kg.store import KgStore
from kg.terms import to_rdflib

__all__ = [
    "DUMP_FILES",
    "GZIP",
    "Release",
    "ReleaseArgumentError",
    "ReleaseDiff",
    "diff_releases",
    "http_media_type",
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
"""Each file's content type (the catalog's dcat:mediaType; for ``.gz``, of the decompressed content)."""
GZIP = "application/gzip"
"""The .nt.gz file's dcat:compressFormat, and the Content-Type it is served with (`http_media_type`)."""
IANA = "https://www.iana.org/assignments/media-types/"
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


class ReleaseArgumentError(SourceError):
    """A release named on the command line is not a safe version, or names no release or dump file (the
    CLI's usage error, exit code 2)."""

    hint = "give a version such as 0.1.0 (letters, digits, '.', '_' and '-') or the path of a dump file"


def release_dir(settings: Settings, version: str) -> Path:
    """The folder of a release; ReleaseArgumentError for a version that is not a safe name."""
    if not _VERSION.match(version) or ".." in version:
        raise ReleaseArgumentError(f"bad release version {version!r}: letters, digits, '.', '_' and '-' only")
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


def _triple(quad: Any) -> tuple[Any, Any, Any]:
    return to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)


def http_media_type(name: str) -> str:
    """The Content-Type a release file is served with: ``application/gzip`` for the ``.gz`` dump (its bytes
    as written, so the catalog's checksum and size hold for what clients save), else its media type."""
    return GZIP if name.endswith(".gz") else DUMP_FILES[name]


def _graph_void(store: KgStore, graph_iri: str, space: str) -> dict[str, Any]:
    """VoID statistics of one named graph: entities (IRI subjects under ``space``), classes, properties."""
    rows = store.rows("release/graph-stats", g=URIRef(graph_iri), space=Literal(space))
    if not rows:
        return {"entities": 0, "classes": 0, "properties": 0}
    return {name: int(rows[0][name].value) for name in ("entities", "classes", "properties")}


def _entities_under(union: Graph, space: str) -> int:
    """Distinct IRI subjects under ``space``: void:entities, counted as `_graph_void` counts a subset's."""
    return len({s for s in union.subjects() if isinstance(s, URIRef) and str(s).startswith(space)})


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
    _add_catalog_record(catalog, URIRef(base_url), release, version, issued, publisher)
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
    space = f"{settings.base_iri}id/"
    catalog.add((release, VOID.uriSpace, Literal(space)))
    catalog.add((release, VOID.triples, Literal(len(union))))
    catalog.add((release, VOID.entities, Literal(_entities_under(union, space))))
    catalog.add((release, VOID.classes, Literal(len(set(union.objects(None, RDF.type))))))
    catalog.add((release, VOID.properties, Literal(len(set(union.predicates())))))
    catalog.add((release, VOID.sparqlEndpoint, URIRef(settings.base_iri + "sparql")))
    _add_distributions(catalog, release, base_url, files)
    _add_graph_subsets(catalog, release, graphs, store, space)
    _add_linksets(catalog, release, union)
    return catalog


def _add_distributions(catalog: Graph, release: URIRef, base_url: str,
                       files: dict[str, tuple[str, int]]) -> None:
    """A dcat:Distribution per dump file (type, size, SHA-256); the N-Triples one is the void:dataDump."""
    for name, (digest, size) in files.items():
        dist = URIRef(base_url + name)
        catalog.add((release, DCAT.distribution, dist))
        catalog.add((dist, RDF.type, DCAT.Distribution))
        catalog.add((dist, DCAT.downloadURL, dist))
        catalog.add((dist, DCAT.accessURL, URIRef(base_url)))
        catalog.add((dist, DCAT.mediaType, URIRef(IANA + DUMP_FILES[name])))
        if name.endswith(".gz"):
            catalog.add((dist, DCAT.compressFormat, URIRef(IANA + GZIP)))
        catalog.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        catalog.add((dist, DCTERMS.license, URIRef(LICENCE)))
        checksum = BNode(f"checksum-{slugify(name)}")
        catalog.add((dist, URIRef(SPDX + "checksum"), checksum))
        catalog.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        catalog.add((checksum, URIRef(SPDX + "checksumValue"), Literal(digest, datatype=XSD.hexBinary)))
        if name.endswith(".nt.gz"):
            catalog.add((release, VOID.dataDump, dist))


def _add_graph_subsets(catalog: Graph, release: URIRef, graphs: dict[str, int], store: KgStore,
                       space: str) -> None:
    """One void:subset per named graph, with its counts."""
    for graph_iri, count in sorted(graphs.items()):
        subset = URIRef(f"{release}#graph-{slugify(graph_iri.rsplit('graph/', 1)[-1])}")
        catalog.add((release, VOID.subset, subset))
        catalog.add((subset, RDF.type, VOID.Dataset))
        catalog.add((subset, RDFS.label, Literal(graph_iri.rsplit("graph/", 1)[-1], lang="en")))
        catalog.add((subset, URIRef(str(SPARQL_SD) + "name"), URIRef(graph_iri)))
        catalog.add((subset, VOID.triples, Literal(count)))
        catalog.add((subset, VOID.uriSpace, Literal(space)))
        for key, value in _graph_void(store, graph_iri, space).items():
            catalog.add((subset, VOID[key], Literal(value)))


def _add_linksets(catalog: Graph, release: URIRef, union: Graph) -> None:
    """One void:Linkset per external dataset that skos:exactMatch links point into."""
    for target, count in sorted(_linksets(union).items()):
        linkset = URIRef(f"{release}#linkset-{slugify(target)}")
        catalog.add((release, VOID.subset, linkset))
        catalog.add((linkset, RDF.type, VOID.Linkset))
        catalog.add((linkset, RDFS.label, Literal(f"links to {target}", lang="en")))
        catalog.add((linkset, VOID.linkPredicate, SKOS.exactMatch))
        catalog.add((linkset, VOID.subjectsTarget, release))
        catalog.add((linkset, VOID.objectsTarget, URIRef(LINK_TARGETS[target])))
        catalog.add((linkset, VOID.triples, Literal(count)))


def _add_catalog_record(catalog: Graph, node: URIRef, release: URIRef, version: str, issued: dt.date,
                        publisher: URIRef) -> None:
    """The dcat:Catalog (DCAT-AP's entry point) that lists the release: ``<base>releases/<version>/``, the URL
    this catalog.ttl is served at."""
    catalog.add((node, RDF.type, DCAT.Catalog))
    catalog.add((node, DCTERMS.title, Literal(f"eu-industrial-kg release {version}", lang="en")))
    catalog.add((node, DCTERMS.description, Literal(
        "Catalogue of one release of the EU industrial policy knowledge graph: the release and its dumps.",
        lang="en")))
    catalog.add((node, DCTERMS.publisher, publisher))
    catalog.add((node, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
    catalog.add((node, DCTERMS.license, URIRef(LICENCE)))
    catalog.add((node, DCAT.dataset, release))


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
    """The triples of a release, by version (under ``<data_dir>/releases``) or by path to a dump file
    (``.nt.gz``, ``.nt``, ``.ttl``, ``.jsonld``…, by extension); numeric and date literals in canonical form.

    Raises:
        ReleaseArgumentError: no such dump file, or no such (or no safe) release version.
        SourceError: the dump is damaged (syntax error at file:line:column, or a broken gzip stream).
    """
    return _canonical_graph(_parse_dump(_dump_path(settings, version_or_path)))


def _dump_path(settings: Settings, version_or_path: str) -> Path:
    path = Path(version_or_path)
    if path.is_file():
        return path
    if os.sep in version_or_path or path.suffix.lower() in (*RDF_SUFFIXES, ".gz"):
        raise ReleaseArgumentError(f"no such dump file {version_or_path}")
    dump = release_dir(settings, version_or_path) / f"{NAME}.nt.gz"
    if not dump.is_file():
        raise ReleaseArgumentError(f"no release {version_or_path} under {releases_root(settings)}",
                                   hint="`kg release VERSION` writes one; or give the path of a dump file")
    return dump


def _parse_dump(path: Path) -> Graph:
    """Parse a dump with the parser of its extension (``.gz`` decompressed first)."""
    inner = Path(path.name[:-3]) if path.name.endswith(".gz") else path
    rdf = rdf_format(inner)
    graph = Graph()
    try:
        data = gzip.decompress(path.read_bytes()) if inner != path else path.read_bytes()
        for quad in ox.parse(input=data, format=rdf):
            graph.add(_triple(quad))
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}:{exc.offset}" if exc.lineno else str(path)
        raise SourceError(f"the dump is damaged: {rdf.name} syntax error: {exc.msg}", location=where,
                          hint=_DAMAGED) from None
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise SourceError(f"the dump cannot be read: {exc}", location=str(path), hint=_DAMAGED) from None
    return graph


_DAMAGED = "download the dump again, or write the release again with `kg release VERSION --force`"
_NUMBERS = {str(XSD[t]) for t in ("decimal", "integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                  "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong",
                                  "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOATS = {str(XSD.double), str(XSD.float)}
_TIMES = {str(XSD.date), str(XSD.dateTime)}


def _canonical_graph(graph: Graph) -> Graph:
    """The graph with numeric and date literals in one lexical form per value, so the Turtle and N-Triples dumps
    of one release compare equal (``"176"^^xsd:decimal`` is ``176.0``)."""
    canonical = Graph()
    for subject, predicate, obj in graph:
        canonical.add((subject, predicate, _canonical(obj) if isinstance(obj, Literal) else obj))
    return canonical


def _canonical(literal: Literal) -> Literal:
    datatype = str(literal.datatype or "")
    try:
        if datatype in _NUMBERS:
            value = Decimal(str(literal).strip())
            text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
        elif datatype in _FLOATS:
            text = repr(float(str(literal).strip()))
        elif datatype in _TIMES and literal.toPython() is not literal:
            text = literal.toPython().isoformat()
        else:
            return literal
    except (InvalidOperation, ValueError):
        return literal  # an ill-typed literal is compared as written
    return Literal(text, datatype=literal.datatype)


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
