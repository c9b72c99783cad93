"""`kg diff OLD NEW`: facts, entities and links added, removed or changed between two releases."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from kg.cli.common import handle_errors, settings_of
from kg.release import diff_releases, load_release_graph


class Output(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)


@handle_errors
def diff(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(help="Old release: a version under <data_dir>/releases or a dump file.")
    ],
    new: Annotated[str, typer.Argument(help="New release: a version or a dump file.")],
    output: Annotated[Output, typer.Option("--format", help="Output format on stdout.")] = Output.text,
) -> None:
    """Compare two releases fact by fact (claims keyed by subject, property, source, as-of and scope)."""
    settings = settings_of(ctx)
    result = diff_releases(load_release_graph(settings, old), load_release_graph(settings, new))
    typer.echo(json.dumps(result.to_json(), indent=2) if output is Output.json else result.text())
