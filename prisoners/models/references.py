"""What records point to: sources, organizations, charges, facilities."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import FREE_TEXT_KINDS
from ..local_names import in_language
from .base import PUBLIC, _history, name_in_list_validator, shown_publicly

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
    name = models.CharField(
        pgettext_lazy("of an organization or a place", "name"),
        max_length=300,
        unique=True,
        help_text=PUBLIC,
    )
    name_be, name_ru = _names_in_be_ru()

    history = _history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        return in_language(self, "name")


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
