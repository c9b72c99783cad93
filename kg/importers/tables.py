"""Reading publishers' CSV tables: columns by name, and the values they hold (amounts, dates, web addresses).

Every error names the table and line (``project.csv:7``) and the value that could not be read.

>>> amount("1234567,5", "t.csv:2"), amount("1200000.00", "t.csv:3")
(1234567.5, 1200000)
>>> day("2024-01-01 10:00:00", "t.csv:2"), day("04/09/2023", "t.csv:2")
('2024-01-01', '2023-09-04')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

from kg.errors import SourceError

__all__ = ["Row", "amount", "day", "rows", "split_values", "website"]

Row = tuple[int, dict[str, str]]
"""A table row: the line it ends on, and its cells by column name (stripped)."""

_DMY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def rows(text: str, required: tuple[str, ...], name: str, *, delimiter: str, kind: str) -> list[Row]:
    """The rows of a CSV table with a header, refusing one that lacks a required column and any row whose
    field count differs from the header's (named ``table:line``, the line the row ends on).

    Args:
        text: the table (a leading byte-order mark is already removed).
        required: the columns the importer reads; others are ignored.
        name: the table's name in messages.
        delimiter: the column separator.
        kind: what the table should be, for the message ("a CORDIS table").
    """
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter, quotechar='"')
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(f"{name}: not {kind}, columns missing: {missing}", location=f"{name}:1")
    found = []
    for row in reader:
        _check_width(row, len(reader.fieldnames or []), f"{name}:{reader.line_num}")
        found.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    return found


def _check_width(row: dict[str | None, object], width: int, where: str) -> None:
    """Refuse a truncated or ragged row: its field count must be the header's."""
    extra = row.get(None)
    count = width + len(extra) if isinstance(extra, list) else sum(v is not None for v in row.values())
    if count != width:
        raise SourceError(f"the row has {count} fields where the header has {width} (a truncated or "
                          "ragged row, or an unquoted separator in a cell)", location=where,
                          hint="download the file again, or quote the cell holding the separator")


def amount(text: str, where: str) -> int | float | None:
    """An amount with a decimal comma or point ("1234567,5", "1200000.00"); whole amounts stay integers."""
    if not text:
        return None
    try:
        value = Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise SourceError(f"{text!r} is not an amount", location=where) from None
    if not value.is_finite():
        raise SourceError(f"{text!r} is not an amount", location=where)
    if value < 0:
        raise SourceError(f"{text!r} is a negative amount", location=where)
    return int(value) if value == value.to_integral_value() else float(value)


def day(text: str, where: str) -> str | None:
    """An ISO date (``YYYY-MM-DD``, a time after it is ignored) or a ``DD/MM/YYYY`` date, as ISO."""
    if not text:
        return None
    match = _DMY.fullmatch(text)
    iso = f"{match[3]}-{match[2]}-{match[1]}" if match else text[:10]
    try:
        return dt.date.fromisoformat(iso).isoformat()
    except ValueError:
        raise SourceError(f"{text!r} is not a date", location=where) from None


def website(url: str) -> str | None:
    """A web address without its scheme and trailing slash (the form curated ``website`` identifiers take)."""
    bare = url.split("://", 1)[-1].strip().rstrip("/")
    return bare or None


def split_values(text: str) -> list[str]:
    """The values of a multi-valued cell (``a|b``), blanks dropped."""
    return [part.strip() for part in text.split("|") if part.strip()]
