"""The one CSV writer: the interchange files, the public exports and the
stats API's CSV all write records the same way, quoted as needed and ended by
``\\r\\n`` (RFC 4180, and Python's csv default: the importer and spreadsheets
read it, and a ``\\n`` inside a cell stays apart from a record's end)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

LINE_END = "\r\n"


class _Echo:
    """A file that hands back what is written to it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one CSV record, for a streaming response:
    ``StreamingHttpResponse(csv_lines(rows))``."""
    writer = csv.writer(_Echo(), lineterminator=LINE_END)
    for row in rows:
        yield writer.writerow(row)


def csv_text(rows: Iterable[Iterable]) -> str:
    """The rows as one CSV text."""
    return "".join(csv_lines(rows))


def write_csv(path: str | Path, rows: Iterable[Iterable]) -> int:
    """Write ``rows`` to ``path`` as UTF-8 CSV; return how many were written."""
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        for line in csv_lines(rows):
            out.write(line)
            written += 1
    return written
