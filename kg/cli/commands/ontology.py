"""`kg ontology check`: run the HermiT reasoner (needs Java) on the ontology and the published data."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from kg.cli.common import ExitCode, echo_err, handle_errors, settings_of
from kg.ontology import check_consistency

group = typer.Typer(help="Work on the OWL ontology.", no_args_is_help=True)


class Output(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="ontology")


@group.command("check")
@handle_errors
def check(
    ctx: typer.Context,
    tbox_only: Annotated[bool, typer.Option("--tbox-only", help="Check the ontology alone, not the published "
                                                                "data.")] = False,
    output: Annotated[Output, typer.Option("--format", help="text or json.")] = Output.text,
) -> None:
    """Check consistency and class satisfiability with HermiT (exit 1 when either fails)."""
    echo_err("running HermiT…")
    result = check_consistency(settings_of(ctx), include_graph=not tbox_only)
    typer.echo(json.dumps(result.to_json(), indent=2) if output is Output.json else result.text())
    if not result.ok:
        raise typer.Exit(ExitCode.DATA)
