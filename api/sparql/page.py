"""The analyst query page: a form, the example queries of ``kg/queries/*.rq``, results as an HTML table.

No script runs on the page (its CSP forbids any): examples load through ``?example=<name>``, the form posts
the query, and downloads are small forms posting the same query with ``format=csv|json|tsv`` (or an RDF
format for CONSTRUCT/DESCRIBE). Every value reaches the page through jinja2's autoescaping; only http(s)
IRIs become links.

An example file may start with ``#`` comment lines: the first is its title, the others its description.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.responses import HTMLResponse

from api.html import html_response
from api.sparql.jobs import GRAPH, Outcome
from api.sparql.protocol import ProtocolRequest
from kg.config import PACKAGE_DIR, Settings

__all__ = ["EXAMPLES_DIR", "Cell", "Example", "ResultView", "load_examples", "query_page", "result_view"]

EXAMPLES_DIR = PACKAGE_DIR / "queries"
PAGE_ROWS = 1000

_TABLE_DOWNLOADS = (("CSV", "csv"), ("JSON", "json"), ("TSV", "tsv"), ("XML", "xml"))
_GRAPH_DOWNLOADS = (("Turtle", "turtle"), ("N-Triples", "nt"), ("JSON-LD", "json-ld"), ("RDF/XML", "rdf+xml"))


@dataclass(frozen=True)
class Example:
    """One example query file."""

    name: str
    title: str
    description: str
    query: str


@dataclass(frozen=True)
class Cell:
    """One table cell: the text shown, an optional link, and a small note (language or datatype)."""

    text: str = ""
    href: str | None = None
    note: str = ""


@dataclass
class ResultView:
    """A result as the page shows it."""

    variables: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    graph: bool = False


def load_examples(directory: Path | None = None) -> list[Example]:
    """The example queries (``*.rq`` directly in ``directory``, default ``EXAMPLES_DIR``), by file name."""
    examples = []
    for path in sorted((directory or EXAMPLES_DIR).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            header.append(line.lstrip("#").strip())
        title = header[0] if header and header[0] else path.stem.replace("-", " ").replace("_", " ")
        examples.append(Example(path.stem, title, " ".join(h for h in header[1:] if h), text))
    return examples


def _cell(term: dict) -> Cell:
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        return Cell(value, href=value)
    if kind == "bnode":
        return Cell(f"_:{value}")
    if kind == "triple":
        parts = (_cell(value[k]).text for k in ("subject", "predicate", "object"))
        return Cell("<< " + " ".join(parts) + " >>")
    note = f"@{term['xml:lang']}" if "xml:lang" in term else term.get("datatype", "")
    return Cell(value, note=note)


def result_view(outcome: Outcome) -> ResultView:
    """The page view of a worker outcome in the internal table format."""
    doc = json.loads(outcome.body)
    if "boolean" in doc:
        return ResultView(boolean=bool(doc["boolean"]))
    variables = doc["head"]["vars"]
    rows = [[_cell(binding[v]) if v in binding else Cell() for v in variables]
            for binding in doc["results"]["bindings"]]
    return ResultView(variables, rows, truncated=outcome.truncated, graph=outcome.kind == GRAPH)


def query_page(settings: Settings, preq: ProtocolRequest | None, *, result: ResultView | None = None,
               error: tuple[str, str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    """The query page; ``error`` is (title, message, hint)."""
    examples = load_examples()
    query = preq.query if preq and preq.query else ""
    if not query and preq and preq.example:
        query = next((e.query for e in examples if e.name == preq.example), "")
    if result is None:
        downloads: Sequence[tuple[str, str]] = ()
    else:
        downloads = _GRAPH_DOWNLOADS if result.graph else _TABLE_DOWNLOADS
    return html_response(
        "sparql.html", status_code=status_code, headers={"Vary": "Accept"},
        settings=settings, examples=examples, query=query, result=result, error=error,
        downloads=downloads, page_rows=PAGE_ROWS,
        default_graphs=preq.default_graphs if preq else (), named_graphs=preq.named_graphs if preq else (),
    )
