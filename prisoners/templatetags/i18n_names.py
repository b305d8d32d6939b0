"""Languages on the public pages: the switcher, names in the page's script,
numbers grouped for the language."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import formats, translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from .. import local_names, query_strings
from ..local_names import LocalNames

register = template.Library()

# Django's Belarusian catalog spells months in the classical orthography (and
# "F" in the genitive): ours, in locale/, take precedence and match the site.
MONTHS = [
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
    gettext_lazy("jan"),
    gettext_lazy("feb"),
    gettext_lazy("mar"),
    gettext_lazy("apr"),
    gettext_lazy("may"),
    gettext_lazy("jun"),
    gettext_lazy("jul"),
    gettext_lazy("aug"),
    gettext_lazy("sep"),
    gettext_lazy("oct"),
    gettext_lazy("nov"),
    gettext_lazy("dec"),
]


@register.filter
def display_name(person) -> str:
    return local_names.display_name(person)


@register.filter
def person_name(person) -> str:
    """The name as HTML, in the page's script with the Latin form beside it."""
    return local_names.html_name(person)


@register.simple_tag(takes_context=True)
def shown_name(context, kind: str, value: str) -> str:
    """A region, country or sanctions authority as the page's language
    writes it (``{% shown_name "region" person.region %}``), or as recorded.
    The names are read once for the whole page (includes share its render
    context), not once a row."""
    return _page_names(context).shown(kind, value)


@register.simple_tag(takes_context=True)
def sanctions_title(context, event) -> str:
    """A sanctions event's title with its authority in the page's language
    (``{% sanctions_title event %}``)."""
    return event.title_with(_page_names(context).shown("authority", event.authority))


def _page_names(context) -> LocalNames:
    names = context.render_context.get(LocalNames)
    if names is None:
        names = context.render_context[LocalNames] = LocalNames()
    return names


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page, with its filters in use, in each language."""
    request = context.get("request")
    current = translation.get_language()
    full_path = query_strings.citable_path(request) if request else "/"
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(full_path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.filter
def number(value):
    """An integer grouped as the language writes it (12 345, 12,345)."""
    if value is None or value == "":
        return value
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def startswith(text, prefix) -> bool:
    return str(text).startswith(str(prefix))
