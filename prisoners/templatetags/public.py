"""Tags every public page uses."""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.utils.translation import ngettext, pgettext

from .. import query_strings
from ..history import data_last_changed
from ..public import citation

register = template.Library()

# An <input type="date">'s value: a valid date string or nothing (HTML).
DATE_STRING = re.compile(r"\d{4,}-\d{2}-\d{2}")


@register.simple_tag
def last_changed():
    """When public data last changed (one query)."""
    return data_last_changed()


@register.simple_tag(takes_context=True)
def query_in_use(context, **changes):
    """This page's query string with only the filters in use (see
    query_strings.in_use): ``{% query_in_use page=None %}``."""
    return query_strings.in_use(context["request"].GET, **changes)


@register.simple_tag(takes_context=True)
def cite_url(context):
    """The address to cite this page by: its filters in use, no empty field."""
    return citation.cite_url(context["request"])


@register.filter
def sentence_length(months: int | None) -> str:
    """A sentence's length as a reader says it: "8 months", "6 years",
    "2 years 3 months" (with each language's plural forms)."""
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    in_months = ngettext("%(n)d month", "%(n)d months", rest) % {"n": rest}
    if not years:
        return in_months
    in_years = ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    if not rest:
        return in_years
    return pgettext("a sentence's length", "%(years)s %(months)s") % {
        "years": in_years,
        "months": in_months,
    }


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
