"""What records point to: sources, organizations, charges, facilities."""

import re

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import FREE_TEXT_KINDS, FacilityKind
from ..local_names import in_language
from .base import (
    ID_PATTERN,
    PUBLIC,
    _history,
    id_validator,
    name_in_list_validator,
    shown_publicly,
)

HELP_BE = _("Shown on the Belarusian pages; leave empty to show the name as recorded. ")
HELP_RU = _("Shown on the Russian pages; leave empty to show the name as recorded. ")


def _names_in_be_ru(max_length: int = 300) -> tuple[models.CharField, models.CharField]:
    """name_be and name_ru: a record's name on the Belarusian and Russian pages."""
    return (
        models.CharField(
            pgettext_lazy("not a person", "name in Belarusian"),
            max_length=max_length,
            blank=True,
            help_text=shown_publicly(HELP_BE),
        ),
        models.CharField(
            pgettext_lazy("not a person", "name in Russian"),
            max_length=max_length,
            blank=True,
            help_text=shown_publicly(HELP_RU),
        ),
    )


class Source(models.Model):
    url = models.URLField(_("URL"), max_length=2000, unique=True, help_text=PUBLIC)
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=PUBLIC)

    history = _history()

    class Meta:
        ordering = ["url"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title or self.url


class Organization(models.Model):
    name = models.CharField(
        pgettext_lazy("of an organization or a place", "name"),
        max_length=200,
        unique=True,
        validators=[name_in_list_validator],
        help_text=PUBLIC,
    )
    name_be, name_ru = _names_in_be_ru(200)
    description = models.TextField(_("description"), blank=True, help_text=PUBLIC)

    history = _history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        return in_language(self, "name")


class Charge(models.Model):
    """A criminal-code article, such as 342 or 361-1."""

    article = models.CharField(
        _("article"),
        max_length=50,
        unique=True,
        validators=[name_in_list_validator],
        help_text=PUBLIC,
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=shown_publicly(_("The article's title in English, shown beside its number. ")),
    )
    title_be = models.CharField(
        _("title in Belarusian"), max_length=300, blank=True, help_text=shown_publicly(HELP_BE)
    )
    title_ru = models.CharField(
        _("title in Russian"), max_length=300, blank=True, help_text=shown_publicly(HELP_RU)
    )

    history = _history()

    class Meta:
        ordering = ["article"]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")

    def __str__(self) -> str:
        return f"{self.article} {self.title}".strip()

    @property
    def shown_title(self) -> str:
        return in_language(self, "title")


class Facility(models.Model):
    """A place where people are held, and where letters to them go."""

    facility_id = models.CharField(
        _("facility id"),
        max_length=100,
        unique=True,
        validators=[id_validator],
        help_text=_("Stable id, part of the public URL, e.g. penal-colony-15."),
    )
    name = models.CharField(
        pgettext_lazy("of an organization or a place", "name"),
        max_length=300,
        unique=True,
        help_text=PUBLIC,
    )
    name_be, name_ru = _names_in_be_ru()
    kind = models.CharField(
        pgettext_lazy("of a facility", "kind"),
        max_length=20,
        choices=FacilityKind.choices,
        default=FacilityKind.OTHER,
        help_text=PUBLIC,
    )
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=shown_publicly(_("Written as the people's regions are, e.g. Minsk. ")),
    )
    address_be = models.TextField(
        _("postal address in Belarusian"),
        max_length=1000,
        blank=True,
        help_text=shown_publicly(_("The address in the form the facility accepts letters. ")),
    )
    address_ru = models.TextField(
        _("postal address in Russian"),
        max_length=1000,
        blank=True,
        help_text=shown_publicly(_("The address in the form the facility accepts letters. ")),
    )
    address_checked_on = models.DateField(
        _("address checked on"),
        null=True,
        blank=True,
        help_text=shown_publicly(_("The day a curator last confirmed the address. ")),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="facilities", verbose_name=_("sources")
    )

    history = _history(m2m_fields=[sources])

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            # The same name in any case is one facility (migration 0017 merged them).
            models.UniqueConstraint(Lower("name"), name="facility_name_unique_in_any_case"),
            models.CheckConstraint(
                condition=Q(facility_id__regex=ID_PATTERN), name="facility_id_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("facility-detail", args=[self.facility_id])

    def save(self, *args, **kwargs) -> None:
        if not self.facility_id:
            self.facility_id = free_facility_ids([self.name])[self.name]
        super().save(*args, **kwargs)

    @property
    def shown_name(self) -> str:
        return in_language(self, "name")


# Enough of Belarusian and Russian to make readable ids of Cyrillic names.
CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "u",
        ],
        strict=True,
    )
)


def id_from_name(name: str) -> str:
    """A readable id of a name: "Penal colony No. 15" gives penal-colony-no-15."""
    text = "".join(CYRILLIC.get(c, c) for c in name.lower()).replace("-", " ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:90].strip("-")


def free_facility_ids(names: list[str]) -> dict[str, str]:
    """An unused facility id for each name, none twice (new facilities)."""
    wanted = {name: id_from_name(name) or "facility" for name in names}
    taken = set(
        Facility.objects.filter(
            Q.create([("facility_id__startswith", base) for base in set(wanted.values())], "OR")
        ).values_list("facility_id", flat=True)
    )
    ids = {}
    for name, base in wanted.items():
        facility_id, n = base, 1
        while facility_id in taken:
            n += 1
            facility_id = f"{base}-{n}"
        taken.add(facility_id)
        ids[name] = facility_id
    return ids


class LocalName(models.Model):
    """The Belarusian and Russian names of a value that records write as
    text: a region (Person.region), a country (Release.released_to) or a
    sanctions authority (SanctionsEvent.authority). Names in use by
    published records are public; the others are shown nowhere."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in FREE_TEXT_KINDS],
    )
    name = models.CharField(
        _("name as recorded"),
        max_length=300,
        help_text=_("Exactly as the records write it, e.g. Minsk, Lithuania or US."),
    )
    name_be, name_ru = _names_in_be_ru()

    history = _history()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("name in Belarusian and Russian")
        verbose_name_plural = _("names in Belarusian and Russian")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="localname_one_per_kind_name")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
