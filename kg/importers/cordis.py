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

import datetime as dt
import zipfile
from pathlib import Path

from kg.errors import SourceError
from kg.importers.common import IMPORTERS, DatasetInfo, Records
from kg.importers.projects import Participant, Project, add_participant, add_project
from kg.importers.tables import amount, day, rows, website

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
KIND = "a CORDIS table"


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


def _project(records: Records, line: int, row: dict[str, str], today: dt.date) -> str:
    where = f"project.csv:{line}"
    project = Project(
        id=f"cordis-{row['id']}",
        label=row["acronym"] or row["id"],
        title=row["title"] or None,
        funder=PROGRAMME_ID,
        total_cost=amount(row["totalCost"], where),
        eu_funding=amount(row["ecMaxContribution"], where),
        eu_funding_is_maximum=True,
        start=day(row["startDate"], where),
        end=day(row["endDate"], where),
        running=row["status"] != "CLOSED",
    )
    add_project(records, project, "project_eu_funding", line=line, file="project.csv", today=today)
    return project.id


def _participant(records: Records, line: int, row: dict[str, str], projects: dict[str, str]) -> None:
    where = f"organization.csv:{line}"
    project = projects.get(row["projectID"])
    if project is None:
        raise SourceError(f"participant of unknown project {row['projectID']!r}", location=where)
    place = ", ".join(
        p for p in (row["city"], row["nutsCode"] and f"NUTS {row['nutsCode']}", row["country"]) if p
    )
    participant = Participant(
        id=f"cordis-org-{row['organisationID']}",
        name=row["name"],
        company=row["activityType"] == "PRC",
        place=place,
        coordinator=row["role"] == "coordinator",
        eu_contribution=amount(row["ecContribution"], where),
        website=website(row["organizationURL"]),
    )
    add_participant(
        records,
        project,
        participant,
        scope=f"CORDIS project {row['projectID']}",
        line=line,
        file="organization.csv",
    )


def read_cordis(path: Path, downloaded: dt.date, version: str | None = None) -> Records:
    """Records of a CORDIS Horizon Europe download (zip, folder or project.csv)."""
    project_text, organisation_text, _ = _open_tables(path)
    projects_rows = rows(project_text, PROJECT_COLUMNS, "project.csv", delimiter=";", kind=KIND)
    organisation_rows = rows(
        organisation_text, ORGANISATION_COLUMNS, "organization.csv", delimiter=";", kind=KIND
    )
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
