"""Dates as sources state them: keep the words and the precision, and derive earliest/latest bounds.

"2025" is a year (2025-01-01..2025-12-31), never 2025-12-31. Supported forms: ``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD``, ``YYYY-Qn`` (quarter), ``YYYY-Hn`` (half-year), ``YYYY-early|mid|late`` (first, middle or last
four months: a documented convention) and an interval ``A/B`` of any two of those.

>>> parse_date("2025-Q4").earliest, parse_date("2025-Q4").latest, parse_date("2025-Q4").precision
(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31), 'quarter')
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateSpec", "parse_date", "parse_as_of"]

_PRECISION_ORDER = ["day", "month", "quarter", "halfYear", "partOfYear", "year", "decade"]
_WIKIDATA = {"day": 11, "month": 10, "quarter": 9, "halfYear": 9, "partOfYear": 9, "year": 9, "decade": 8}
_PART_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_FORM = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2}))?|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<part>early|mid|late)))?$")


@dataclass(frozen=True)
class DateSpec:
    """A stated date: its bounds, precision, and the calendar parts that are known."""

    text: str
    earliest: dt.date
    latest: dt.date
    precision: str
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def wikidata_precision(self) -> int:
        return _WIKIDATA[self.precision]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _single(text: str) -> DateSpec:
    match = _FORM.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn, "
                         "YYYY-early|mid|late, or A/B)")
    year = int(match["y"])
    if match["d"]:
        try:
            day = dt.date(year, int(match["m"]), int(match["d"]))
        except ValueError as exc:
            raise ValueError(f"{text!r} is an impossible date ({exc})") from exc
        return DateSpec(text, day, day, "day", year, day.month, day.day)
    if match["m"]:
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} does not exist")
        return DateSpec(text, dt.date(year, month, 1), _month_end(year, month), "month", year, month)
    if match["q"] or match["h"]:
        size = 3 if match["q"] else 6
        first = (int(match["q"] or match["h"]) - 1) * size + 1
        precision = "quarter" if match["q"] else "halfYear"
        return DateSpec(text, dt.date(year, first, 1), _month_end(year, first + size - 1), precision, year)
    if match["part"]:
        first, last = _PART_OF_YEAR[match["part"]]
        return DateSpec(text, dt.date(year, first, 1), _month_end(year, last), "partOfYear", year)
    return DateSpec(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year", year)


def parse_date(text: str) -> DateSpec:
    """Parse a stated date or interval; ValueError with the rule when it is not one, or impossible."""
    text = str(text).strip()
    if "/" not in text:
        return _single(text)
    start_text, _, end_text = text.partition("/")
    start, end = _single(start_text), _single(end_text)
    if start.earliest > end.latest:
        raise ValueError(f"{text!r}: the interval ends before it starts")
    coarser = max(start.precision, end.precision, key=_PRECISION_ORDER.index)
    return DateSpec(text, start.earliest, end.latest, coarser, start.year)


def parse_as_of(text: str) -> tuple[str, str]:
    """An as-of date at its own precision: ``(lexical form, XSD datatype local name)``.

    >>> parse_as_of("2024-12")
    ('2024-12', 'gYearMonth')
    """
    spec = _single(str(text).strip())
    if spec.precision == "day":
        return spec.earliest.isoformat(), "date"
    if spec.precision == "month":
        return f"{spec.year:04d}-{spec.month:02d}", "gYearMonth"
    if spec.precision == "year":
        return f"{spec.year:04d}", "gYear"
    raise ValueError(f"{text!r}: an as-of date must be YYYY, YYYY-MM or YYYY-MM-DD")
