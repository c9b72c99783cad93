"""`kg query`: run SPARQL over the published graph (the union of its named graphs)."""

from __future__ import annotations

import re
import sys
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rdflib import URIRef

from kg.cli.common import handle_errors, settings_of
from kg.errors import QueryError
from kg.namespaces import Minter
from kg.results import render
from kg.store import KgStore, load_query

_INTEGER = re.compile(r"^[+-]?\d+$")


class Output(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("query")(query)


@handle_errors
def query(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(
        metavar="SPARQL|@FILE.rq|@NAME|-",
        help="Query text, @file, @name of a query in kg/queries, or - for stdin.")],
    output: Annotated[Output, typer.Option(
        "--format", help="Result format (CONSTRUCT: Turtle, or JSON-LD with json).")] = Output.table,
    bind: Annotated[Optional[list[str]], typer.Option(
        "--bind", "-b", metavar="VAR=VALUE",
        help="Substitute a variable: `<iri>`, number, true/false or text. Repeatable.")] = None,
) -> None:
    """Run a SPARQL query; the project prefixes (eip:, prov:, schema:…) need no declaration."""
    settings = settings_of(ctx)
    sparql = _query_text(text)
    store = KgStore.open_published(settings)
    result = store.query(sparql, _bindings(bind or []), default_prefixes=True)
    out = render(result, output.value, extra_prefixes={"id": Minter(settings.base_iri).base + "id/"})
    sys.stdout.buffer.write(out)
    sys.stdout.flush()


def _query_text(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    if path.is_file():
        return path.read_text(encoding="utf-8")
    if path.suffix == ".rq":
        raise QueryError(f"no query file {path}")
    return load_query(text[1:])


def _bindings(pairs: list[str]) -> dict[str, Any]:
    bindings: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().lstrip("?$"):
            raise typer.BadParameter(f"{pair!r} is not VAR=VALUE", param_hint="--bind")
        bindings[name.strip().lstrip("?$")] = _value(value)
    return bindings


def _value(text: str) -> Any:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text in ("true", "false"):
        return text == "true"
    if _INTEGER.match(text):
        return int(text)
    try:
        return Decimal(text) if any(c.isdigit() for c in text) and "." in text else text
    except InvalidOperation:
        return text
