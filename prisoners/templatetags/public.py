"""Tags every public page uses."""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template

from ..history import data_last_changed

register = template.Library()

# An <input type="date">'s value: a valid date string or nothing (HTML).
DATE_STRING = re.compile(r"\d{4,}-\d{2}-\d{2}")


@register.simple_tag
def last_changed():
    """When public data last changed (one query)."""
    return data_last_changed()


@register.filter
def machine_datetime(value) -> str:
    """A ``datetime`` attribute: HTML allows at most three digits of a
    second's fraction, so whole seconds (``2026-12-04T19:33:17+00:00``)."""
    if not isinstance(value, datetime):
        return ""
    return value.isoformat(timespec="seconds")


@register.filter
def date_value(value) -> str:
    """The value of an <input type="date">: a date as YYYY-MM-DD, or "" for
    anything else (an invalid filter the reader typed is named by its error
    message; HTML forbids it in the value, and browsers would drop it)."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "")
    if not DATE_STRING.fullmatch(text):
        return ""
    try:
        date.fromisoformat(text)
    except ValueError:
        return ""
    return text
