"""Small value types shared by many others: a text in a language, and a date at the precision stated."""

from __future__ import annotations

import calendar
import datetime as dt

import pyoxigraph as ox
import strawberry

from api.graphql.kinds import DatePrecision
from kg.namespaces import XSD

__all__ = ["LangString", "PartialDate", "lang_string", "partial_date"]


@strawberry.type(description="A text and its language tag (null when the text has none).")
class LangString:
    value: str = strawberry.field(description="The text.")
    lang: str | None = strawberry.field(description="Its BCP 47 language tag (`en`, `fr`), null when "
                                                    "untagged.")


def lang_string(term: ox.Literal | None) -> LangString | None:
    if not isinstance(term, ox.Literal):
        return None
    return LangString(value=term.value, lang=term.language or None)


@strawberry.type(description="A date known to the day, month or year (xsd:date, xsd:gYearMonth, xsd:gYear), "
                             "with the first and last day it can mean.")
class PartialDate:
    value: str = strawberry.field(description="The date as stated, at its precision: 2025-12-11, 2025-12 or "
                                              "2025.")
    precision: DatePrecision = strawberry.field(description="DAY, MONTH or YEAR.")
    earliest: dt.date = strawberry.field(description="The first day the date can mean.")
    latest: dt.date = strawberry.field(description="The last day the date can mean.")


def partial_date(term: ox.Literal | None) -> PartialDate | None:
    """The partial date of an xsd:date / gYearMonth / gYear literal (None for anything else)."""
    if not isinstance(term, ox.Literal):
        return None
    datatype, text = term.datatype.value, term.value[:10]
    try:
        if datatype == str(XSD.date):
            day = dt.date.fromisoformat(text)
            return PartialDate(value=text, precision=DatePrecision.DAY, earliest=day, latest=day)
        if datatype == str(XSD.gYearMonth):
            year, month = int(text[:4]), int(text[5:7])
            last = calendar.monthrange(year, month)[1]
            return PartialDate(value=text[:7], precision=DatePrecision.MONTH,
                               earliest=dt.date(year, month, 1), latest=dt.date(year, month, last))
        if datatype == str(XSD.gYear):
            year = int(text[:4])
            return PartialDate(value=text[:4], precision=DatePrecision.YEAR, earliest=dt.date(year, 1, 1),
                               latest=dt.date(year, 12, 31))
    except ValueError:
        return None
    return None
