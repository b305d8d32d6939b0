"""Reading a file of the format: bytes in, numbered records out, and every
problem with the file itself reported in the format's error grammar."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from typing import BinaryIO

from .columns import KINDS, Kind, recognize

# The csv module refuses a cell over 131,072 characters by default, which a
# bio the admin saved, or a person's list of sources, may exceed: a full
# export must import back. The columns check each value's own limit (the
# models'); the upload's size bounds the rest. (A process-wide setting: it
# only ever widens what other readers accept.)
csv.field_size_limit(2**31 - 1)


class Problems:
    """The errors found so far, each ``PATH:LINE: COLUMN: message``."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, int, str]] = []
        self._files: dict[str, int] = {}

    def register(self, path: str) -> None:
        """Errors sort by file in the order files are registered."""
        self._files.setdefault(path, len(self._files))

    def add(self, path: str, line: int, column: str, message: str) -> None:
        self.register(path)
        order = self._files[path]
        text = f"{path}:{line}: {column or '-'}: {message}"
        self._items.append((order, line, len(self._items), text))

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def lines(self) -> list[str]:
        """Sorted by file (in the order given) and line."""
        return [item[3] for item in sorted(self._items)]


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
    """One file: its kind, its columns and its records.

    ``records()`` yields ``(line, {column: cell})`` with LINE the physical line
    where the record starts (a quoted cell may span lines); blank rows are
    skipped. ``kind`` is None when the file cannot be read as one of the
    format's files; the reason is in ``problems``.
    """

    def __init__(self, path: str, source: BinaryIO, problems: Problems):
        self.path = path
        self.problems = problems
        problems.register(path)
        self.kind: Kind | None = None
        self.columns: list[str | None] = []
        self.present: frozenset[str] = frozenset()
        self.undecodable = False
        self._lines = self._decoded_lines(source)
        self._reader = csv.reader(self._lines)
        self._read_header()

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.add(self.path, line, column, message)

    def _decoded_lines(self, source: BinaryIO) -> Iterator[str]:
        for number, raw in enumerate(_binary_lines(source), 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as error:
                self.problem(
                    number,
                    "-",
                    f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} on this line): "
                    "save it as CSV in UTF-8",
                )
                self.undecodable = True
                return

    def _read_header(self) -> None:
        try:
            header = next(self._reader, None)
        except csv.Error as error:
            self.problem(1, "-", f"the header is not valid CSV: {error}")
            return
        if self.undecodable:
            return
        names = [cell.strip().lower() for cell in header or []]
        if not any(names):
            if self._rest_is_blank():
                self.problem(1, "-", "the file is empty: line 1 must be the header")
            else:
                self.problem(1, "-", "line 1 must be the header, but it is blank")
            return
        kind = recognize(names)
        if kind is None:
            expected = "; or ".join(f"{', '.join(k.names[:3])}… ({k.filename})" for k in KINDS)
            self.problem(1, "-", f"unrecognized header: expected the columns {expected}")
            return
        seen: set[str] = set()
        columns: list[str | None] = []
        for name in names:
            if not name:
                self.problem(1, "-", "a column has no name in the header")
                columns.append(None)
            elif name in seen:
                self.problem(1, _shown(name), "the column is given twice")
                columns.append(None)
            elif name not in kind.by_name:
                self.problem(1, _shown(name), f"unknown column for {kind.filename}")
                columns.append(None)
            else:
                columns.append(name)
            seen.add(name)
        self.columns = columns
        self.present = frozenset(c for c in columns if c)
        self.kind = kind

    def _rest_is_blank(self) -> bool:
        return all(not line.strip() for line in self._lines)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        if self.kind is None:
            return
        width = len(self.columns)
        start = self._reader.line_num + 1
        try:
            for cells in self._reader:
                line, start = start, self._reader.line_num + 1
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != width:
                    self.problem(
                        line, "-", f"the row has {len(cells)} cells but the header has {width}"
                    )
                    continue
                yield line, {c: cell for c, cell in zip(self.columns, cells, strict=True) if c}
        except csv.Error as error:
            self.problem(start, "-", f"not valid CSV: {error}")
