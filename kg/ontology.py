"""The ontology: loading it (rdflib) and checking it with the HermiT reasoner (owlready2, Java).

This is the only module that imports owlready2, and only inside `check_consistency`, so the rest of kg and the
API never pay for it. rdflib stays the source of truth: owlready2 gets an N-Triples copy written by rdflib,
holding the TBox (``ontology/*.ttl``) and optionally the ABox of the published graph, filtered to what an OWL
reasoner can take (typed individuals, object/data property assertions that fit the declared property kind).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import rdflib
from rdflib import BNode, Literal, URIRef

from kg.config import Settings
from kg.errors import KgError, StoreError
from kg.namespaces import OWL, RDF
from kg.rdfio import read_rdf
from kg.terms import triples_to_graph

__all__ = [
    "ConsistencyResult", "abox_for_reasoner", "check_consistency", "load_ontology_graph", "ontology_files",
]

_ABOX_GRAPHS = ("curated", "inferred", "links")


def ontology_files(settings: Settings) -> list[Path]:
    """The Turtle files of the ontology (``<ontology_dir>/*.ttl``), sorted."""
    return sorted(Path(settings.ontology_dir).glob("*.ttl"))


def load_ontology_graph(settings: Settings) -> rdflib.Graph:
    """The ontology and its concept schemes as one rdflib graph.

    Raises:
        SourceError: a file has a syntax error (file:line).
        KgError: the ontology directory has no Turtle file.
    """
    files = ontology_files(settings)
    if not files:
        raise KgError(f"no ontology found: {settings.ontology_dir} has no *.ttl file",
                      hint="set KG_ONTOLOGY_DIR to the folder holding eip.ttl")
    graph = rdflib.Graph()
    for path in files:
        read_rdf(path, graph)
    return graph


@dataclass(frozen=True)
class ConsistencyResult:
    """What HermiT said about the ontology (and data)."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    tbox_triples: int = 0
    abox_triples: int = 0
    abox_skipped: int = 0
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def text(self) -> str:
        lines = [f"consistent: {'yes' if self.consistent else 'NO'}",
                 f"unsatisfiable classes: {len(self.unsatisfiable)}"]
        lines += [f"  {iri}" for iri in self.unsatisfiable]
        lines.append(f"checked {self.tbox_triples} ontology triples and {self.abox_triples} data triples "
                     f"({self.abox_skipped} data triples left out) in {self.duration_s:.1f} s")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def check_consistency(settings: Settings, include_graph: bool = True) -> ConsistencyResult:
    """Run HermiT on the ontology, plus the published graph's ABox when ``include_graph``.

    Raises:
        KgError: no Java runtime, or the reasoner failed. StoreError: ``include_graph`` and nothing published.
    """
    if shutil.which("java") is None:
        raise KgError("the HermiT reasoner needs a Java runtime and `java` is not on PATH",
                      hint="install one (Debian: apt-get install default-jre-headless) and retry")
    started = time.monotonic()
    tbox = load_ontology_graph(settings)
    abox, skipped = rdflib.Graph(), 0
    if include_graph:
        abox, skipped = abox_for_reasoner(_published_abox(settings), tbox)
    consistent, unsatisfiable = _run_hermit(tbox + abox)
    return ConsistencyResult(consistent, unsatisfiable, len(tbox), len(abox), skipped,
                             round(time.monotonic() - started, 2))


def _published_abox(settings: Settings) -> rdflib.Graph:
    from kg.store import KgStore  # the store is only needed for this

    store = KgStore.open_published(settings)
    graph = rdflib.Graph()
    names = [f"{settings.base_iri}graph/{name}" for name in _ABOX_GRAPHS]
    for name in names:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
        triples_to_graph(store.query(query, {"g": URIRef(name)}), graph)
    if not len(graph):
        raise StoreError("the published store has no curated data to check")
    return graph


def abox_for_reasoner(data: rdflib.Graph, tbox: rdflib.Graph) -> tuple[rdflib.Graph, int]:
    """The part of ``data`` an OWL reasoner can take, and how many triples were left out.

    Kept: ``rdf:type`` to a class the ontology declares; assertions of declared object properties with an
    IRI or blank-node object; of declared datatype properties with a literal. Left out: annotations, labels,
    undeclared vocabulary and assertions whose object does not fit the property's kind.
    """
    classes = set(tbox.subjects(RDF.type, OWL.Class))
    object_props = set(tbox.subjects(RDF.type, OWL.ObjectProperty)) | set(
        tbox.subjects(RDF.type, OWL.TransitiveProperty))
    data_props = set(tbox.subjects(RDF.type, OWL.DatatypeProperty))
    kept = rdflib.Graph()
    for s, p, o in data:
        fits = ((p == RDF.type and o in classes)
                or (p in object_props and isinstance(o, (URIRef, BNode)))
                or (p in data_props and isinstance(o, Literal)))
        if fits:
            kept.add((s, p, o))
    return kept, len(data) - len(kept)


def _run_hermit(graph: rdflib.Graph) -> tuple[bool, list[str]]:
    import owlready2  # the only owlready2 import of the project

    with tempfile.TemporaryDirectory(prefix="kg-owl-") as tmp:
        path = Path(tmp) / "check.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            with ontology:
                owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, []
        except owlready2.OwlReadyJavaError as exc:
            raise KgError(f"HermiT failed: {str(exc).strip()[:2000]}",
                          hint="the message above is HermiT's; fix the axiom it names") from exc
        except OSError as exc:
            raise KgError(f"owlready2 could not load the ontology copy: {exc}") from exc
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))
        world.close()
    return True, unsatisfiable

