"""`kg build`: build the graph from the sources and publish it (or roll back to the previous store)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from kg import build as pipeline
from kg.cli.common import ExitCode, echo_err, handle_errors, print_error, settings_of
from kg.errors import ValidationFailed
from kg.store import rollback

MAX_WARNINGS_SHOWN = 20


class Output(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("build")(build)


@handle_errors
def build(
    ctx: typer.Context,
    output: Annotated[Output, typer.Option("--format", help="Summary format on stdout.")] = Output.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on stderr.")] = False,
    undo: Annotated[bool, typer.Option("--rollback", help="Publish the previous store again; build nothing.")]
    = False,
) -> None:
    """Build the graph (curated sources, ontology, inferences), validate it and publish it atomically.

    A build that fails (bad source, SHACL violation, crash) leaves the published store untouched.
    """
    settings = settings_of(ctx)
    if undo:
        typer.echo(f"published {rollback(settings)}")
        return
    try:
        result = pipeline.build(settings, None if quiet else echo_err)
    except ValidationFailed as error:
        if error.report is not None:
            echo_err(error.report.text())
        print_error(error)
        raise typer.Exit(ExitCode.DATA) from None
    for warning in result.warnings[:MAX_WARNINGS_SHOWN]:
        echo_err(f"warning: {getattr(warning, 'message', warning)} ({getattr(warning, 'focus_node', '')})")
    if len(result.warnings) > MAX_WARNINGS_SHOWN:
        echo_err(f"… and {len(result.warnings) - MAX_WARNINGS_SHOWN} more warnings (`kg validate` lists all)")
    if output is Output.json:
        typer.echo(json.dumps(result.to_json(), indent=2))
        return
    graphs = ", ".join(f"{name} {n}" for name, n in sorted(result.triples.items()))
    typer.echo(f"published {result.build_id}: {result.total} triples ({graphs}); "
               f"{len(result.warnings)} warnings; {result.duration_s:.1f} s")
