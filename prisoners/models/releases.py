"""How a detention ended in release."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..choices import ReleaseType
from ..partial_dates import PartialDateField, partial_date_constraints
from .base import PUBLIC, ChoiceLabels, _dated_history, shown_publicly
from .events import ReleaseEvent
from .people import Detention, _raise_violations


class Release(ChoiceLabels):
    """How a detention ended in release. Saving it writes the detention's end."""

    detention = models.OneToOneField(
        Detention, on_delete=models.CASCADE, related_name="release", verbose_name=_("detention")
    )
    released_on = PartialDateField(_("released on"), help_text=PUBLIC, db_index=True)
    release_type = models.CharField(_("release type"), max_length=20, choices=ReleaseType.choices)
    release_event = models.ForeignKey(
        ReleaseEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("release event"),
    )
    released_to = models.CharField(
        _("released to"),
        max_length=100,
        blank=True,
        help_text=shown_publicly(_("Country the person went to on release (exile, deportation). ")),
    )

    history = _dated_history("detention_id")

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.CheckConstraint(
                condition=Q(released_on_first__isnull=False), name="release_date_required"
            ),
            *partial_date_constraints("release", "released_on"),
        ]

    def __str__(self) -> str:
        return f"{self.detention} ({self.get_release_type_display()})"

    def clean(self) -> None:
        if not self.released_on and self.release_event_id:
            self.released_on = self.release_event.date
        if not self.released_on:
            raise ValidationError({"released_on": _("A release needs a date.")})
        detained_on = self.detention.detained_on if self.detention_id else None
        _raise_violations(rules.release_not_before_arrest(self.released_on, detained_on))

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            self.detention.sync_end()

    def delete(self, *args, **kwargs):
        detention = self.detention
        with transaction.atomic(savepoint=False):
            result = super().delete(*args, **kwargs)
            detention.sync_end()
        return result
