"""Tags every public page uses."""

from django import template
from django.utils.translation import ngettext, pgettext

from .. import query_strings
from ..history import data_last_changed
from ..public import citation

register = template.Library()


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
