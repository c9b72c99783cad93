"""A funded project read from an open-data export, and its beneficiaries, as records (the one mapping every
project importer uses).

A project is an organisation (its consortium or its beneficiary's operation) that is funded by a programme or
fund, with its title, total cost, EU funding, start and end; each participant is an organisation (a company
when the export says so), partner of the project, located where the export says, with its own EU
contribution. Dates after the download day, and ends of projects still running, are ``planned``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kg.importers.common import Records

__all__ = ["Participant", "Project", "add_participant", "add_project"]


@dataclass(frozen=True)
class Project:
    """One project row, read.

    Attributes:
        id: the entity id (``cordis-101069685``).
        label: its short name.
        title: its full title, when given.
        funder: the entity id of the programme or fund that finances it.
        total_cost: the total (eligible) cost, in ``currency``.
        eu_funding: the EU funding, in ``currency``.
        eu_funding_is_maximum: whether ``eu_funding`` is a ceiling (a grant's maximum contribution).
        start, end: ISO dates.
        running: whether the export says the project is still running (its end is then planned).
        currency: ISO 4217 code of the amounts.
    """

    id: str
    label: str
    title: str | None
    funder: str
    total_cost: int | float | None = None
    eu_funding: int | float | None = None
    eu_funding_is_maximum: bool = False
    start: str | None = None
    end: str | None = None
    running: bool = True
    currency: str = "EUR"


@dataclass(frozen=True)
class Participant:
    """One participant (or beneficiary) of a project, read.

    Attributes:
        id: the entity id.
        name: its name as the export writes it.
        company: whether the export marks it as a private company.
        place: where it is, as the export states it ("Lille, NUTS FRE11, FR"), or empty.
        coordinator: whether it leads the project.
        eu_contribution: its own EU contribution, in ``currency``.
        website: its web address without scheme.
    """

    id: str
    name: str
    company: bool = False
    place: str = ""
    coordinator: bool = False
    eu_contribution: int | float | None = None
    website: str | None = None
    currency: str = "EUR"


def add_project(
    records: Records, project: Project, eu_property: str, *, line: int, file: str, today: dt.date
) -> None:
    """Add a project entity and its facts; ``eu_property`` names the EU funding's property rule."""
    records.entity(project.id, "Organisation", project.label, line=line, file=file)

    def add(prop: str, value: object, **kw: object) -> None:
        records.fact(project.id, prop, value, line=line, file=file, **kw)  # type: ignore[arg-type]

    if project.title:
        add("project_title", project.title)
    add("funded_by", project.funder, unit="entity-id")
    if project.total_cost is not None:
        add("project_total_cost", project.total_cost, unit=project.currency)
    if project.eu_funding is not None:
        qualifier = "up_to" if project.eu_funding_is_maximum else "exact"
        add(eu_property, project.eu_funding, unit=project.currency, qualifier=qualifier)
    for prop, value in (("project_start", project.start), ("project_end", project.end)):
        if value:
            planned = value > today.isoformat() or (prop == "project_end" and project.running)
            add(prop, value, unit="date", qualifier="planned" if planned else "exact")


def add_participant(
    records: Records, project_id: str, participant: Participant, *, scope: str, line: int, file: str
) -> None:
    """Add a participant, its partnership in the project and its EU contribution (``scope`` names it)."""
    records.entity(
        participant.id,
        "Company" if participant.company else "Organisation",
        participant.name,
        identifiers={"website": participant.website} if participant.website else {},
        line=line,
        file=file,
    )
    records.fact(project_id, "partner", participant.id, unit="entity-id", line=line, file=file)
    if participant.coordinator:
        records.fact(project_id, "led_by", participant.name, line=line, file=file)
    if participant.place:
        records.fact(participant.id, "located_in", participant.place, line=line, file=file)
    if participant.eu_contribution is not None:
        records.fact(
            participant.id,
            "participant_eu_contribution",
            participant.eu_contribution,
            unit=participant.currency,
            line=line,
            file=file,
            scope=scope,
        )
