"""CORDIS Horizon Europe projects and participating organisations (``cordis-HORIZONprojects-csv`` download).

Layout (semicolon-separated, double-quoted, UTF-8, decimals with a comma or a point):

- ``project.csv``: id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;
  ecSignatureDate;frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;contentUpdateDate;rcn;grantDoi
- ``organization.csv``: projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;
  street;postCode;city;country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;rcn;order;role;
  ecContribution;netEcContribution;totalCost;endOfParticipation;active

Columns are read by name; the ones listed in ``PROJECT_COLUMNS`` / ``ORGANISATION_COLUMNS`` must be there.
Mapping: a project is an organisation ``cordis-<id>`` (its consortium; ``eip:Consortium`` once the mapping
mints ``consortium/`` IRIs for that class) funded by Horizon Europe, with its title, total cost, maximum EU
contribution, start and end; each participant is an organisation
``cordis-org-<organisationID>`` (a company when its activity type is PRC), partner of the project, with its EU
contribution and its city as stated. Every fact cites the data set (version, download date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import SourceError
from kg.importers.common import IMPORTERS, DatasetInfo, Records

__all__ = ["ORGANISATION_COLUMNS", "PROJECT_COLUMNS", "read_cordis"]

PROJECT_COLUMNS = (
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "frameworkProgramme",
    "contentUpdateDate",
)
ORGANISATION_COLUMNS = (
    "projectID",
    "organisationID",
    "name",
    "shortName",
    "activityType",
    "city",
    "country",
    "nutsCode",
    "organizationURL",
    "role",
    "ecContribution",
)
PROGRAMME_ID = "horizon-europe"
LANDING_PAGE = "https://cordis.europa.eu/"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def _open_tables(path: Path) -> tuple[str, str, str]:
    """The text of project.csv and organization.csv from a zip, a folder, or project.csv with its sibling."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).name: n for n in archive.namelist()}
            try:
                return (
                    archive.read(names["project.csv"]).decode("utf-8-sig"),
                    archive.read(names["organization.csv"]).decode("utf-8-sig"),
                    path.name,
                )
            except KeyError as exc:
                raise SourceError(f"{path}: the archive has no {exc.args[0]}") from None
    folder = path if path.is_dir() else path.parent
    project, organisation = folder / "project.csv", folder / "organization.csv"
    for table in (project, organisation):
        if not table.is_file():
            raise SourceError(f"{table} not found", hint="give the CORDIS zip, its folder or its project.csv")
    return project.read_text(encoding="utf-8-sig"), organisation.read_text(encoding="utf-8-sig"), folder.name


def _rows(text: str, required: tuple[str, ...], name: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=";", quotechar='"')
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(f"{name}: not a CORDIS table, columns missing: {missing}", location=f"{name}:1")
    return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]


def _amount(text: str, where: str) -> int | float | None:
    """An amount as written by CORDIS ("1234567,5" or "1234567.50"); whole amounts stay integers."""
    if not text:
        return None
    try:
        value = Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise SourceError(f"{text!r} is not an amount", location=where) from None
    if value < 0:
        raise SourceError(f"{text!r} is a negative amount", location=where)
    return int(value) if value == value.to_integral_value() else float(value)


def _date(text: str, where: str) -> str | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise SourceError(f"{text!r} is not a date", location=where) from None


def _website(url: str) -> str | None:
    bare = url.split("://", 1)[-1].strip().rstrip("/")
    return bare or None


def _project(records: Records, line: int, row: dict[str, str], today: dt.date) -> str:
    file, where = "project.csv", f"project.csv:{line}"
    pid = f"cordis-{row['id']}"
    records.entity(pid, "Organisation", row["acronym"] or row["id"], line=line, file=file)
    add = lambda prop, value, **kw: records.fact(pid, prop, value, line=line, file=file, **kw)  # noqa: E731
    if row["title"]:
        add("project_title", row["title"])
    add("funded_by", PROGRAMME_ID, unit="entity-id")
    for prop, column in (("project_total_cost", "totalCost"), ("project_eu_funding", "ecMaxContribution")):
        value = _amount(row[column], where)
        if value is not None:
            add(prop, value, unit="EUR", qualifier="up_to" if prop == "project_eu_funding" else "exact")
    for prop, column in (("project_start", "startDate"), ("project_end", "endDate")):
        value = _date(row[column], where)
        if value:
            planned = value > today.isoformat() or (prop == "project_end" and row["status"] != "CLOSED")
            add(prop, value, unit="date", qualifier="planned" if planned else "exact")
    return pid


def _participant(records: Records, line: int, row: dict[str, str], projects: dict[str, str]) -> None:
    file, where = "organization.csv", f"organization.csv:{line}"
    project = projects.get(row["projectID"])
    if project is None:
        raise SourceError(f"participant of unknown project {row['projectID']!r}", location=where)
    oid = f"cordis-org-{row['organisationID']}"
    website = _website(row["organizationURL"])
    records.entity(
        oid,
        "Company" if row["activityType"] == "PRC" else "Organisation",
        row["name"],
        identifiers={"website": website} if website else {},
        line=line,
        file=file,
    )
    records.fact(project, "partner", oid, unit="entity-id", line=line, file=file)
    if row["role"] == "coordinator":
        records.fact(project, "led_by", row["name"], line=line, file=file)
    place = ", ".join(
        p for p in (row["city"], row["nutsCode"] and f"NUTS {row['nutsCode']}", row["country"]) if p
    )
    if place:
        records.fact(oid, "located_in", place, line=line, file=file)
    contribution = _amount(row["ecContribution"], where)
    if contribution is not None:
        records.fact(
            oid,
            "participant_eu_contribution",
            contribution,
            unit="EUR",
            line=line,
            file=file,
            scope=f"CORDIS project {row['projectID']}",
        )


def read_cordis(path: Path, downloaded: dt.date, version: str | None = None) -> Records:
    """Records of a CORDIS Horizon Europe download (zip, folder or project.csv)."""
    project_text, organisation_text, _ = _open_tables(path)
    projects_rows = _rows(project_text, PROJECT_COLUMNS, "project.csv")
    organisation_rows = _rows(organisation_text, ORGANISATION_COLUMNS, "organization.csv")
    updated = max(
        (row["contentUpdateDate"][:10] for _, row in projects_rows if row["contentUpdateDate"]),
        default=downloaded.isoformat(),
    )
    info = DatasetInfo(
        "cordis-horizon",
        "CORDIS - EU research projects under Horizon Europe (2021-2027)",
        "Publications Office of the European Union (CORDIS)",
        LANDING_PAGE,
        version or updated,
        downloaded,
        LICENCE,
    )
    records = Records(info)
    records.entity(PROGRAMME_ID, "Programme", "Horizon Europe")
    projects = {row["id"]: _project(records, line, row, downloaded) for line, row in projects_rows}
    for line, row in organisation_rows:
        _participant(records, line, row, projects)
    return records


IMPORTERS["cordis"] = read_cordis
