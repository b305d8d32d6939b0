"""Column mappings curators saved: how a spreadsheet's own columns read as
the interchange format's, offered again for a file with the same headers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import DateOrder

__all__ = ["ColumnMapping", "DateOrder"]


class ColumnMapping(models.Model):
    # Not a record: saving one changes nothing the public sees, so the data
    # version (data_version.py) does not follow it.
    derived = True

    # The file's set of headers (interchange.mapping.headers_key): the
    # mapping is found again by it.
    headers_key = models.TextField(_("headers"), unique=True)
    # {"their header": "our column" or None (ignored)}, headers as written.
    columns = models.JSONField(_("columns"), default=dict)
    dates = models.CharField(
        _("date order"), max_length=3, choices=DateOrder.choices, default=DateOrder.DMY
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    updated = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["-updated"]

    def __str__(self) -> str:
        headers = list(self.columns)
        shown = ", ".join(headers[:4])
        return shown + ("…" if len(headers) > 4 else "")
