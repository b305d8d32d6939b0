"""Tags every public page uses."""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext, pgettext

from .. import local_names, query_strings
from ..choices import SentenceType
from ..partial_dates import PartialDate, Precision, month_in_full
from ..public import citation

register = template.Library()


@register.simple_tag
def jinja2(template_name: str, **values) -> SafeString:
    """``template_name`` rendered by the Jinja2 engine (settings.TEMPLATES)
    with ``values``: the rows of a long list, which Django's template
    language renders several times slower. Jinja2 has escaped its output."""
    return mark_safe(engines["jinja2"].get_template(template_name).render(values))


# A status said of one person agrees with their recorded gender in
# Belarusian and Russian ("памерлая", "умерший"); without a recorded gender
# the status's own label is shown.
# An <input type="date">'s value: a valid date string or nothing (HTML).
DATE_STRING = re.compile(r"\d{4,}-\d{2}-\d{2}")


@register.simple_tag(takes_context=True)
def last_changed(context):
    """When public data last changed (one query a request)."""
    return citation.last_changed(context.get("request"))


@register.simple_tag(takes_context=True)
def query_in_use(context, **changes):
    """This page's query string with only the filters in use (see
    query_strings.in_use): ``{% query_in_use page=None %}``."""
    return query_strings.in_use(context["request"].GET, **changes)


@register.simple_tag(takes_context=True)
def cite_url(context):
    """The address to cite this page by: its filters in use, no empty field,
    and ``as_of`` the data version's day where the page takes it."""
    request = context["request"]
    return citation.cite_url(request, citation.last_changed(request))


@register.simple_tag(takes_context=True)
def cite(context) -> dict:
    """This page's citation: ``url``, the ``day`` it names and when the data
    last ``changed`` (``{% cite as citation %}``)."""
    request = context["request"]
    changed = citation.last_changed(request)
    return {
        "url": citation.cite_url(request, changed),
        "day": citation.cited_day(request, changed),
        "changed": changed,
    }


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


@register.simple_tag
def sentence_type_label(value: str) -> str:
    """A sentence type's label ("penal colony"), of a detention, a sentence
    change or a term alike."""
    labels = dict(SentenceType.choices)
    return str(labels.get(value, value))


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


@register.filter
def gendered_status(person) -> str:
    """The person's status, in the form that agrees with their gender."""
    return local_names.shown_status(person)


@register.filter
def day(value: date) -> str:
    """A day as the language writes it: "14 Jul 2021", "14 ліпеня 2021"."""
    return PartialDate(value, Precision.DAY).display() if isinstance(value, date) else ""


@register.filter
def month(value: date, form: str = "") -> str:
    """A month as the language writes it: "Jul 2021", "ліпень 2021";
    ``|month:"full"`` in a heading: "July 2021", "ліпень 2021"."""
    if not isinstance(value, date):
        return ""
    if form == "full":
        return month_in_full(value)
    return PartialDate(value, Precision.MONTH).display()


@register.simple_tag
def field_label(form, name: str) -> str:
    """The label a reader sees for a field of a filter form (its error list
    names fields by what the form shows, never by the query parameter)."""
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name
