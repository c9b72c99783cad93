"""`kg stats`: figures about the published graph."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from kg.cli.common import handle_errors, settings_of
from kg.stats import compute_stats
from kg.store import KgStore


class Output(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)


@handle_errors
def stats(
    ctx: typer.Context,
    output: Annotated[Output, typer.Option("--format", help="text or json.")] = Output.text,
) -> None:
    """Triples per graph, entities per class, facts per kind and per source, disputed claims."""
    settings = settings_of(ctx)
    figures = compute_stats(KgStore.open_published(settings), settings)
    if output is Output.json:
        typer.echo(json.dumps(figures.to_json(), indent=2))
    else:
        typer.echo(figures.text(), nl=False)
