"""Texts editors keep for the public pages, such as how to write to a prisoner."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import GuideKey
from ..local_names import in_language
from .base import _history, in_be_ru, shown_publicly

PARAGRAPHS = _("Plain text: paragraphs separated by an empty line; no HTML. ")


class Guide(models.Model):
    """A page of advice in English, Belarusian and Russian (one a key).
    Editors change it; migration 0020 ships the first text."""

    key = models.CharField(
        _("guide"), max_length=20, choices=GuideKey.choices, unique=True, editable=False
    )
    body = models.TextField(
        _("text in English"), max_length=20_000, help_text=shown_publicly(PARAGRAPHS)
    )
    body_be, body_ru = in_be_ru(
        models.TextField, _("text in Belarusian"), _("text in Russian"), max_length=20_000
    )

    history = _history()

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return str(self.get_key_display())

    @property
    def shown_body(self) -> str:
        return in_language(self, "body")
