"""`kg diff OLD NEW`: facts, entities and links added, removed or changed between two releases."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from kg.cli.common import ExitCode, handle_errors, print_error, settings_of
from kg.release import ReleaseArgumentError, diff_releases, load_release_graph


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
    """Compare two releases fact by fact (claims keyed by subject, property, source, as-of and scope).

    Dumps are read by extension (.nt.gz, .nt, .ttl, .jsonld…); numbers and dates are compared by value.
    """
    settings = settings_of(ctx)
    try:
        old_graph, new_graph = load_release_graph(settings, old), load_release_graph(settings, new)
    except ReleaseArgumentError as error:  # a missing file or version is a usage error; a damaged dump is data
        print_error(error)
        raise typer.Exit(ExitCode.USAGE) from None
    result = diff_releases(old_graph, new_graph)
    typer.echo(json.dumps(result.to_json(), indent=2) if output is Output.json else result.text())
