"""A date cell's text read as a partial date once an import.

The same text was parsed again by each step that needs the date (reading
the cell, the checks, the matching, setting it on the record): about
three times a date. Within ``parsed_once`` (one run_import) each distinct
text is parsed once; the few thousand distinct dates of a file are kept
for that import only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..partial_dates import PartialDate

# The text's date and its form in the files ("2021-07"), by the text.
_parsed: ContextVar[dict[str, tuple[PartialDate, str]] | None] = ContextVar(
    "parsed_dates", default=None
)


@contextmanager
def parsed_once() -> Iterator[None]:
    token = _parsed.set({})
    try:
        yield
    finally:
        _parsed.reset(token)


def _read(text: str) -> tuple[PartialDate, str]:
    known = _parsed.get()
    found = known.get(text) if known is not None else None
    if found is None:
        day = PartialDate.parse(text)  # a ValueError is raised again each time
        found = (day, str(day))
        if known is not None:
            known[text] = found
    return found


def parse(text: str) -> PartialDate:
    """PartialDate.parse(text)."""
    return _read(text)[0]


def written(text: str) -> str:
    """str(PartialDate.parse(text)): the date as the files write it."""
    return _read(text)[1]
