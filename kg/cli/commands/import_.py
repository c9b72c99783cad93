"""`kg import KIND FILE`: map an open-data file into its own graph (``<data_dir>/imports/<name>.nt``).

Kinds: ``cordis`` (CORDIS Horizon Europe zip, folder or project.csv), ``kohesio`` (a Kohesio projects export,
``<CC>-pp21-27-<YYYYMMDD>.csv``) and ``eurohpc-ai-factories`` (the AI Factories list in the layout of
kg/importers/eurohpc.py). The import is validated with the SHACL shapes
before it is written; the next `kg build` loads it into ``<base>graph/import/<name>``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import ExitCode, echo_err, handle_errors, print_error, settings_of
from kg.errors import SourceError, ValidationFailed
from kg.importers import import_file
from kg.importers.common import check_downloaded


def register(app: typer.Typer) -> None:
    app.command("import")(import_)


@handle_errors
def import_(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="cordis | kohesio | eurohpc-ai-factories")],
    path: Annotated[Path, typer.Argument(help="The downloaded file (or folder).", exists=True)],
    downloaded: Annotated[str, typer.Option(
        help="The day the file was downloaded, YYYY-MM-DD (required; stored as the data set's retrieval "
             "date, so it is never guessed).")],
    version: Annotated[Optional[str], typer.Option(help="Data set version [from the file].")] = None,
) -> None:
    """Import an open-data file into its own named graph, with the data set as provenance."""
    settings = settings_of(ctx)
    try:
        day = dt.date.fromisoformat(downloaded)
        check_downloaded(day)
    except ValueError:
        echo_err(f"error: --downloaded {downloaded!r} is not YYYY-MM-DD")
        raise typer.Exit(ExitCode.USAGE) from None
    except SourceError as error:
        print_error(error)
        raise typer.Exit(ExitCode.USAGE) from None
    try:
        result = import_file(kind, path, settings, downloaded=day, version=version)
    except ValidationFailed as error:
        if error.report is not None:
            echo_err(error.report.text())
        print_error(error)
        raise typer.Exit(ExitCode.DATA) from None
    typer.echo(
        f"wrote {result.path}: {result.triples} triples, {result.entities} entities, {result.facts} facts"
    )
