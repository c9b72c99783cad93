"""`kg serve`: run the GraphQL and SPARQL API (api.server.run) on the published store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import handle_errors, settings_of


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


@handle_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    store: Annotated[Optional[str], typer.Option(
        metavar="PATH|URL", help="Data directory whose `current` store to serve (default KG_DATA_DIR), or a "
                                 "sparql+http:// endpoint [KG_STORE].")] = None,
) -> None:
    """Serve the API (GraphQL, SPARQL) until interrupted."""
    from api.server import run  # the one place kg imports api, and only when serving

    settings = settings_of(ctx)
    if store and "://" in store:
        settings = settings.model_copy(update={"store": store})
    elif store:
        settings = settings.model_copy(update={"data_dir": Path(store)})
    run(settings, host=host, port=port)
