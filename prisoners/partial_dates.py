"""Dates known to the day, the month or only the year.

A partial date is stored as three columns, ``<name>_first``, ``<name>_last`` and
``<name>_precision``: the first and last day it may be, and how precisely it is
known. Filters and counts use the first day; order checks ("release not before
arrest") compare the later date's last day with the earlier date's first day,
so a release in ``2021-07`` after an arrest on ``2021-07-14`` is valid.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils.autoreload import file_changed
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .messages import say


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


# A date's month in the form each language writes it. English abbreviates
# ("14 Jul 2021", "Jul 2021"); Belarusian and Russian write the month in full
# and in lower case: the genitive after a day ("14 ліпеня 2021", "14 июля
# 2021"), the nominative before a year alone ("ліпень 2021", which also reads
# right after a colon). Django's "M" capitalizes them ("14 Июл 2021") and its
# Belarusian catalog is in the classical orthography, so these are our own.
MONTHS_AFTER_DAY = [
    pgettext_lazy("month after a day, in full in be/ru", "Jan"),
    pgettext_lazy("month after a day, in full in be/ru", "Feb"),
    pgettext_lazy("month after a day, in full in be/ru", "Mar"),
    pgettext_lazy("month after a day, in full in be/ru", "Apr"),
    pgettext_lazy("month after a day, in full in be/ru", "May"),
    pgettext_lazy("month after a day, in full in be/ru", "Jun"),
    pgettext_lazy("month after a day, in full in be/ru", "Jul"),
    pgettext_lazy("month after a day, in full in be/ru", "Aug"),
    pgettext_lazy("month after a day, in full in be/ru", "Sep"),
    pgettext_lazy("month after a day, in full in be/ru", "Oct"),
    pgettext_lazy("month after a day, in full in be/ru", "Nov"),
    pgettext_lazy("month after a day, in full in be/ru", "Dec"),
]
MONTHS_BEFORE_YEAR = [
    pgettext_lazy("month before a year alone, in full in be/ru", "Jan"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Feb"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Mar"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Apr"),
    pgettext_lazy("month before a year alone, in full in be/ru", "May"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Jun"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Jul"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Aug"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Sep"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Oct"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Nov"),
    pgettext_lazy("month before a year alone, in full in be/ru", "Dec"),
]
# Where space is short (a chart's ticks): a lower-case dotted abbreviation
# ("ліп. 2021", "июль 2021").
MONTHS_SHORT = [
    pgettext_lazy("month abbreviation, before a year only", "Jan"),
    pgettext_lazy("month abbreviation, before a year only", "Feb"),
    pgettext_lazy("month abbreviation, before a year only", "Mar"),
    pgettext_lazy("month abbreviation, before a year only", "Apr"),
    pgettext_lazy("month abbreviation, before a year only", "May"),
    pgettext_lazy("month abbreviation, before a year only", "Jun"),
    pgettext_lazy("month abbreviation, before a year only", "Jul"),
    pgettext_lazy("month abbreviation, before a year only", "Aug"),
    pgettext_lazy("month abbreviation, before a year only", "Sep"),
    pgettext_lazy("month abbreviation, before a year only", "Oct"),
    pgettext_lazy("month abbreviation, before a year only", "Nov"),
    pgettext_lazy("month abbreviation, before a year only", "Dec"),
]

# A heading's month ("Releases in July 2021", "Вызваленні: ліпень 2021").
MONTHS_IN_FULL = [
    pgettext_lazy("month before a year alone, in full", "January"),
    pgettext_lazy("month before a year alone, in full", "February"),
    pgettext_lazy("month before a year alone, in full", "March"),
    pgettext_lazy("month before a year alone, in full", "April"),
    pgettext_lazy("month before a year alone, in full", "May"),
    pgettext_lazy("month before a year alone, in full", "June"),
    pgettext_lazy("month before a year alone, in full", "July"),
    pgettext_lazy("month before a year alone, in full", "August"),
    pgettext_lazy("month before a year alone, in full", "September"),
    pgettext_lazy("month before a year alone, in full", "October"),
    pgettext_lazy("month before a year alone, in full", "November"),
    pgettext_lazy("month before a year alone, in full", "December"),
]
_MONTHS = {"after a day": MONTHS_AFTER_DAY, "before a year": MONTHS_BEFORE_YEAR}


_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    first: date
    precision: str

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with a
        message fit to show a curator."""
        text = text.strip()
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(
                say("%(value)r is not a date: use YYYY-MM-DD, YYYY-MM or YYYY", value=text)
            )
        year, month, day = match.groups()
        try:
            if day:
                return cls(date(int(year), int(month), int(day)), Precision.DAY)
            if month:
                return cls(date(int(year), int(month), 1), Precision.MONTH)
            return cls(date(int(year), 1, 1), Precision.YEAR)
        except ValueError:
            raise ValueError(say("%(value)r is not a real calendar date", value=text)) from None

    @classmethod
    def coerce(cls, value: PartialDate | date | str | None) -> PartialDate | None:
        if value is None or value == "":
            return None
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            return cls(value, Precision.DAY)
        return cls.parse(value)

    @classmethod
    def from_columns(cls, row: dict, name: str) -> PartialDate | None:
        """The date a field ``name`` stores, from a row of its columns as
        ``values()`` reads them (``<name>_first``, ``<name>_precision``)."""
        first = row.get(f"{name}_first")
        return cls(first, row[f"{name}_precision"] or Precision.DAY) if first else None

    @property
    def last(self) -> date:
        if self.precision == Precision.DAY:
            return self.first
        if self.precision == Precision.MONTH:
            days = calendar.monthrange(self.first.year, self.first.month)[1]
            return self.first.replace(day=days)
        return self.first.replace(month=12, day=31)

    def __str__(self) -> str:
        """The date as written in the interchange format."""
        if self.precision == Precision.DAY:
            return self.first.isoformat()
        if self.precision == Precision.MONTH:
            return self.first.strftime("%Y-%m")
        return f"{self.first.year:04d}"

    def display(self) -> str:
        """The date at its precision, with month names in the active language."""
        day, month, year = self.first.day, self.first.month, self.first.year
        if self.precision == Precision.DAY:
            return f"{day} {_translated('after a day')[month - 1]} {year}"
        if self.precision == Precision.MONTH:
            return f"{_translated('before a year')[month - 1]} {year}"
        return str(year)

    def not_before(self, earlier: PartialDate) -> bool:
        """True when this date may fall on or after ``earlier``."""
        return self.last >= earlier.first


def _translated(months: str) -> tuple[str, ...]:
    """The names of ``_MONTHS[months]`` in the active language: translated
    once a language, not once a date (a list page shows a hundred dates)."""
    return _months_in(months, get_language())


@functools.cache
def _months_in(months: str, language: str | None) -> tuple[str, ...]:
    with override(language):
        return tuple(str(name) for name in _MONTHS[months])


@receiver(setting_changed)
def _forget_month_names(**kwargs) -> None:
    """Translated again after a test changes LANGUAGES or LOCALE_PATHS."""
    _months_in.cache_clear()


@receiver(file_changed)
def _forget_month_names_of(sender, file_path, **kwargs) -> None:
    """Translated again when runserver reloads a catalog without restarting."""
    if file_path.suffix == ".mo":
        _months_in.cache_clear()


def month_in_full(day: date) -> str:
    """A month in a heading: "July 2021", "ліпень 2021"."""
    return f"{MONTHS_IN_FULL[day.month - 1]} {day.year}"


def short_month(day: date, with_year: bool = True) -> str:
    """A month where space is short (a chart's ticks): "Jul 2021", "ліп. 2021"."""
    name = str(MONTHS_SHORT[day.month - 1])
    return f"{name} {day.year}" if with_year else name


class PartialDateField:
    """One partial date on a model, stored as three columns.

    ``detained_on = PartialDateField(_("detained on"))`` adds the columns
    ``detained_on_first``, ``detained_on_last`` and ``detained_on_precision`` and
    makes ``instance.detained_on`` read and write a :class:`PartialDate` (a
    string such as ``"2021-07"`` or a ``date`` is accepted on assignment).
    """

    def __init__(
        self,
        verbose_name=None,
        help_text: str = "",
        db_index: bool = False,
        editable: bool = True,
    ):
        self.verbose_name = verbose_name
        self.help_text = help_text
        self.db_index = db_index
        # False for a date derived from others (written on save, never
        # typed): model forms give it no input.
        self.editable = editable

    def contribute_to_class(self, cls, name):
        self.name = name
        self.first, self.last, self.precision = (
            f"{name}_first",
            f"{name}_last",
            f"{name}_precision",
        )
        verbose = self.verbose_name or name.replace("_", " ")
        cls.add_to_class(
            self.first,
            models.DateField(
                f"{verbose} (first possible day)",
                null=True,
                blank=True,
                editable=False,
                db_index=self.db_index,
            ),
        )
        cls.add_to_class(
            self.last,
            models.DateField(
                f"{verbose} (last possible day)", null=True, blank=True, editable=False
            ),
        )
        cls.add_to_class(
            self.precision,
            models.CharField(
                f"{verbose} (precision)",
                max_length=5,
                choices=Precision.choices,
                blank=True,
                editable=False,
            ),
        )
        # A property, so that Model(detained_on="2021-07") works as a keyword.
        setattr(cls, name, property(self._get, self._set))
        cls._partial_dates = {**getattr(cls, "_partial_dates", {}), name: self}

    def _get(self, instance) -> PartialDate | None:
        first = getattr(instance, self.first)
        if first is None:
            return None
        return PartialDate(first, getattr(instance, self.precision) or Precision.DAY)

    def _set(self, instance, value) -> None:
        value = PartialDate.coerce(value)
        setattr(instance, self.first, value.first if value else None)
        setattr(instance, self.last, value.last if value else None)
        setattr(instance, self.precision, value.precision if value else "")


def partial_date_constraints(model_name: str, *names: str) -> list[models.CheckConstraint]:
    """For each partial date: its columns are all set or all empty, and its
    last day is not before its first."""
    constraints = []
    for name in names:
        first, last, precision = f"{name}_first", f"{name}_last", f"{name}_precision"
        empty = Q(**{f"{first}__isnull": True, f"{last}__isnull": True, precision: ""})
        full = Q(**{f"{first}__isnull": False, f"{last}__gte": models.F(first)}) & ~Q(
            **{precision: ""}
        )
        constraints.append(
            models.CheckConstraint(condition=empty | full, name=f"{model_name}_{name}_consistent")
        )
    return constraints


DATE_FORMATS = _("YYYY-MM-DD, YYYY-MM or YYYY.")


class PartialDateFormField(forms.CharField):
    """A text input taking ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

    default_error_messages = {"invalid": _("%(message)s")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", DATE_FORMATS)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "10", "placeholder": "YYYY-MM-DD"}

    def prepare_value(self, value):
        return str(value) if isinstance(value, PartialDate) else value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return PartialDate.coerce(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class _PartialDateFormMetaclass(forms.models.ModelFormMetaclass):
    """Declares a text field for each partial date of the form's model, so
    that ``Meta.fields`` and the admin can name ``detained_on`` like any field."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta") or next((b.Meta for b in bases if hasattr(b, "Meta")), None)
        model = getattr(meta, "model", None)
        wanted = getattr(meta, "fields", None)
        excluded = getattr(meta, "exclude", None) or ()
        for field_name, field in getattr(model, "_partial_dates", {}).items():
            if wanted not in (None, forms.models.ALL_FIELDS) and field_name not in wanted:
                continue
            if field_name in excluded or field_name in attrs or not field.editable:
                continue
            attrs[field_name] = PartialDateFormField(
                label=capfirst(field.verbose_name or field_name.replace("_", " ")),
                help_text=format_lazy("{} {}", field.help_text, DATE_FORMATS)
                if field.help_text
                else DATE_FORMATS,
            )
        return super().__new__(mcs, name, bases, attrs)


class PartialDateModelForm(forms.ModelForm, metaclass=_PartialDateFormMetaclass):
    """A model form with one text input for each partial date of its model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._partial_date_names():
            if name not in self.initial or self.initial[name] is None:
                self.initial[name] = getattr(self.instance, name)

    def _partial_date_names(self) -> list[str]:
        partial_dates = getattr(self._meta.model, "_partial_dates", {})
        return [name for name in self.fields if name in partial_dates]

    def _post_clean(self):
        for name in self._partial_date_names():
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()
