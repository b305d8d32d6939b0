"""Files as curators keep them: spreadsheets (.xlsx, .xls, .ods, read by
python-calamine) and CSV in UTF-8 or Windows-1251 (the Cyrillic CSV Excel
saves), each turned into numbered rows of cells.

A spreadsheet's cells keep their Python type (a date cell is a date, a
number a float); values.py turns them into the format's text.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from ..messages import say

SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods")
SUFFIXES = (".csv", *SPREADSHEET_SUFFIXES)
# What a CSV that is not UTF-8 may be read as: Excel's "CSV" in a Russian or
# Belarusian Windows.
WINDOWS_1251 = "cp1251"
ENCODINGS = ("utf-8", WINDOWS_1251)


class Unreadable(Exception):
    """A file that is not a spreadsheet we can read; the message says why."""


def is_spreadsheet(name: str) -> bool:
    return PurePath(name).suffix.lower() in SPREADSHEET_SUFFIXES


def spreadsheet_rows(source: BinaryIO) -> Iterator[tuple[int, list]]:
    """``(row number, cells)`` of the first sheet, numbered as the
    spreadsheet numbers its rows. Raises Unreadable."""
    try:
        sheet = CalamineWorkbook.from_filelike(source).get_sheet_by_index(0)
    except PasswordError:
        raise Unreadable(
            say("the spreadsheet is protected by a password: save a copy without one")
        ) from None
    except (CalamineError, ValueError, OSError) as error:
        raise Unreadable(
            say(
                "the file cannot be read as a spreadsheet (%(error)s): it may be damaged or "
                "protected by a password; open it and save it again as .xlsx, .ods or CSV",
                error=str(error),
            )
        ) from None
    # Rows are given from the sheet's first row (blank ones before its first
    # cell used too), so that the numbers are the sheet's.
    yield from enumerate(sheet.iter_rows(), 1)


def is_utf8(source: BinaryIO, size: int = 1 << 16) -> bool:
    """Whether the whole of ``source`` is UTF-8; reads it to its end."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := source.read(size):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def first_lines(source: BinaryIO, encoding: str, count: int = 5) -> list[str]:
    """The first ``count`` lines of a text file, decoded as ``encoding``
    (for a curator to see whether the encoding is right)."""
    lines = []
    for raw in source:
        lines.append(raw.decode(encoding, errors="replace").rstrip("\r\n"))
        if len(lines) == count:
            break
    return lines
