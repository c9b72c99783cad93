"""`kg validate PATH...`: check RDF files or curated YAML against the shapes, as a build would."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.build import check_data, read_inputs
from kg.cli.common import ExitCode, echo_err, handle_errors, settings_of


class Output(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="RDF files (.ttl .nt .jsonld …), curated YAML files or "
                                                     "directories holding either.")],
    output: Annotated[Output, typer.Option("--format", help="Report format on stdout.")] = Output.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on stderr.")] = False,
) -> None:
    """Validate data the way `kg build` does: inferences, then SHACL with the ontology.

    Exit code 1 when there are violations (warnings alone exit 0).
    """
    settings = settings_of(ctx)
    data = read_inputs(paths, settings)
    checked = check_data(settings, data, progress=None if quiet else echo_err)
    report = checked.report
    if output is Output.json:
        typer.echo(json.dumps(report.to_json(), indent=2, default=str))
    elif report.text():
        typer.echo(report.text())
    echo_err(f"{'conforms' if report.conforms else 'does not conform'}: {len(report.violations)} violation(s), "
             f"{len(report.warnings)} warning(s)")
    if not report.conforms:
        raise typer.Exit(ExitCode.DATA)
