"""Kohesio projects export: the operations of EU cohesion policy, one CSV file per country and period.

Kohesio (https://kohesio.ec.europa.eu/en/data) publishes, under ``data/projects-2021-2027/<snapshot date>/``
and ``data/projects-2014-2020/<snapshot date>/``, one file per country named ``<CC>-pp21-27-<YYYYMMDD>.csv``
(``<CC>-pp14-20-…`` for 2014-2020). The file name gives the country, the period and the snapshot date, which
is the data set's version.

Layout: comma-separated, double-quoted, UTF-8 with or without a byte-order mark, a header row; quoted cells
may hold commas, doubled quotes and line breaks; dates ``DD/MM/YYYY``; amounts with a decimal point, both in
``Total_Eligible_Expenditure_Currency``; several values in one cell separated by ``|``. Columns are read by
name; those in ``COLUMNS`` must be there, those in ``OPTIONAL_COLUMNS`` are used when present. The sources of
this layout are listed in tests/fixtures/imports/README.md.

Mapping (the project mapping of kg/importers/projects.py, as for CORDIS): an operation is an organisation
``kohesio-q<digits>`` (its Q-id in the EU Knowledge Graph, ``Operation_Unique_Identifier``) funded by its
fund (``kohesio-fund-<code>``, an ``eip:Fund``), with its title, total eligible expenditure, EU budget, EU
co-financing rate, start, end (the expected end: always ``planned``) and location as stated. Its English
name is ``Operation_Name_English``, or "Kohesio operation <Q-id>" when the export has none (the title then
keeps the name in the programme's language, which the export does not name). Its beneficiary is an
organisation ``kohesio-beneficiary-q<digits>``, partner of the operation and leading it. Every fact cites
the data set (country, period, snapshot date, download date).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kg.errors import SourceError
from kg.importers.common import IMPORTERS, DatasetInfo, Records
from kg.importers.projects import Participant, Project, add_participant, add_project
from kg.importers.tables import Row, amount, day, rows, split_values
from kg.namespaces import slugify

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "read_kohesio"]

COLUMNS = (
    "Operation_Unique_Identifier",
    "Operation_Name_English",
    "Operation_Name_Programme_Language",
    "Country",
    "Operation_Start_Date",
    "Operation_End_Date",
    "Cofinancing_Rate",
    "Total_Eligible_Expenditure_amount",
    "Total_Eligible_Expenditure_Currency",
    "Project_EU_Budget",
    "Beneficiary_Unique_Identifier",
    "Beneficiary_Name",
    "Fund_Code",
    "Fund_Name",
    "Programming_Period",
)
OPTIONAL_COLUMNS = ("LAU_Labels", "NUTS3_Label", "NUTS3_Code")
LANDING_PAGE = "https://kohesio.ec.europa.eu/en/data"
PUBLISHER = "European Commission (Kohesio)"
KIND = "a Kohesio projects export"
_ENTITY = re.compile(r"https?://linkedopendata\.eu/entity/(Q[1-9][0-9]*)")
_FILE_NAME = re.compile(r"(?P<country>[A-Z]{2})-pp(?P<start>\d\d)-(?P<end>\d\d)-(?P<date>\d{8})")


def _eu_kg_id(text: str, column: str, where: str) -> str:
    match = _ENTITY.fullmatch(text)
    if not match:
        raise SourceError(
            f"{column} {text!r} is not an EU Knowledge Graph entity (https://linkedopendata.eu/entity/Q…)",
            location=where,
        )
    return match[1]


def _dataset(path: Path, table: list[Row], downloaded: dt.date, version: str | None) -> DatasetInfo:
    """The data set: country, period and snapshot date from the file name (or ``version``)."""
    named = _FILE_NAME.search(path.stem)
    periods = sorted({row["Programming_Period"] for _, row in table if row["Programming_Period"]})
    if named:
        period = f"20{named['start']}-20{named['end']}"
        snapshot = dt.datetime.strptime(named["date"], "%Y%m%d").date().isoformat()
        name = f"kohesio-{named['country'].lower()}-pp{named['start']}-{named['end']}"
    else:
        period = periods[0] if len(periods) == 1 else "all periods"
        snapshot, name = None, "kohesio"
    if not (version or snapshot):
        raise SourceError(
            f"{path.name}: the snapshot date is not in the file name (<CC>-pp21-27-<YYYYMMDD>.csv)",
            hint="give it with --version YYYY-MM-DD",
        )
    countries = sorted({row["Country"] for _, row in table if row["Country"]})
    where = ", ".join(countries) if 0 < len(countries) <= 3 else "several countries"
    return DatasetInfo(
        name,
        f"Kohesio - EU cohesion policy projects, {period}, {where}",
        PUBLISHER,
        LANDING_PAGE,
        version or snapshot or "",
        downloaded,
    )


def _place(row: dict[str, str]) -> str:
    """Where the operation is, as the export states it: LAU, NUTS 3 label and code, country."""
    parts = [*split_values(row.get("LAU_Labels", "")), *split_values(row.get("NUTS3_Label", ""))]
    parts += [f"NUTS {code}" for code in split_values(row.get("NUTS3_Code", ""))]
    return ", ".join(dict.fromkeys(p for p in (*parts, row["Country"]) if p))


def _operation(records: Records, line: int, row: dict[str, str], file: str, today: dt.date) -> None:
    where = f"{file}:{line}"
    qid = _eu_kg_id(row["Operation_Unique_Identifier"], "Operation_Unique_Identifier", where)
    title = row["Operation_Name_English"] or row["Operation_Name_Programme_Language"]
    if not title:
        raise SourceError("an operation without a name", location=where)
    total = amount(row["Total_Eligible_Expenditure_amount"], where)
    eu = amount(row["Project_EU_Budget"], where)
    currency = row["Total_Eligible_Expenditure_Currency"]
    if (total is not None or eu is not None) and not currency:
        raise SourceError("amounts without Total_Eligible_Expenditure_Currency", location=where)
    if not row["Fund_Code"]:
        raise SourceError("an operation without Fund_Code", location=where)
    fund = f"kohesio-fund-{slugify(row['Fund_Code'])}"
    records.entity(fund, "Fund", row["Fund_Name"] or row["Fund_Code"], line=line, file=file)
    project = Project(
        id=f"kohesio-{qid.lower()}",
        label=row["Operation_Name_English"] or f"Kohesio operation {qid}",
        title=title,
        funder=fund,
        total_cost=total,
        eu_funding=eu,
        start=day(row["Operation_Start_Date"], where),
        end=day(row["Operation_End_Date"], where),
        running=True,
        currency=currency or "EUR",
    )
    add_project(records, project, "operation_eu_budget", line=line, file=file, today=today)
    rate = amount(row["Cofinancing_Rate"], where)
    if rate is not None:
        if rate > 100:
            raise SourceError(f"Cofinancing_Rate {row['Cofinancing_Rate']!r} is over 100 %", location=where)
        records.fact(project.id, "cofinancing_rate", rate, line=line, file=file)
    place = _place(row)
    if place:
        records.fact(project.id, "located_in", place, line=line, file=file)
    if row["Beneficiary_Name"]:
        beneficiary = _eu_kg_id(row["Beneficiary_Unique_Identifier"], "Beneficiary_Unique_Identifier", where)
        participant = Participant(
            id=f"kohesio-beneficiary-{beneficiary.lower()}", name=row["Beneficiary_Name"], coordinator=True
        )
        scope = f"Kohesio operation {qid}"
        add_participant(records, project.id, participant, scope=scope, line=line, file=file)


def read_kohesio(path: Path, downloaded: dt.date, version: str | None = None) -> Records:
    """Records of a Kohesio projects export (one country and period, see the module docstring)."""
    if not path.is_file():
        raise SourceError(f"{path} is not a file", hint="give one <CC>-pp21-27-<YYYYMMDD>.csv export")
    table = rows(path.read_text(encoding="utf-8-sig"), COLUMNS, path.name, delimiter=",", kind=KIND)
    records = Records(_dataset(path, table, downloaded, version))
    for line, row in table:
        _operation(records, line, row, path.name, downloaded)
    return records


IMPORTERS["kohesio"] = read_kohesio
