"""`kg publish --remote URL`: publish the locally built graph to a SPARQL store, atomically (kg/remote_publish.py)."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import pyoxigraph as ox
import typer

from kg.cli.common import echo_err, handle_errors, settings_of
from kg.errors import StoreError
from kg.remote_publish import GRACE_S, RemotePublisher, RemoteTarget
from kg.store import KgStore


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)


@handle_errors
def publish(
    ctx: typer.Context,
    remote: Annotated[str, typer.Option("--remote", help="The store's query endpoint, "
                                                         "sparql+http://host:port/sparql.")],
    user: Annotated[Optional[str], typer.Option(help="User for the write endpoints (digest auth).")] = None,
    password_env: Annotated[str, typer.Option(help="Environment variable holding the password.")]
        = "KG_REMOTE_PASSWORD",
    update_url: Annotated[Optional[str], typer.Option(help="SPARQL Update endpoint [default: "
                                                           "Virtuoso's /sparql-auth on the same host].")] = None,
    graph_store_url: Annotated[Optional[str], typer.Option(help="Graph Store Protocol endpoint [default: "
                                                                "Virtuoso's /sparql-graph-crud-auth].")] = None,
    grace: Annotated[float, typer.Option(help="Seconds before a replaced release's graphs are dropped.")]
        = GRACE_S,
) -> None:
    """Load the published build's graphs into new named graphs of the remote store, check their counts, then
    switch the store's publication pointer in one SPARQL Update; readers (KG_STORE=sparql+http://… without
    KG_STORE_GRAPHS) follow within 5 s. A failed load leaves the served release as it was (exit 3)."""
    settings = settings_of(ctx)
    local = KgStore.open_published(settings)
    prefix = f"{settings.base_iri}graph/"
    counts = {iri.removeprefix(prefix): n for iri, n in local.graph_counts().items() if iri.startswith(prefix)}
    if not counts:
        raise StoreError(f"the published store {local.path} has no graph under {prefix}", hint="run `kg build`")
    target = RemoteTarget.of(remote, user, os.environ.get(password_env), update_url=update_url,
                             graph_store_url=graph_store_url)
    publisher = RemotePublisher(target, settings.base_iri, grace_s=grace, progress=echo_err)
    try:
        dumps = {name: local.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(prefix + name))
                 for name in counts}
        result = publisher.publish(dumps, local.path.name, expected=counts)
    finally:
        publisher.close()
    typer.echo(f"published {result.release} to {target.query_url}: {sum(result.graphs.values())} triples in "
               f"{len(result.graphs)} graphs (previous: {result.previous or 'none'}; "
               f"dropped {len(result.dropped)} old graphs)")
