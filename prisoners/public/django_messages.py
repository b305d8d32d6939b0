"""Django's own messages that reach the public pages, listed so that our
catalogs hold them.

Django's Belarusian catalog is written in the classical orthography
(taraškievica: "Пазначце чынную дату."), ours in the official one; a msgid in
locale/ takes precedence over Django's (LOCALE_PATHS comes first), so each
message a reader can meet on a public page (a filter's error, a date's month)
is translated again here. The admin keeps Django's catalog. Nothing imports
this module: makemessages reads it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.forms.fields and django.core.validators, as the filter forms raise them.
FORM_ERRORS = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
]
