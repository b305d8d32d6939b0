"""Whether a cell's word is a URL, asked once per distinct URL in an import.

The same sources repeat across thousands of rows of a file, and Django's
URLValidator was about half of the time spent reading the cells. The
answers are kept for one import only (``checked_once``), never across
imports: nothing outlives the file that asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_validator = URLValidator()
# The URLs found valid so far in the current import (None outside one).
_valid: ContextVar[set[str] | None] = ContextVar("valid_urls", default=None)


@contextmanager
def checked_once() -> Iterator[None]:
    """Within this block, is_url() validates each distinct URL once."""
    token = _valid.set(set())
    try:
        yield
    finally:
        _valid.reset(token)


def is_url(text: str) -> bool:
    """Whether Django's URLValidator accepts ``text``."""
    valid = _valid.get()
    if valid is not None and text in valid:
        return True
    try:
        _validator(text)
    except ValidationError:
        return False
    if valid is not None:
        valid.add(text)
    return True
