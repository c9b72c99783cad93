"""What every importer shares: the data-set description, mapping through the curated mapping layer, validation
and the atomic write of ``<data_dir>/imports/<name>.nt``."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.config import Settings
from kg.curated.reader import read_property_rules
from kg.curated.records import Entity, Fact, Location
from kg.errors import MappingError, SourceError, ValidationFailed
from kg.mapping.claims import map_fact
from kg.mapping.context import MappingContext
from kg.mapping.entities import map_entity
from kg.namespaces import DCAT, DCTERMS, EIP, FOAF, RDF, RDFS, XSD, Minter, slugify

__all__ = [
    "IMPORTERS",
    "DatasetInfo",
    "ImportResult",
    "Records",
    "check_downloaded",
    "import_file",
    "map_records",
    "write_import",
]

RULES_FILE = Path(__file__).resolve().parent / "properties.yaml"


@dataclass(frozen=True)
class DatasetInfo:
    """The data set an import comes from.

    Attributes:
        name: short name, also the import graph's name (``import/<name>``) and file name.
        title: human title.
        publisher: who publishes it.
        landing_page: where it is described.
        version: the publisher's version (or the file's last content update when there is none).
        downloaded: when the file was downloaded.
        licence: licence IRI, when known.
    """

    name: str
    title: str
    publisher: str
    landing_page: str
    version: str
    downloaded: dt.date
    licence: str | None = None

    @property
    def slug(self) -> str:
        return slugify(f"{self.name}-{self.version}")

    @property
    def locator(self) -> str:
        """The key facts use as their ``source`` (mapped to the data set's IRI)."""
        return f"dataset:{self.slug}"


@dataclass
class Records:
    """What a reader produced: entities and facts in curated form, all sourced to one data set."""

    dataset: DatasetInfo
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    _seen: set[tuple[object, ...]] = field(default_factory=set, repr=False)

    def entity(
        self,
        entity_id: str,
        type_: str,
        name_en: str,
        *,
        cls: str | None = None,
        identifiers: dict[str, str] | None = None,
        line: int = 0,
        file: str = "",
    ) -> None:
        self.entities.append(
            Entity(
                entity_id,
                type_,
                {"en": name_en},
                identifiers or {},
                (self.dataset.locator,),
                Location(file, line),
                cls,
            )
        )

    def fact(
        self,
        subject: str,
        prop: str,
        value: object,
        *,
        line: int,
        file: str,
        unit: str | None = None,
        qualifier: str = "exact",
        scope: str | None = None,
        as_of: str | None = None,
    ) -> None:
        """Add a fact; the same statement read again (an organisation in two projects) is kept once."""
        key = (subject, prop, str(value), unit, scope, as_of)
        if key in self._seen:
            return
        self._seen.add(key)
        self.facts.append(
            Fact(
                subject,
                prop,
                value,
                qualifier,
                self.dataset.locator,
                Location(file, line),
                unit=unit,
                as_of=as_of,
                scope=scope,
            )
        )


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    name: str
    path: Path
    triples: int
    entities: int
    facts: int


def _describe(graph: Graph, minter: Minter, info: DatasetInfo) -> URIRef:
    node = minter.entity("dataset", info.slug)
    graph.add((node, RDF.type, EIP.Dataset))
    graph.add((node, RDFS.label, Literal(f"{info.title}, version {info.version}", lang="en")))
    graph.add((node, DCTERMS.title, Literal(info.title, lang="en")))
    graph.add((node, DCTERMS.identifier, Literal(info.slug)))
    graph.add((node, URIRef(str(DCAT) + "version"), Literal(info.version)))
    graph.add((node, DCTERMS.publisher, Literal(info.publisher)))
    graph.add((node, DCAT.landingPage, URIRef(info.landing_page)))
    graph.add((node, FOAF.page, URIRef(info.landing_page)))
    graph.add((node, EIP.retrievedAt, Literal(info.downloaded.isoformat(), datatype=XSD.date)))
    if info.licence:
        graph.add((node, DCTERMS.license, URIRef(info.licence)))
    return node


def map_records(records: Records, minter: Minter) -> Graph:
    """Map entities and facts with the curated mapping; the data set is every fact's source."""
    rules = read_property_rules(RULES_FILE)
    index: dict[str, Entity] = {}
    for entity in records.entities:
        index.setdefault(entity.id, entity)
    ctx = MappingContext(minter=minter, entities=index)
    source_iri = {records.dataset.locator: _describe(ctx.graph, minter, records.dataset)}
    for entity in index.values():
        map_entity(ctx, entity, source_iri)
    for fact in records.facts:
        rule = rules.get(fact.property)
        if rule is None:
            raise MappingError(
                f"import property {fact.property!r} has no rule in {RULES_FILE.name}",
                location=str(fact.location),
            )
        map_fact(ctx, fact, rule, source_iri)
    return ctx.graph


def write_import(settings: Settings, name: str, graph: Graph) -> Path:
    """Write ``<data_dir>/imports/<name>.nt`` atomically (a reader never sees half a file)."""
    folder = Path(settings.data_dir) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slugify(name)}.nt"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(graph.serialize(format="nt", encoding="utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def check_downloaded(day: dt.date) -> None:
    """Refuse a download date after today (it would be stored as when the data was retrieved)."""
    if day > dt.date.today():
        raise SourceError(f"the download date {day.isoformat()} is in the future",
                          hint="give the day the file was downloaded (--downloaded YYYY-MM-DD)")


Reader = Callable[[Path, dt.date, str | None], Records]
IMPORTERS: dict[str, Reader] = {}


def import_file(
    kind: str,
    path: Path,
    settings: Settings,
    *,
    downloaded: dt.date,
    version: str | None = None,
    validate: bool = True,
) -> ImportResult:
    """Read, map, validate and write one import.

    ``downloaded`` is the day the file was downloaded (the data set's ``eip:retrievedAt``): it is given, never
    guessed, and never in the future.

    Raises:
        SourceError: unknown kind, a download date in the future, or the file is not in the expected layout
            (file:line).
        ValidationFailed: the mapped data violates the shapes; nothing is written.
    """
    from kg.importers import cordis, eurohpc, kohesio  # noqa: F401  (register the readers)

    if kind not in IMPORTERS:
        raise SourceError(f"unknown import kind {kind!r}", hint=f"use one of {', '.join(sorted(IMPORTERS))}")
    check_downloaded(downloaded)
    records = IMPORTERS[kind](path, downloaded, version)
    graph = map_records(records, Minter(settings.base_iri))
    if validate:
        from kg.validate import validate as shacl

        report = shacl(graph, settings)
        if not report.conforms:
            raise ValidationFailed(
                f"import {kind} from {path}: {len(report.violations)} SHACL violation(s); "
                "nothing was written",
                report=report,
            )
    written = write_import(settings, records.dataset.name, graph)
    return ImportResult(records.dataset.name, written, len(graph), len(records.entities), len(records.facts))
