"""The one CSV writer: the interchange files, the public exports and the
stats API's CSV all write records the same way, quoted as needed and ended by
``\\r\\n`` (RFC 4180, and Python's csv default: the importer and spreadsheets
read it, and a ``\\n`` inside a cell stays apart from a record's end).

Public answers are read in spreadsheets, which run a cell starting with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a
formula: a name or a source typed by anyone could then fetch URLs or run
commands on a reader's machine. In public answers such a text cell gets a
``'`` in front (OWASP's advice on CSV injection); numbers are left alone (a
number is never a formula, and ours are never negative). The full export
(``export_records``) is a backup for the importer, not for spreadsheets: it
writes every cell exactly, and the importer reads cells exactly (a public
export read back keeps its ``'``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

LINE_END = "\r\n"
# What a spreadsheet may take for the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file that hands back what is written to it."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_safe(cell):
    """``cell`` as a spreadsheet shows it as text, never runs it."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_lines(rows: Iterable[Iterable], *, public: bool = True) -> Iterator[str]:
    """Each row as one CSV record, for a streaming response:
    ``StreamingHttpResponse(csv_lines(rows))``. Public unless said otherwise
    (a new answer is safe by default): cells that a spreadsheet would run as
    formulas are made text."""
    writer = csv.writer(_Echo(), lineterminator=LINE_END)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row] if public else row)


def csv_text(rows: Iterable[Iterable], *, public: bool = True) -> str:
    """The rows as one CSV text."""
    return "".join(csv_lines(rows, public=public))


def write_csv(path: str | Path, rows: Iterable[Iterable]) -> int:
    """Write ``rows`` to ``path`` as UTF-8 CSV, every cell exactly (the full
    export, a backup); return how many were written."""
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        for line in csv_lines(rows, public=False):
            out.write(line)
            written += 1
    return written
