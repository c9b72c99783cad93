"""The `kg` application: global options, command registration and the console-script entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError

from kg.cli.commands import (
    build, diff, export, import_, link, ontology, publish, query, release, serve, stats, validate,
)
from kg.cli.common import ExitCode, echo_err
from kg.config import Settings

__all__ = ["app", "main"]

HELP = """Build, check, query and serve the EU industrial-policy knowledge graph.

Settings come from KG_* environment variables (see kg/config.py); the options below override them.
Data goes to stdout, messages and progress to stderr.

Exit codes:

* 0 ok
* 1 validation or data problems (SHACL violations, syntax or mapping errors, inconsistent ontology)
* 2 usage (bad option or argument, malformed SPARQL)
* 3 store problems (nothing published, store missing or corrupt: run `kg build`)
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode="markdown",
                  context_settings={"help_option_names": ["-h", "--help"]})

for _command in (build, validate, query, export, stats, ontology, serve, link, import_, release, diff, publish):
    _command.register(app)


@app.callback()
def configure(
    ctx: typer.Context,
    data_dir: Annotated[Optional[Path], typer.Option(help="Stores live here [KG_DATA_DIR].")] = None,
    curated_dir: Annotated[Optional[Path], typer.Option(help="Curated YAML [KG_CURATED_DIR].")] = None,
    ontology_dir: Annotated[Optional[Path], typer.Option(help="Ontology files [KG_ONTOLOGY_DIR].")] = None,
    shapes_dir: Annotated[Optional[Path], typer.Option(help="SHACL shapes [KG_SHAPES_DIR].")] = None,
) -> None:
    """Read the settings once, apply the global options and hand them to the command."""
    overrides = {k: v for k, v in {"data_dir": data_dir, "curated_dir": curated_dir,
                                   "ontology_dir": ontology_dir, "shapes_dir": shapes_dir}.items() if v}
    try:
        ctx.obj = Settings().model_copy(update=overrides)
    except ValidationError as exc:
        echo_err(f"error: bad settings: {exc}")
        raise typer.Exit(ExitCode.USAGE) from None


def main() -> None:
    """Console-script entry point (`kg`)."""
    app()


if __name__ == "__main__":
    main()
