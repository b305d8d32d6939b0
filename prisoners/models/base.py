"""What every record model shares: id formats, the public/private help
texts, history, date-order constraints and fast choice labels."""

from __future__ import annotations

import functools

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.encoding import force_str
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..history import history_user

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# An event id also needs a letter, so that it never looks like a year in
# /releases/<yyyy>/.
EVENT_ID_LETTER = r"[a-z]"

id_validator = RegexValidator(
    ID_PATTERN,
    _("Use lower-case letters, digits and '-', starting with a letter or digit."),
)
event_id_validator = RegexValidator(EVENT_ID_LETTER, _("An event id contains at least one letter."))

# The longest free text (a bio, notes, a description): one limit, which the
# admin's forms and the importer's columns both read, so that whatever is
# saved also imports back from the full export.
LONG_TEXT = 200_000
# Lists of names are ';'-separated in the interchange files: a name holding
# one would come back from the full export as two.
name_in_list_validator = RegexValidator(
    r";",
    _("Cannot contain ';', which separates names in the interchange files."),
    inverse_match=True,
)

PUBLIC = _("Shown publicly once published.")
PRIVATE = _("Private: never shown publicly or exported publicly.")


def shown_publicly(help_text):
    """``help_text`` followed by ``PUBLIC``, both translated when shown (a
    lazy string added to another would be English from import on)."""
    return format_lazy("{}{}", help_text, PUBLIC)


def in_be_ru(field_class, label_be, label_ru, **kwargs) -> tuple[models.Field, models.Field]:
    """A curator's text in Belarusian and in Russian, beside the English one
    (``local_names.in_language`` picks the page's)."""
    return (
        field_class(
            label_be,
            blank=True,
            help_text=shown_publicly(
                _("Shown on the Belarusian pages; leave empty to show the English text. ")
            ),
            **kwargs,
        ),
        field_class(
            label_ru,
            blank=True,
            help_text=shown_publicly(
                _("Shown on the Russian pages; leave empty to show the English text. ")
            ),
            **kwargs,
        ),
    )


def _history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(get_user=history_user, **kwargs)


class Superseded(models.Model):
    """A history row's end: the earliest history_date of its record's later
    rows (by history_id), NULL on the latest. Database triggers keep it
    (migration 0027): every writer (save()'s signal, the importer's COPY,
    bulk_create, a changed history_date) is covered without knowing of it."""

    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class _DatedHistory(HistoricalRecords):
    def __init__(self, *, in_force_with: str, **kwargs):
        super().__init__(**kwargs)
        self.in_force_with = in_force_with

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        # The rows in force at a moment (as_of.in_force(): history_date <
        # moment <= superseded_at), read from the index alone: the history
        # rows are wide (bios, notes), the index a tenth of them. Key
        # columns rather than INCLUDE, which SQLite lacks.
        fields = ["history_date", "superseded_at", "history_type", "id", self.in_force_with]
        name = f"h{model._meta.model_name}_in_force"
        meta["indexes"] = (models.Index(fields=fields, name=name),)
        return meta


def _dated_history(in_force_with: str, **kwargs) -> HistoricalRecords:
    """History whose rows know when they stopped being in force (as_of.py);
    ``in_force_with``: the column the rows in force are asked by, besides
    the record's id (a person's visibility, a detention's person)."""
    return _DatedHistory(
        get_user=history_user, bases=[Superseded], in_force_with=in_force_with, **kwargs
    )


def _order(later: str, earlier: str) -> Q:
    """``later`` may fall on or after ``earlier`` (either unknown passes)."""
    return (
        Q(**{f"{later}_last__gte": F(f"{earlier}_first")})
        | Q(**{f"{later}_first__isnull": True})
        | Q(**{f"{earlier}_first__isnull": True})
    )


class ChoiceLabels(models.Model):
    """get_FOO_display() by one dict lookup. Django's own hashes every label
    of the field's choices on each call, which translates each lazy label:
    on a list of 50 people, about a third of the page's rendering time."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        return _label(field, getattr(self, field.attname))

    @classmethod
    def label_of(cls, name: str, value):
        """get_<name>_display() of a value read as a column (``values()``)."""
        return _label(cls._meta.get_field(name), value)


def _label(field, value):
    return force_str(_choice_labels(field).get(value, value), strings_only=True)


@functools.cache
def _choice_labels(field) -> dict:
    return dict(field.flatchoices)
