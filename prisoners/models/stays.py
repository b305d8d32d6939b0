"""Where a detained person is held over time: a detention's stays."""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import rules
from ..partial_dates import PartialDateField, partial_date_constraints
from .base import _history, _order, shown_publicly
from .people import Detention, _raise_violations
from .references import Facility, Source


class Stay(models.Model):
    """A detention's time in one facility, from one day until another. A
    detention's stays run in order of their start, then of their entry (a
    transfer's dates are often unknown); the last one without an end, of
    an open detention, is where the person is held now."""

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="stays", verbose_name=_("detention")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="stays", verbose_name=_("facility")
    )
    started_on = PartialDateField(
        pgettext_lazy("a stay in a facility", "from"),
        help_text=shown_publicly(_("The day of arrival; empty when unknown. ")),
    )
    ended_on = PartialDateField(
        pgettext_lazy("a stay in a facility", "until"),
        help_text=shown_publicly(_("Empty while the person is held there, or when unknown. ")),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="stays", verbose_name=_("sources")
    )

    history = _history(m2m_fields=[sources])

    class Meta:
        # An unknown arrival comes first (most often the arrest itself), on
        # SQLite and PostgreSQL alike.
        ordering = ["detention", models.F("started_on_first").asc(nulls_first=True), "id"]
        verbose_name = _("stay in a facility")
        verbose_name_plural = _("stays in facilities")
        indexes = [
            # Who is held in a facility now, and who was (the facility's page).
            models.Index(fields=["facility", "detention"], name="stay_facility_detention"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_order("ended_on", "started_on"), name="stay_end_not_before_start"
            ),
            *partial_date_constraints("stay", "started_on", "ended_on"),
        ]

    def __str__(self) -> str:
        return f"{self.detention_id}: {self.facility}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def clean(self) -> None:
        detention = self.detention if self.detention_id or _has_detention(self) else None
        _raise_violations(
            *rules.stay_within_detention(
                self.started_on,
                self.ended_on,
                detention.detained_on if detention else None,
                detention.ended_on if detention else None,
            )
        )

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            sync_facility(self.detention_id)

    def delete(self, *args, **kwargs):
        detention_id = self.detention_id
        with transaction.atomic(savepoint=False):
            result = super().delete(*args, **kwargs)
            sync_facility(detention_id)
        return result


def _has_detention(stay: Stay) -> bool:
    """Whether the stay has its (perhaps unsaved) detention: an admin inline
    of a new detention sets the instance before it has a primary key."""
    return Stay.detention.is_cached(stay)


def sync_facility(detention_pk: int) -> None:
    """Write the detention's facility from its stays: the last stay's (the
    one held now, for an open detention), or none without stays. The lists,
    exports and the API read it there."""
    last = (
        Stay.objects.filter(detention_id=detention_pk)
        .order_by(models.F("started_on_first").desc(nulls_last=True), "-id")
        .values_list("facility_id", flat=True)
        .first()
    )
    Detention.objects.filter(pk=detention_pk).exclude(facility_id=last).update(facility_id=last)
