"""`kg export`: write the published graph as RDF (stdout by default)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import echo_err, handle_errors, settings_of
from kg.export import DATASET_FORMATS, export_graph
from kg.store import KgStore


class Format(str, Enum):
    nt = "nt"
    ttl = "ttl"
    jsonld = "jsonld"
    trig = "trig"
    nq = "nq"


def register(app: typer.Typer) -> None:
    app.command("export")(export)


@handle_errors
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option(
        "--format", "-f",
        help="nt, ttl, jsonld: the union of the graphs; trig, nq: the named graphs.")] = Format.nt,
    out: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write (default: stdout).")] = None,
    graph: Annotated[Optional[str], typer.Option(
        "--graph", "-g", help="Only this graph: ontology, curated, inferred, links, import/<name>.")] = None,
) -> None:
    """Export the published graph."""
    settings = settings_of(ctx)
    store = KgStore.open_published(settings)
    if out is None:
        count = export_graph(store, fmt.value, sys.stdout.buffer, settings=settings, graph=graph)
        sys.stdout.flush()
    else:
        with out.open("wb") as handle:
            count = export_graph(store, fmt.value, handle, settings=settings, graph=graph)
    echo_err(f"exported {count} {'quads' if fmt.value in DATASET_FORMATS else 'triples'}"
             + (f" to {out}" if out else ""))
