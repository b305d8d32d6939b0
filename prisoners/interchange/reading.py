"""Reading a file of the format: bytes in, numbered records out, and every
problem with the file itself reported in the format's error grammar."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..messages import Message, either, from_data, reason, say, say_count, to_data
from .columns import KINDS, Kind, recognize
from .mapping import PROPOSED, Mapping, header_key
from .sheets import WINDOWS_1251, Unreadable, is_spreadsheet, is_utf8, spreadsheet_rows
from .values import DMY, convert, text_of

# The csv module refuses a cell over 131,072 characters by default, which a
# bio the admin saved, or a person's list of sources, may exceed: a full
# export must import back. The columns check each value's own limit (the
# models'); the upload's size bounds the rest. (A process-wide setting: it
# only ever widens what other readers accept.)
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class Problem:
    """One error: ``PATH:LINE: COLUMN: message`` with the file's own line
    and column names (never translated: they are the file's), the message
    said in the language active when shown."""

    path: str
    line: int
    column: str
    message: Message | str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column or '-'}: {self.message}"

    def as_data(self) -> list:
        """JSON-friendly (a background import keeps its errors so)."""
        return [self.path, self.line, self.column, to_data(self.message)]

    @classmethod
    def from_data(cls, data: list | str) -> Problem | str:
        """The problem back; a line kept as text (by an older version) as it is."""
        if isinstance(data, str):
            return data
        path, line, column, message = data
        return cls(path, line, column, from_data(message))


class Problems:
    """The errors found so far, each a Problem."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, int, Problem]] = []
        self._files: dict[str, int] = {}
        # A mapped file's own header for each of our columns, by path:
        # errors name the columns as the file does.
        self._headers: dict[str, dict[str, str]] = {}

    def register(self, path: str) -> None:
        """Errors sort by file in the order files are registered."""
        self._files.setdefault(path, len(self._files))

    def name_columns(self, path: str, headers: dict[str, str]) -> None:
        self._headers[path] = headers

    def add(self, path: str, line: int, column: str, message: Message | str) -> None:
        self.register(path)
        order = self._files[path]
        column = self._headers.get(path, {}).get(column, column)
        self._items.append((order, line, len(self._items), Problem(path, line, column, message)))

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Problem]:
        """Sorted by file (in the order given) and line."""
        return [item[3] for item in sorted(self._items, key=lambda item: item[:3])]

    def lines(self) -> list[str]:
        """The sorted problems as lines, in the active language."""
        return [str(problem) for problem in self.sorted()]


# A mapped cell whose value could not be read: its error is said, and the
# read pass takes the column as broken (no second error about it).
UNREADABLE = "\x00unreadable"


def _binary_lines(source: BinaryIO, size: int = 1 << 16) -> Iterator[bytes]:
    """Lines ending in ``\\n`` (so ``\\r\\n`` too), whatever the file object.

    In time linear in the file's size, however long a line: the pieces of an
    unfinished line are kept apart and joined once, when it ends (adding each
    chunk to the unfinished line, and splitting it again, took time growing
    with the square of a line's length: 15 s for a 40 MB file without line
    breaks)."""
    pending: list[bytes] = []
    while chunk := source.read(size):
        parts = chunk.split(b"\n")
        if len(parts) == 1:
            pending.append(chunk)
            continue
        pending.append(parts[0])
        yield b"".join(pending) + b"\n"
        for part in parts[1:-1]:
            yield part + b"\n"
        pending = [parts[-1]] if parts[-1] else []
    if pending:
        yield b"".join(pending)


def _shown(name: str, limit: int = 60) -> str:
    """A column name as an error names it: a file without line breaks is
    one header cell of many megabytes, which no message should repeat."""
    return name if len(name) <= limit else name[:limit] + "…"


class Table:
    """One file, a CSV or a spreadsheet's first sheet: its kind, its columns
    and its records.

    ``records()`` yields ``(line, {column: cell})`` with LINE the file's own
    line: for a CSV the physical line where the record starts (a quoted cell
    may span lines), for a spreadsheet its row number; blank rows are
    skipped. A file whose header is not the format's is read through
    ``mapping``, its cells converted as values.py says, and its errors name
    its own columns. ``encoding="cp1251"`` reads a CSV that is not UTF-8 as
    Windows-1251. ``kind`` is None when the file cannot be read as one of
    the format's files; the reason is in ``problems``.
    """

    def __init__(
        self,
        path: str,
        source: BinaryIO,
        problems: Problems,
        mapping: Mapping | None = None,
        encoding: str | None = None,
    ):
        self.path = path
        self.problems = problems
        problems.register(path)
        self.kind: Kind | None = None
        self.columns: list[str | None] = []
        self.present: frozenset[str] = frozenset()
        # The header row as the file writes it, and where it is.
        self.headers: list[str] = []
        self.header_line = 1
        self.undecodable = False
        # Whether the header is the file's own (not a title, not the
        # format's): the admin then asks the curator for a mapping.
        self.foreign = False
        self.mapping = mapping
        self._mapped = False
        self.spreadsheet = is_spreadsheet(path)
        self.encoding = "utf-8"
        if self.spreadsheet:
            self._rows = self._spreadsheet_rows(source)
        else:
            if encoding == WINDOWS_1251 and source.seekable():
                start = source.tell()
                if not is_utf8(source):
                    self.encoding = WINDOWS_1251
                source.seek(start)
            self._rows = self._csv_rows(source)
        self._read_header()

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.add(self.path, line, column, message)

    def _decoded_lines(self, source: BinaryIO) -> Iterator[str]:
        for number, raw in enumerate(_binary_lines(source), 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                self.problem(
                    number,
                    "-",
                    say(
                        "the file is not UTF-8 text (byte %(byte)s on this line): save it as "
                        "CSV in UTF-8, or read it as Windows-1251 (--encoding cp1251)",
                        byte=f"0x{raw[error.start]:02x}",
                    ),
                )
                self.undecodable = True
                return

    def _csv_rows(self, source: BinaryIO) -> Iterator[tuple[int, list]]:
        reader = csv.reader(self._decoded_lines(source))
        start = 1
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                yield line, cells
        except csv.Error as error:
            if start == 1:
                message = say("the header is not valid CSV: %(error)s", error=str(error))
            else:
                message = say("not valid CSV: %(error)s", error=str(error))
            self.problem(start, "-", message)
            self.undecodable = True

    def _spreadsheet_rows(self, source: BinaryIO) -> Iterator[tuple[int, list]]:
        try:
            yield from spreadsheet_rows(source)
        except Unreadable as error:
            self.problem(1, "-", reason(error))
            self.undecodable = True

    def _read_header(self) -> None:
        line, header = next(self._rows, None) or (1, [])
        if self.spreadsheet:
            # A sheet's table may start lower down; its first row used is the header.
            while not _filled(header) and (row := next(self._rows, None)):
                line, header = row
        if self.undecodable:
            return
        self.header_line = line
        self.headers = [text_of(cell).strip() for cell in header]
        names = [name.lower() for name in self.headers]
        given = [name for name in self.headers if name]
        if not given:
            if self._rest_is_blank():
                if self.spreadsheet:
                    message = say("the sheet is empty: line 1 must be the header")
                else:
                    message = say("the file is empty: line 1 must be the header")
                self.problem(line, "-", message)
            else:
                message = say("line %(line)s must be the header, but it is blank", line=line)
                self.problem(line, "-", message)
            return
        kind = recognize(names)
        if self.spreadsheet and len(given) == 1 and kind is None:
            self.problem(
                line,
                "-",
                say(
                    "the first row has one cell only (%(cell)r): the header must be the first "
                    "row, one name a column; delete any title above it",
                    cell=_shown(given[0]),
                ),
            )
            return
        self.foreign = kind is None or not {n for n in names if n} <= set(kind.by_name)
        if self.mapping is not None and self.foreign:
            self._map_header(line)
            return
        if kind is None:
            expected = [f"{', '.join(k.names[:3])}… ({k.filename})" for k in KINDS]
            self.problem(
                line,
                "-",
                say(
                    "unrecognized header: expected the columns %(expected)s; "
                    "or map the file's own columns (--mapping)",
                    expected=either(expected, "; or "),
                ),
            )
            return
        seen: set[str] = set()
        columns: list[str | None] = []
        for name in names:
            if not name:
                self.problem(line, "-", say("a column has no name in the header"))
                columns.append(None)
            elif name in seen:
                self.problem(line, _shown(name), say("the column is given twice"))
                columns.append(None)
            elif name not in kind.by_name:
                self.problem(
                    line, _shown(name), say("unknown column for %(file)s", file=kind.filename)
                )
                columns.append(None)
            else:
                columns.append(name)
            seen.add(name)
        self.columns = columns
        self.present = frozenset(c for c in columns if c)
        self.kind = kind

    def _map_header(self, line: int) -> None:
        kind, columns, errors = self.mapping.apply(self.headers)
        keys = [header_key(h) for h in self.headers]
        for number, key in enumerate(keys):
            if key and key in keys[:number]:
                errors.append((self.headers[number], say("the column is given twice")))
        for header, message in errors:
            self.problem(line, _shown(header), message)
        if errors:
            return
        self.problems.name_columns(
            self.path,
            {c: _shown(h) for h, c in zip(self.headers, columns, strict=True) if c},
        )
        self.columns = columns
        self.present = frozenset(c for c in columns if c)
        self.kind = kind
        self._mapped = True

    def _rest_is_blank(self) -> bool:
        return all(not _filled(cells) for _line, cells in self._rows)

    def rows(self) -> Iterator[tuple[int, list]]:
        """The rows after the header, as the file holds them (not blank)."""
        for line, cells in self._rows:
            if _filled(cells):
                yield line, cells

    def _looks_like_a_header(self, cells: list) -> bool:
        """A second header row: cells naming columns, the file's or ours."""
        names = {header_key(h) for h in self.headers} | set(PROPOSED) | set(self.kind.by_name)
        texts = [header_key(c) for c in cells if isinstance(c, str) and c.strip()]
        return len(texts) >= 2 and sum(t in names for t in texts) * 2 >= len(texts)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        if self.kind is None:
            return
        width = len(self.columns)
        first = True
        for line, cells in self.rows():
            if self.spreadsheet and len(cells) > width:
                if _filled(cells[width:]):
                    self.problem(
                        line, "-", say("the row has a value beyond the header's last column")
                    )
                    continue
                cells = cells[:width]
            elif self.spreadsheet:
                cells = list(cells) + [""] * (width - len(cells))
            if len(cells) != width:
                self.problem(
                    line,
                    "-",
                    say_count(
                        "the row has %(cells)s cell but the header has %(width)s",
                        "the row has %(cells)s cells but the header has %(width)s",
                        "cells",
                        cells=len(cells),
                        width=width,
                    ),
                )
                continue
            if first and (self._mapped or self.spreadsheet) and self._looks_like_a_header(cells):
                self.problem(
                    line,
                    "-",
                    say(
                        "this row looks like a second header row: keep one header row, "
                        "line %(line)s, and delete this one",
                        line=self.header_line,
                    ),
                )
                return
            first = False
            yield line, self._cells(line, cells)

    def _cells(self, line: int, cells: list) -> dict[str, str]:
        pairs = zip(self.columns, cells, strict=True)
        if not self._mapped:
            if self.spreadsheet:
                return {c: text_of(cell) for c, cell in pairs if c}
            return {c: cell for c, cell in pairs if c}
        values = {}
        for column, cell in pairs:
            if not column:
                continue
            try:
                values[column] = convert(column, cell, self.mapping.dates or DMY)
            except ValueError as error:
                self.problem(line, column, reason(error))
                values[column] = UNREADABLE
        return values


def _filled(cells: list) -> bool:
    return any(text_of(cell).strip() for cell in cells)
