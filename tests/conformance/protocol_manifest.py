"""Reader of the W3C SPARQL 1.1 Protocol manifest, and the checks of one response against an exchange.

Each ``mf:ProtocolTest`` has ``ht:Request``s (method, absolute path, headers, body with its character
encoding) whose ``ht:resp`` names the expected status classes (``hts:StatusCode2xx`` …), and optionally the
result format (``boolean``, ``tabular``, ``RDF``) and the ASK answer. ``ut:graphData`` lists data files and
the graph name (``rdfs:label``) each must be loaded as.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.ttl"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}


@dataclass(frozen=True)
class Exchange:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: frozenset[int]
    result_format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    """One ``mf:ProtocolTest``."""

    name: str
    label: str
    graphs: tuple[tuple[Path, str], ...]
    exchanges: tuple[Exchange, ...]

    @property
    def is_dataset_test(self) -> bool:
        return bool(self.graphs)

    @property
    def is_query_test(self) -> bool:
        return "update" not in self.name


def _body(graph: rdflib.Graph, request: rdflib.term.Node) -> bytes | None:
    node = graph.value(request, HT.body)
    if node is None:
        return None
    encoding = str(graph.value(node, CNT.characterEncoding) or "UTF-8")
    return str(graph.value(node, CNT.chars)).encode(encoding)


def _exchange(graph: rdflib.Graph, request: rdflib.term.Node) -> Exchange:
    headers_node = graph.value(request, HT.headers)
    headers = {}
    if headers_node is not None:
        for header in Collection(graph, headers_node):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    response = graph.value(request, HT.resp)
    codes = graph.objects(response, MF.expectedStatus)
    classes = frozenset(int(str(code).rsplit("StatusCode", 1)[1][0]) for code in codes)
    fmt = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    return Exchange(
        method=str(graph.value(request, HT.methodName)), path=str(graph.value(request, HT.absolutePath)),
        headers=headers, body=_body(graph, request), status_classes=classes,
        result_format=str(fmt) if fmt is not None else None,
        boolean=boolean.toPython() if boolean is not None else None,
    )


def _local_path(iri: rdflib.term.Node) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def load_manifest(path: Path = MANIFEST) -> list[ProtocolTest]:
    """The tests of the manifest, in its ``mf:entries`` order."""
    graph = rdflib.Graph().parse(path, format="turtle")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = Collection(graph, graph.value(action, HT.requests))
        graphs = tuple(
            (_local_path(graph.value(data, UT.graph)), str(graph.value(data, RDFS.label)))
            for data in graph.objects(entry, UT.graphData)
        )
        tests.append(ProtocolTest(
            name=str(entry).rsplit("#", 1)[1], label=str(graph.value(entry, MF.name)),
            graphs=tuple(sorted(graphs)), exchanges=tuple(_exchange(graph, r) for r in requests),
        ))
    return tests


def _boolean_of(media_type: str, body: bytes) -> bool | None:
    if media_type == "application/sparql-results+json":
        return json.loads(body).get("boolean")
    node = ET.fromstring(body).find(f"{RESULTS_NS}boolean")
    return None if node is None else node.text == "true"


def problems(exchange: Exchange, status: int, content_type: str, body: bytes) -> list[str]:
    """What is wrong with a response to ``exchange`` (empty when it passes)."""
    found = []
    if status // 100 not in exchange.status_classes:
        found.append(f"status {status}, expected {sorted(exchange.status_classes)}xx")
    media_type = content_type.split(";")[0].strip().lower()
    if exchange.result_format == "boolean":
        if media_type not in BOOLEAN_TYPES:
            found.append(f"content type {media_type!r} is not a boolean results format")
        elif exchange.boolean is not None and _boolean_of(media_type, body) is not exchange.boolean:
            found.append(f"answer is not {exchange.boolean}")
    elif exchange.result_format == "tabular" and media_type not in TABULAR_TYPES:
        found.append(f"content type {media_type!r} is not a tabular results format")
    elif exchange.result_format == "RDF":
        if media_type not in RDF_TYPES:
            found.append(f"content type {media_type!r} is not an RDF format")
        else:
            rdflib.Graph().parse(data=body, format=RDF_TYPES[media_type])
    return found
