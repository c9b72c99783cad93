"""`kg release VERSION`: dump the published graph as an immutable release with a DCAT-AP 3 / VoID catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.common import ExitCode, handle_errors, print_error, settings_of
from kg.release import ReleaseArgumentError, make_release


def register(app: typer.Typer) -> None:
    app.command("release")(release)


@handle_errors
def release(
    ctx: typer.Context,
    version: Annotated[str, typer.Argument(help="Release version, e.g. 0.1.0 (letters, digits, . _ -).")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing release of that version.")
    ] = False,
) -> None:
    """Write N-Triples (gzip), Turtle, JSON-LD and a DCAT-AP/VoID catalog to <data_dir>/releases/VERSION/."""
    try:
        result = make_release(settings_of(ctx), version, force=force)
    except ReleaseArgumentError as error:
        print_error(error)
        raise typer.Exit(ExitCode.USAGE) from None
    typer.echo(
        f"release {result.version}: {result.triples} triples in {len(result.graphs)} graphs → {result.path}"
    )
