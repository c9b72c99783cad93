"""`kg link`: link curated organisations and places to external datasets; `kg link --apply FILE` reads a
review.

Sure links go to ``kg/data/links/<dataset>.ttl`` (loaded by the next `kg build`), ambiguous candidates to a
review CSV. Reference tables shipped with kg (ISO 3166, GeoNames, NUTS) are always used; ``--live`` adds
Wikidata and the GLEIF API through the on-disk cache, and ``--offline`` answers those from the cache only.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rdflib import Graph

from kg.cli.common import echo_err, handle_errors, settings_of
from kg.config import Settings
from kg.linking.run import Coverage, apply_review, coverage, link_graph, live_sources, offline_sources
from kg.linking.scoring import Thresholds
from kg.namespaces import Minter
from kg.rdfio import read_rdf_files


def register(app: typer.Typer) -> None:
    app.command("link")(link)


class Output(str, Enum):
    text = "text"
    json = "json"


def _stats_text(cover: Coverage, output: Output) -> str:
    """``organisations: 1 of 9 have an external identifier (11%)``…, or the same as labelled JSON."""
    counts = {"organisations": (cover.organisations_linked, cover.organisations),
              "places": (cover.places_linked, cover.places)}
    if output is Output.json:
        labelled = {kind: {"linked": linked, "total": total} for kind, (linked, total) in counts.items()}
        return json.dumps({**labelled, "identifiers": cover.per_subject}, indent=2)
    return "\n".join(f"{kind}: {linked} of {total} have an external identifier "
                     f"({round(100 * linked / total) if total else 0}%)"
                     for kind, (linked, total) in counts.items())


def _links_dir(option: Path | None) -> Path:
    from kg.build import LINKS_DIR

    return option or LINKS_DIR


def _sources(settings: Settings, gleif_file: Path | None, *, live: bool, offline: bool) -> tuple[dict, list]:
    """The reference datasets by scheme (offline ones, plus Wikidata and GLEIF when ``live``) and the live
    clients to close afterwards."""
    sources = offline_sources(golden_copy=gleif_file)
    clients: list = []
    if live:
        extra, clients = live_sources(settings, offline=offline)
        for scheme, group in extra.items():
            sources.setdefault(scheme, []).extend(group)
    return sources, clients


@handle_errors
def link(
    ctx: typer.Context,
    apply: Annotated[
        Optional[Path],
        typer.Option(
            "--apply",
            help="Read a filled-in review CSV: write its "
            "accepted rows as confirmed links, remember rejected ones.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    review: Annotated[Path, typer.Option(help="Where to write candidates that need a person.")] = Path(
        "review.csv"
    ),
    links_dir: Annotated[Optional[Path], typer.Option(help="Link files folder [kg/data/links].")] = None,
    live: Annotated[bool, typer.Option("--live", help="Also ask Wikidata and the GLEIF API.")] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Live sources answer from the cache only.")
    ] = False,
    gleif_file: Annotated[
        Optional[Path], typer.Option(help="A GLEIF golden-copy CSV to link LEIs from.")
    ] = None,
    sure: Annotated[float, typer.Option(help="Lowest score written without review.")] = 0.9,
    review_at: Annotated[
        float, typer.Option("--review-threshold", help="Lowest score sent to review.")
    ] = 0.6,
    stats: Annotated[
        bool,
        typer.Option(
            "--stats",
            help="Only print how many organisations and places have an external identifier.",
        ),
    ] = False,
    output: Annotated[
        Output,
        typer.Option("--format", help="--stats format: text, or json with each subject's identifiers."),
    ] = Output.text,
) -> None:
    """Link organisations and places of the curated graph to ISO 3166, GeoNames, NUTS, Wikidata and GLEIF."""
    from kg.curated import load_curated

    settings = settings_of(ctx)
    minter = Minter(settings.base_iri)
    folder = _links_dir(links_dir)
    curated = load_curated(Path(settings.curated_dir), minter)
    if apply is not None:
        accepted, rejected, undecided = apply_review(apply, folder, minter, graph=curated)
        typer.echo(f"{accepted} accepted, {rejected} rejected, {undecided} undecided rows in {apply}")
        return
    # Existing links count as context: a town inside a country linked to ISO 3166 gets its country compared.
    graph = curated + read_rdf_files(sorted(folder.glob("*.ttl")), Graph())
    if stats:
        typer.echo(_stats_text(coverage(graph), output))
        return
    sources, clients = _sources(settings, gleif_file, live=live, offline=offline)
    try:
        report = link_graph(graph, sources, folder, minter, review_path=review,
                            limits=Thresholds(sure=sure, review=review_at))
    finally:
        for client in clients:
            client.close()
    echo_err(
        f"{report.subjects} subjects: {report.sure} sure links, {report.review} to review "
        f"({report.review_rows} rows in {review})"
    )
    for key, path in sorted(report.files.items()):
        typer.echo(f"wrote {path}")
