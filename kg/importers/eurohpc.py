"""The EuroHPC AI Factories list: one row per selected AI Factory.

EuroHPC JU publishes the list as a web page, not as a file, so this importer reads a transcription of it in a
fixed layout (semicolon-separated, UTF-8, header row), one row per factory:

    name;country;host;site;batch;selectionDate;supercomputer;source

``selectionDate`` is ISO (YYYY-MM-DD); ``source`` is the page the row was transcribed from. Each row becomes
an
``eip:AIFactory`` facility ``eurohpc-<slug of name>`` with its selection date, its site and country as stated,
its host and the supercomputer named for it (as stated). Every fact cites the list as a data set.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kg.errors import SourceError
from kg.importers.common import IMPORTERS, DatasetInfo, Records
from kg.importers.tables import rows as table_rows
from kg.namespaces import slugify

__all__ = ["COLUMNS", "read_ai_factories"]

COLUMNS = ("name", "country", "host", "site", "batch", "selectionDate", "supercomputer", "source")
LANDING_PAGE = "https://eurohpc-ju.europa.eu/"


def read_ai_factories(path: Path, downloaded: dt.date, version: str | None = None) -> Records:
    """Records of an AI Factories list transcription (see the module docstring for the layout)."""
    text = path.read_text(encoding="utf-8-sig")
    rows = table_rows(text, COLUMNS, path.name, delimiter=";", kind="an AI Factories list")
    dates = sorted(r["selectionDate"] for _, r in rows if r["selectionDate"])
    info = DatasetInfo(
        "eurohpc-ai-factories",
        "EuroHPC JU AI Factories list (transcription)",
        "EuroHPC Joint Undertaking",
        LANDING_PAGE,
        version or (dates[-1] if dates else "undated"),
        downloaded,
    )
    records = Records(info)
    for line, row in rows:
        where = f"{path.name}:{line}"
        if not row["name"]:
            raise SourceError("a row without a name", location=where)
        fid = f"eurohpc-{slugify(row['name'])}"
        records.entity(fid, "Facility", row["name"], cls="AIFactory", line=line, file=path.name)
        add = lambda prop, value, **kw: records.fact(fid, prop, value, line=line, file=path.name, **kw)  # noqa: E731
        if row["selectionDate"]:
            try:
                dt.date.fromisoformat(row["selectionDate"])
            except ValueError:
                raise SourceError(
                    f"{row['selectionDate']!r} is not a YYYY-MM-DD date", location=where
                ) from None
            add(
                "selected_on",
                row["selectionDate"],
                unit="date",
                scope=f"batch {row['batch']}" if row["batch"] else None,
            )
        place = ", ".join(p for p in (row["site"], row["country"]) if p)
        if place:
            add("located_in", place)
        if row["host"]:
            add("hosted_by", row["host"])
    return records


IMPORTERS["eurohpc-ai-factories"] = read_ai_factories
