"""What records point to: sources, organizations, charges, facilities."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import PUBLIC, _history, name_in_list_validator


class Source(models.Model):
    url = models.URLField(_("URL"), max_length=2000, unique=True, help_text=PUBLIC)
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=PUBLIC)

    history = _history()

    class Meta:
        ordering = ["url"]

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
    description = models.TextField(_("description"), blank=True, help_text=PUBLIC)

    history = _history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Charge(models.Model):
    """A criminal-code article, such as 342 or 361-1."""

    article = models.CharField(
        _("article"),
        max_length=50,
        unique=True,
        validators=[name_in_list_validator],
        help_text=PUBLIC,
    )
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=PUBLIC)

    history = _history()

    class Meta:
        ordering = ["article"]

    def __str__(self) -> str:
        return f"{self.article} {self.title}".strip()


class Facility(models.Model):
    name = models.CharField(
        pgettext_lazy("of an organization or a place", "name"),
        max_length=300,
        unique=True,
        help_text=PUBLIC,
    )

    history = _history()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name
